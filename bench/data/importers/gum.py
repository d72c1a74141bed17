"""GUM CoNLL-U documents -> ``SourceDocument`` with the running text rebuilt from the tokens.

Rebuild rule (checked against every ``# text =`` line): a multi-word token contributes its surface form and
hides its component words; empty nodes (``3.1``) contribute nothing; a space follows each token unless its
MISC column says ``SpaceAfter=No``. Sentences of one paragraph are joined the same way (the last token's
``SpaceAfter`` decides); each ``# newpar`` starts a new line. Title, date and URL come from ``# meta::``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bench.data.importers.source_text import SourceDocument
from bench.errors import InputError

_TOKEN_ID = re.compile(r"[0-9]+(-[0-9]+|\.[0-9]+)?")


@dataclass
class _Sentence:
    tokens: list[str] = field(default_factory=list)
    space_after: list[bool] = field(default_factory=list)
    declared_text: str | None = None
    line: int = 0

    def text(self) -> str:
        pairs = zip(self.tokens, self.space_after, strict=True)
        parts = [tok + (" " if space else "") for tok, space in pairs]
        return "".join(parts).rstrip(" ")


@dataclass
class _Reader:
    path: Path
    meta: dict[str, str] = field(default_factory=dict)
    paragraphs: list[list[_Sentence]] = field(default_factory=list)
    current: _Sentence | None = None
    skip_until: int = 0

    def comment(self, line: str, number: int) -> None:
        if line.startswith("# meta::") and " = " in line:
            key, value = line[len("# meta::") :].split(" = ", 1)
            self.meta[key] = value
        elif line.strip() == "# newpar" or line.startswith("# newpar "):
            self.paragraphs.append([])
        elif line.startswith("# text = "):
            self.open_sentence(number).declared_text = line[len("# text = ") :]

    def open_sentence(self, number: int) -> _Sentence:
        if self.current is None:
            if not self.paragraphs:
                self.paragraphs.append([])
            self.current = _Sentence(line=number)
            self.paragraphs[-1].append(self.current)
        return self.current

    def token(self, columns: list[str], number: int) -> None:
        token_id = columns[0]
        if len(columns) != 10 or not _TOKEN_ID.fullmatch(token_id):
            raise InputError(self.path, number, f"not a CoNLL-U token line (10 tab-separated columns, an ID "
                             f"such as 3, 3-4 or 3.1): {columns[0][:40]!r}")  # fmt: skip
        if "." in token_id:
            return
        sentence = self.open_sentence(number)
        if "-" in token_id:
            first, last = (int(part) for part in token_id.split("-"))
            self.skip_until = last
        elif int(token_id) <= self.skip_until:
            return
        sentence.tokens.append(columns[1])
        sentence.space_after.append("SpaceAfter=No" not in columns[9].split("|"))

    def end_sentence(self) -> None:
        sentence, self.current, self.skip_until = self.current, None, 0
        declared = sentence.declared_text if sentence is not None else None
        if sentence is not None and declared is not None and sentence.text() != declared:
            raise InputError(self.path, sentence.line, "tokens do not rebuild the '# text =' line")


def read_gum(path: Path) -> SourceDocument:
    """One GUM ``.conllu`` file (one document) -> its rebuilt text and metadata; a file that is no CoNLL-U
    (not UTF-8, a line of the wrong shape) is an ``InputError`` naming it."""
    reader = _Reader(path)
    for number, raw in enumerate(_text(path).splitlines(), start=1):
        if not raw.strip():
            reader.end_sentence()
        elif raw.startswith("#"):
            reader.comment(raw, number)
        else:
            reader.token(raw.split("\t"), number)
    reader.end_sentence()
    return SourceDocument(
        corpus="gum",
        doc_id=path.stem,
        title=reader.meta.get("title", ""),
        url=reader.meta.get("sourceURL", ""),
        date=reader.meta.get("dateCreated", ""),
        text=_join_paragraphs(reader.paragraphs),
    )


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, None, f"not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from None


def _join_paragraphs(paragraphs: list[list[_Sentence]]) -> str:
    lines = []
    for paragraph in paragraphs:
        pieces = []
        for sentence in paragraph:
            pieces.append(sentence.text())
            pieces.append(" " if sentence.space_after and sentence.space_after[-1] else "")
        line = "".join(pieces).rstrip(" ")
        if line:
            lines.append(line)
    return "\n".join(lines)
