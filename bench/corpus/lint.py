"""Consistency lint of the authored corpus: ``python -m bench.lint`` (exit 1 on any unexplained flag).

Rules, each within one article:
- ``label-conflict``: the same surface string annotated with two different labels;
- ``missed-mention``: an annotated name occurring again (whole word) outside any entity;
- ``cue-in-confirmed``: a cue form that always hedges (``data/cue_inventory.tsv``) inside a confirmed claim;
- ``unknown-cue``: a cue span whose lower-cased text is not in the cue inventory.
A flag is explained by a line ``article_id<TAB>rule<TAB>surface<TAB>reason`` in ``data/lint_allowlist.tsv``;
an allowlist line that explains nothing is itself a flag (``stale-allowlist``), so the list stays honest.
"""

from __future__ import annotations

import argparse
import re
import sys
from argparse import RawDescriptionHelpFormatter as RawDescription
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.core.tsv import tsv_rows
from bench.corpus.build import DATA_DIR, compile_all
from bench.errors import run_command
from bench.schema import Article

INVENTORY = DATA_DIR / "cue_inventory.tsv"
ALLOWLIST = DATA_DIR / "lint_allowlist.tsv"


@dataclass(frozen=True, order=True)
class Flag:
    article_id: str
    rule: str
    surface: str
    detail: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.article_id, self.rule, self.surface


@dataclass(frozen=True)
class CueForm:
    form: str
    family: str
    context: str  # "always" | "attribution" | "sense"


def read_inventory(path: Path = INVENTORY) -> dict[str, CueForm]:
    return {fields[0]: CueForm(*fields) for _, fields in tsv_rows(path, 3)}


def read_allowlist(path: Path = ALLOWLIST) -> dict[tuple[str, str, str], str]:
    if not path.exists():
        return {}
    return {(f[0], f[1], f[2]): f[3] for _, f in tsv_rows(path, 4)}


def _word_pattern(surface: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)", flags)


def label_conflicts(article: Article) -> Iterator[Flag]:
    labels: dict[str, set[str]] = {}
    for entity in article.entities:
        labels.setdefault(article.text[entity.start : entity.end], set()).add(entity.label)
    for surface, found in sorted(labels.items()):
        if len(found) > 1:
            yield Flag(article.id, "label-conflict", surface, f"labelled {sorted(found)}")


def missed_mentions(article: Article) -> Iterator[Flag]:
    covered = [(entity.start, entity.end) for entity in article.entities]
    for surface in sorted({article.text[start:end] for start, end in covered}):
        for match in _word_pattern(surface).finditer(article.text):
            if not any(start <= match.start() and match.end() <= end for start, end in covered):
                yield Flag(article.id, "missed-mention", surface, f"unannotated at offset {match.start()}")


def cues_in_confirmed(article: Article, inventory: dict[str, CueForm]) -> Iterator[Flag]:
    always = [form for form, cue in inventory.items() if cue.context == "always"]
    patterns = [(form, _word_pattern(form, re.IGNORECASE)) for form in always]
    for claim in article.claims:
        if claim.certainty != "confirmed":
            continue
        for form, pattern in patterns:
            if pattern.search(article.text, claim.start, claim.end):
                yield Flag(article.id, "cue-in-confirmed", form, f"in confirmed claim at {claim.start}")


def unknown_cues(article: Article, inventory: dict[str, CueForm]) -> Iterator[Flag]:
    for claim in article.claims:
        for cue in claim.cues:
            form = article.text[cue.start : cue.end].lower()
            if form not in inventory:
                yield Flag(article.id, "unknown-cue", form, f"cue at {cue.start}")


def lint_article(article: Article, inventory: dict[str, CueForm]) -> list[Flag]:
    rules: Iterable[Iterator[Flag]] = (
        label_conflicts(article),
        missed_mentions(article),
        cues_in_confirmed(article, inventory),
        unknown_cues(article, inventory),
    )
    return sorted({flag for rule in rules for flag in rule})


def unexplained(flags: list[Flag], allowlist: dict[tuple[str, str, str], str]) -> list[Flag]:
    """Flags not on the allowlist, plus allowlist entries that no flag uses."""
    used = {flag.key for flag in flags}
    stale = [
        Flag(article_id, "stale-allowlist", f"{rule}:{surface}", "allowlist entry explains no flag")
        for article_id, rule, surface in allowlist
        if (article_id, rule, surface) not in used
    ]
    return sorted([flag for flag in flags if flag.key not in allowlist] + stale)


def lint_corpus(articles: dict[str, Article]) -> list[Flag]:
    inventory = read_inventory()
    flags = [flag for article in articles.values() for flag in lint_article(article, inventory)]
    return unexplained(flags, read_allowlist())


def main(argv: list[str] | None = None) -> None:
    # --help explains and stops before anything is read or written.
    argparse.ArgumentParser(
        prog="python -m bench.lint", description=__doc__, formatter_class=RawDescription
    ).parse_args(argv)

    def action() -> int:
        flags = lint_corpus(compile_all())
        for flag in flags:
            print(f"{flag.article_id}\t{flag.rule}\t{flag.surface}\t{flag.detail}")
        print(f"{len(flags)} unexplained flag(s)", file=sys.stderr)
        return 1 if flags else 0

    run_command(action)


if __name__ == "__main__":
    main()
