"""CoNLL NER files (``token TAG`` per line, IOB1 tags) -> one ``Article`` per document.

Format, as Wikigold ships it: a blank line ends a sentence and a ``-DOCSTART- O`` line separates documents.
Documents are the runs of sentences between separators, so a file may or may not start or end with one;
a separator with no tokens after it opens no document. CoNLL has no raw text, so it is rebuilt: tokens
joined by single spaces, one sentence per line. Entities are the ``conlleval`` chunks of each sentence
(``bench.core.tags.token_chunks``), so they never cross a sentence boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.core.paths import resolve
from bench.core.tags import OUTSIDE, split_tag, token_chunks
from bench.data.importers.text_lines import read_lines
from bench.data.load import Located
from bench.errors import InputError
from bench.schema import ENTITY_LABELS, Article, Entity

DOCSTART = "-DOCSTART-"
# IOB1 uses only I- (and B- to split two adjacent chunks of one type); E-/S- would mean another scheme.
_IOB1_PREFIXES = ("B", "I")


@dataclass(frozen=True)
class Token:
    text: str
    tag: str
    line: int


Sentence = list[Token]


@dataclass(frozen=True)
class Document:
    sentences: list[Sentence]

    @property
    def line(self) -> int:
        """The line of the document's first token (the first document of a file has no separator line)."""
        return self.sentences[0][0].line


class ConllSource:
    """A ``bench.data.load.Source`` for one CoNLL file, read as a single split."""

    def __init__(
        self, path: str, split: str = "test", *, id_prefix: str, topic: str, title_tokens: int = 8
    ) -> None:
        self.path = resolve(path)
        self.split = split
        self.id_prefix = id_prefix
        self.topic = topic
        self.title_tokens = title_tokens

    def files(self) -> list[Path]:
        return [self.path]

    def read(self) -> dict[str, list[Located]]:
        located = []
        for number, document in enumerate(read_documents(self.path), start=1):
            article = to_article(document, f"{self.id_prefix}-{number:04d}", self.topic, self.title_tokens)
            located.append(Located(article, self.path, document.line))
        return {self.split: located}


def read_documents(path: Path) -> list[Document]:
    """Parse a CoNLL file; a malformed line raises ``InputError`` with its line number."""
    builder = _DocumentBuilder()
    for number, line in enumerate(read_lines(path), start=1):
        if not line.strip():
            builder.end_sentence()
            continue
        token = parse_line(path, number, line)
        if token.text == DOCSTART:
            builder.end_document()
        else:
            builder.sentence.append(token)
    builder.end_document()
    return builder.documents


@dataclass
class _DocumentBuilder:
    """Collects tokens into sentences and sentences into documents; empty ones are never emitted."""

    documents: list[Document] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    sentence: Sentence = field(default_factory=list)

    def end_sentence(self) -> None:
        if self.sentence:
            self.sentences.append(self.sentence)
            self.sentence = []

    def end_document(self) -> None:
        self.end_sentence()
        if self.sentences:
            self.documents.append(Document(self.sentences))
            self.sentences = []


def parse_line(path: Path, number: int, line: str) -> Token:
    """One non-blank line -> ``Token``; exactly two columns and an IOB1 tag over ``ENTITY_LABELS``."""
    columns = line.split()
    if len(columns) != 2:
        raise InputError(path, number, f"expected 2 columns 'token TAG', found {len(columns)}: {line!r}")
    text, tag = columns
    if text == DOCSTART and tag != OUTSIDE:
        raise InputError(path, number, f"document separator must be tagged {OUTSIDE}, found {tag!r}")
    if not _is_iob1_tag(tag):
        raise InputError(
            path, number, f"bad tag {tag!r}: expected O, I-TYPE or B-TYPE with TYPE one of {ENTITY_LABELS}"
        )
    return Token(text, tag, number)


def _is_iob1_tag(tag: str) -> bool:
    try:
        prefix, kind = split_tag(tag)
    except ValueError:
        return False
    return prefix == OUTSIDE or (prefix in _IOB1_PREFIXES and kind in ENTITY_LABELS)


def to_article(document: Document, article_id: str, topic: str, title_tokens: int) -> Article:
    """Rebuild the text (one sentence per line) and turn each sentence's chunks into character spans."""
    lines: list[str] = []
    entities: list[Entity] = []
    offset = 0
    for sentence in document.sentences:
        starts = _token_starts(sentence, offset)
        for first, stop, kind in token_chunks([token.tag for token in sentence]):
            last = sentence[stop - 1]
            entities.append(Entity(starts[first], starts[stop - 1] + len(last.text), kind))
        lines.append(" ".join(token.text for token in sentence))
        offset += len(lines[-1]) + 1  # the "\n" that joins sentences
    first_tokens = [token.text for token in document.sentences[0][:title_tokens]]
    return Article(article_id, " ".join(first_tokens), "\n".join(lines), topic, tuple(entities))


def _token_starts(sentence: Sentence, offset: int) -> list[int]:
    """Character offset of each token, given the sentence's offset in the text and single-space joins."""
    starts = []
    for token in sentence:
        starts.append(offset)
        offset += len(token.text) + 1
    return starts
