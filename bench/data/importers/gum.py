"""GUM CoNLL-U documents -> ``SourceDocument`` with the running text rebuilt from the tokens.

Rebuild rule (checked against every ``# text =`` line): a multi-word token contributes its surface form and
hides its component words; empty nodes (``3.1``) contribute nothing; a space follows each token unless its
MISC column says ``SpaceAfter=No``. Sentences of one paragraph are joined the same way (the last token's
``SpaceAfter`` decides); each ``# newpar`` starts a new line. Title, date and URL come from ``# meta::``.

``GumEntitySource`` (training data): the documents of chosen genres as ``Article``s with PER/ORG/LOC/MISC
spans from GUM's own human entity layer (``gum_mentions``: named mentions only, a proper-noun head).

Type mapping (CoNLL-2003's four types, as data/GUIDELINES.md uses them):

- person -> PER, organization -> ORG, place -> LOC;
- ``MISC_TYPES`` (event, object, abstract) -> MISC when the mention is *named*: a proper-noun head is what
  makes "World War II", "the iPhone", "Hamlet" or "English" a name rather than "a war" or "a phone". GUM files
  works, products and vehicles under object, named events under event, languages, laws and named theories
  under abstract. Its other types (time, quantity, substance, animal, plant) are not CoNLL entities.
- nationality and religion adjectives ("American", "Catholic"): GUM marks no mention on them, while the
  guidelines tag them MISC. A capitalised adjective outside every named mention and not opening its sentence
  is taken as one.

Nested names keep the outermost span (the guidelines tag "University of Cambridge", not its "Cambridge"), so
the spans never overlap. Documents are read whole; GUM's news and interview genres are news_real's sources
and never listed here (``ALL_GENRES`` names the rest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bench.core.paths import resolve
from bench.data.importers.gum_mentions import (
    TYPES,
    Mention,
    Sentences,
    Word,
    named_mentions,
    read_sentences,
)
from bench.data.importers.source_text import SourceDocument
from bench.data.importers.text_lines import id_slug
from bench.data.load import Located
from bench.errors import InputError
from bench.schema import Article, Entity

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


MISC_TYPES = frozenset({"event", "object", "abstract"})
# Every genre of gum_other/ (news and interviews are news_real's, reddit is not distributed).
ALL_GENRES = (
    "academic", "bio", "conversation", "court", "essay", "fiction", "letter", "podcast", "speech",
    "textbook", "vlog", "voyage", "whow",
)  # fmt: skip


class GumEntitySource:
    """A ``bench.data.load.Source`` over ``GUM_<genre>_<name>.conllu`` files of ``genres`` in ``path`` (a
    folder), read as a single split; one article per document, its topic the genre."""

    def __init__(self, path: str, genres: list[str], split: str = "train", *, id_prefix: str = "gum") -> None:
        unknown = sorted(set(genres) - set(ALL_GENRES))
        if unknown or not genres:
            raise InputError(
                "conf/data", None, f"GUM genres {unknown or '[]'}: choose from {list(ALL_GENRES)}"
            )
        self.path = resolve(path)
        self.genres = list(genres)
        self.split = split
        self.id_prefix = id_prefix

    def files(self) -> list[Path]:
        if not self.path.is_dir():
            raise InputError(self.path, None, "not a folder of GUM .conllu files")
        found = [p for g in self.genres for p in sorted(self.path.glob(f"GUM_{g}_*.conllu"))]
        if not found:
            raise InputError(self.path, None, f"no GUM_<genre>_*.conllu file for genres {self.genres}")
        return found

    def read(self) -> dict[str, list[Located]]:
        located = [Located(self.article(path), path, 1) for path in self.files()]
        return {self.split: located}

    def article(self, path: Path) -> Article:
        document = read_gum(path)
        genre = path.stem.split("_")[1]
        entities = conll_entities(path, document.text)
        identifier = f"{self.id_prefix}-{id_slug(path.stem.removeprefix('GUM_'))}"
        return Article(identifier, document.title, document.text, genre, tuple(entities))


def conll_entities(path: Path, text: str) -> list[Entity]:
    """GUM's named mentions and nationality adjectives as non-overlapping PER/ORG/LOC/MISC spans."""
    sentences = read_sentences(path, text)  # one parse for the mentions and the adjectives
    spans = [
        (m.start, m.end, label) for m in named_mentions(path, text, sentences) if (label := conll_label(m))
    ]
    spans += [(w.start, w.end, "MISC") for w in nationality_adjectives(sentences, spans)]
    return [Entity(start, end, label) for start, end, label in outermost(spans)]


def conll_label(mention: Mention) -> str | None:
    if mention.gum_type in TYPES:
        return TYPES[mention.gum_type]
    return "MISC" if mention.gum_type in MISC_TYPES else None


def nationality_adjectives(sentences: Sentences, named: list[tuple[int, int, str]]) -> list[Word]:
    """Capitalised adjectives not opening their sentence and outside every named span ("American")."""
    found = []
    for words, _ in sentences:
        for word in words[1:]:
            inside = any(start <= word.start and word.end <= end for start, end, _ in named)
            if word.upos == "ADJ" and word.form[:1].isupper() and word.form[1:].islower() and not inside:
                found.append(word)
    return found


def outermost(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop every span inside or crossing a longer one (longest first, then leftmost)."""
    kept: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans, key=lambda s: (s[0] - s[1], s[0], s[2])):
        if all(end <= other_start or other_end <= start for other_start, other_end, _ in kept):
            kept.append((start, end, label))
    return sorted(kept)
