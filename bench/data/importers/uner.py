"""Universal NER (UNER) IOB2 files -> one ``Article`` per ``# newdoc``, spans aligned to the raw sentences.

Format, as UNER English-PUD ships it: five tab-separated columns per token (index from 1, token, IOB2 tag,
and two annotation-bookkeeping columns that are not read), a blank line after each sentence, and comments
before each sentence: ``# newdoc id =`` opens a document, ``# sent_id =`` names the sentence and
``# text =`` holds its raw text. Other comments are ignored.

Unlike CoNLL, UNER keeps the raw text, so nothing is rebuilt: each article's text is its sentences' ``# text``
lines joined by ``"\\n"`` (one sentence per line, as in the other importers), and each token is located in
its sentence's text, skipping only whitespace, so entity offsets point at the original characters
(punctuation glued to a word, curly quotes). A token that is not where the text says raises ``InputError``.

Tags are strict IOB2 over ``ENTITY_LABELS``: an ``I-`` that continues nothing is an error, not a new chunk.
The data config's ``entity_labels`` says which of them the corpus annotates (UNER: PER, ORG, LOC), and
``bench.data.load`` refuses any other. UNER's guidelines also have an ``OTH`` type; it is not CoNLL's MISC
(not the same definition), so it is refused rather than mapped: a UNER file that holds it needs its own
decision (English-PUD holds none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.core.paths import resolve
from bench.core.tags import OUTSIDE, split_tag, token_chunks
from bench.data.importers.text_lines import id_slug, read_lines
from bench.data.load import Located
from bench.errors import InputError
from bench.schema import ENTITY_LABELS, Article, Entity

COLUMNS = 5
SENTENCE_SEPARATOR = "\n"
# The sent id prefix says where PUD took the sentence from: "n" news, "w" Wikipedia.
TOPICS = {"n": "news", "w": "wikipedia"}
PARTS = ("all", *TOPICS.values())
TOPIC_SOURCES = ("sent_id", "newdoc")


@dataclass(frozen=True)
class Token:
    text: str
    tag: str
    line: int


@dataclass
class Sentence:
    sent_id: str
    text: str
    line: int  # of its first comment or token, whichever comes first
    text_line: int  # of its "# text =" comment
    tokens: list[Token] = field(default_factory=list)


@dataclass
class Document:
    doc_id: str
    line: int  # of its "# newdoc id" comment
    sentences: list[Sentence] = field(default_factory=list)


class UnerSource:
    """A ``bench.data.load.Source`` for one UNER IOB2 file, read as a single split.

    ``part`` keeps the documents of one origin: ``all``, ``news`` (sent ids ``n…``) or ``wikipedia`` (``w…``).
    ``topic_from``: ``sent_id`` (PUD: the sent id prefix) or ``newdoc`` (EWT: the genre before the first
    ``-`` of the newdoc id, such as ``reviews`` or ``email``).
    """

    def __init__(
        self,
        path: str,
        split: str = "test",
        *,
        id_prefix: str,
        part: str = "all",
        title_words: int = 8,
        topic_from: str = "sent_id",
    ) -> None:
        if topic_from not in TOPIC_SOURCES:
            raise InputError(
                "conf/data", None, f"UNER topic_from {topic_from!r} is not one of {TOPIC_SOURCES}"
            )
        if part not in PARTS:
            raise InputError("conf/data", None, f"UNER part {part!r} is not one of {PARTS}")
        self.path = resolve(path)
        self.split = split
        self.id_prefix = id_prefix
        self.part = part
        self.title_words = title_words
        self.topic_from = topic_from

    def files(self) -> list[Path]:
        return [self.path]

    def read(self) -> dict[str, list[Located]]:
        located = []
        for document in read_documents(self.path):
            topic = (
                document_topic(document, self.path)
                if self.topic_from == "sent_id"
                else document_genre(document, self.path)
            )
            if self.part in ("all", topic):
                identifier = f"{self.id_prefix}-{article_id(document, self.path)}"
                article = to_article(document, self.path, identifier, topic, self.title_words)
                located.append(Located(article, self.path, document.line))
        return {self.split: located}


def read_documents(path: Path) -> list[Document]:
    """Parse a UNER file; a malformed line raises ``InputError`` with its line number."""
    reader = _Reader(path)
    for number, line in enumerate(read_lines(path), start=1):
        if not line.strip():
            reader.end_sentence()
        elif line.startswith("#"):
            reader.comment(line, number)
        else:
            reader.token(line, number)
    reader.end_sentence()
    return reader.documents


@dataclass
class _Reader:
    """Collects comments and tokens into sentences, and sentences into the document opened last."""

    path: Path
    documents: list[Document] = field(default_factory=list)
    comments: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (value, line)
    tokens: list[Token] = field(default_factory=list)

    def comment(self, line: str, number: int) -> None:
        if self.tokens:  # it would otherwise describe the next sentence, or move this one to a new document
            raise InputError(self.path, number, "comment line among a sentence's token lines")
        key, equals, value = line.lstrip("#").partition("=")
        key = key.strip()
        if key == "newdoc" and not equals:
            raise InputError(self.path, number, "'# newdoc' without an id: the article id is made from it")
        if not equals:
            return  # a flag comment such as "# newpar": nothing this importer reads
        if key == "newdoc id":
            self.documents.append(Document(value.strip(), number))
        elif key in ("sent_id", "text"):
            # Only the one space after "=" is syntax; the raw text keeps everything else.
            self.comments[key] = (value.removeprefix(" ") if key == "text" else value.strip(), number)

    def token(self, line: str, number: int) -> None:
        self.tokens.append(parse_token(self.path, number, line, len(self.tokens) + 1))

    def end_sentence(self) -> None:
        if not self.tokens:
            if self.comments:  # stale comments would otherwise describe the next sentence
                line = min(line for _, line in self.comments.values())
                raise InputError(self.path, line, "sentence comments with no token lines after them")
            return  # a run of blank lines
        first = min([line for _, line in self.comments.values()] + [self.tokens[0].line])
        for key in ("sent_id", "text"):
            if key not in self.comments:
                raise InputError(self.path, first, f"sentence has no '# {key} =' comment")
        if not self.documents:
            raise InputError(self.path, first, "sentence before the first '# newdoc id =' comment")
        (sent_id, _), (text, text_line) = self.comments["sent_id"], self.comments["text"]
        sentence = Sentence(sent_id, text, first, text_line, self.tokens)
        check_tags(self.path, sentence)
        self.documents[-1].sentences.append(sentence)
        self.comments, self.tokens = {}, []


def parse_token(path: Path, number: int, line: str, index: int) -> Token:
    """One token line -> ``Token``: ``COLUMNS`` columns, the expected index, a tag over ``ENTITY_LABELS``."""
    columns = line.split("\t")
    if len(columns) != COLUMNS:
        raise InputError(path, number, f"expected {COLUMNS} tab-separated columns, found {len(columns)}")
    if columns[0] != str(index):
        raise InputError(path, number, f"token index {columns[0]!r}, expected {index}")
    text, tag = columns[1], columns[2]
    if not text or text != text.strip():
        raise InputError(path, number, f"token {text!r} is empty or has whitespace at an edge")
    if not _is_iob2_tag(tag):
        expected = f"expected O, B-TYPE or I-TYPE with TYPE one of {ENTITY_LABELS}"
        raise InputError(path, number, f"bad tag {tag!r}: {expected}")
    return Token(text, tag, number)


def _is_iob2_tag(tag: str) -> bool:
    try:
        prefix, kind = split_tag(tag)
    except ValueError:
        return False
    return prefix == OUTSIDE or (prefix in ("B", "I") and kind in ENTITY_LABELS)


def check_tags(path: Path, sentence: Sentence) -> None:
    """IOB2: ``I-X`` only continues ``B-X`` or ``I-X``; otherwise the file is not what it says it is."""
    previous = OUTSIDE
    for token in sentence.tokens:
        prefix, kind = split_tag(token.tag)
        if prefix == "I" and previous[2:] != kind:
            raise InputError(path, token.line, f"{token.tag} follows {previous}: not IOB2")
        previous = token.tag


def token_starts(path: Path, sentence: Sentence) -> list[int]:
    """Each token's offset in the sentence's raw text; only whitespace may separate or follow tokens."""
    starts = []
    position = 0
    text = sentence.text
    for token in sentence.tokens:
        while position < len(text) and text[position].isspace():
            position += 1
        if not text.startswith(token.text, position):
            found = text[position : position + len(token.text)]
            where = f"in '# text =' at character {position} (found {found!r})"
            raise InputError(path, token.line, f"token {token.text!r} not found {where}")
        starts.append(position)
        position += len(token.text)
    if text[position:].strip():
        raise InputError(
            path, sentence.text_line, f"'# text =' goes on after the last token: {text[position:]!r}"
        )
    return starts


def to_article(document: Document, path: Path, identifier: str, topic: str, title_words: int) -> Article:
    """The sentences' raw text, one per line, and their chunks as character spans in it."""
    entities: list[Entity] = []
    offset = 0
    for sentence in document.sentences:
        starts = token_starts(path, sentence)
        for first, stop, kind in token_chunks([token.tag for token in sentence.tokens]):
            end = starts[stop - 1] + len(sentence.tokens[stop - 1].text)
            entities.append(Entity(offset + starts[first], offset + end, kind))
        offset += len(sentence.text) + len(SENTENCE_SEPARATOR)
    text = SENTENCE_SEPARATOR.join(sentence.text for sentence in document.sentences)
    # PUD documents have no headline: the title is the opening words, split on whitespace like the raw text.
    title = " ".join(document.sentences[0].text.split()[:title_words])
    return Article(identifier, title, text, topic, tuple(entities))


