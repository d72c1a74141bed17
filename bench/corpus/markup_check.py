"""``python -m bench.corpus news-real check FOLDER``: check an annotator's markup files before a build.

Each file must compile (markup grammar, header, topic) and its text must equal the source text rebuilt from
the corpus (only markers may be added). The lint rules of ``bench.corpus.lint`` run on every file that
passes and are printed as hints: they are questions for the annotator, not errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.corpus.lint import lint_article, read_inventory
from bench.corpus.standoff import checked_article, documents
from bench.errors import InputError


@dataclass(frozen=True)
class FolderCheck:
    files: int
    errors: list[str]
    hints: list[str]
    entities: int
    claims: int
    hedged: int


def check_folder(folder: Path) -> FolderCheck:
    found = documents()
    inventory = read_inventory()
    errors: list[str] = []
    hints: list[str] = []
    totals = [0, 0, 0]
    paths = sorted(folder.glob("*.txt"))
    for path in paths:
        try:
            article = checked_article(path, found)
        except InputError as error:
            errors.append(str(error))
            continue
        totals[0] += len(article.entities)
        totals[1] += len(article.claims)
        totals[2] += sum(1 for claim in article.claims if claim.certainty == "hedged")
        hints += [f"{path.name}: {f.rule} {f.surface!r} {f.detail}" for f in lint_article(article, inventory)]
    return FolderCheck(len(paths), errors, hints, *totals)


def report(check: FolderCheck) -> str:
    lines = [f"error: {message}" for message in check.errors] + [f"hint: {hint}" for hint in check.hints]
    lines.append(f"{check.files} files, {len(check.errors)} with errors; {check.entities} entities, "
                 f"{check.claims} claims ({check.hedged} hedged) in the files that compile")  # fmt: skip
    return "\n".join(lines)