def document_topic(document: Document, path: Path) -> str:
    """``news`` or ``wikipedia``, from the sent id prefix; all sentences of a document must agree."""
    if not document.sentences:
        raise InputError(path, document.line, f"document {document.doc_id!r} has no sentences")
    topics = {TOPICS.get(sentence.sent_id[:1]) for sentence in document.sentences}
    if len(topics) != 1 or None in topics:
        ids = [sentence.sent_id for sentence in document.sentences]
        raise InputError(path, document.line, f"sent ids {ids} do not share a prefix from {sorted(TOPICS)}")
    return topics.pop()


def document_genre(document: Document, path: Path) -> str:
    """EWT's genre, the newdoc id before its first ``-`` (``answers``, ``email``, ``reviews``...)."""
    genre = id_slug(document.doc_id.split("-", 1)[0])
    if not genre or "-" not in document.doc_id:
        raise InputError(path, document.line, f"newdoc id {document.doc_id!r} has no '<genre>-' prefix")
    return genre


def article_id(document: Document, path: Path) -> str:
    """The newdoc id made to match ``[a-z0-9-]+`` (see ``id_slug``)."""
    slug = id_slug(document.doc_id)
    if not slug:
        raise InputError(path, document.line, f"newdoc id {document.doc_id!r} has no letter or digit")
    return slug
