"""BioScope XML (``BioScope.dtd``) -> one ``Article`` per ``<Document>``, each ``<sentence>`` a claim.

A sentence is *hedged* iff it contains at least one ``<cue type="speculation">``; those cues are its cue
spans. Negation cues are not hedges: they stay in the text and add no span.

Text: each sentence's text with surrounding whitespace trimmed (so claim and cue spans have no whitespace
at their edges, as ``bench.core.validate`` requires), the
sentences joined by ``"\\n"``: one sentence per line,
as in the CoNLL importer, so the claim boundaries are visible in the text. Sentence-internal whitespace is
kept verbatim, so every cue's surface is exactly its text in the XML. The title sentence is a claim too:
BioScope annotates it like any other sentence.

``Located.line`` is the line of the ``<Document>`` start tag. ElementTree does not report lines, so the
tree is built from ``xml.parsers.expat`` events, which do.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from bench.core.paths import resolve
from bench.data.load import Located
from bench.errors import InputError
from bench.schema import Article, Claim, Span

ID_PREFIX = "bioscope"
TOPIC = "biomedical"
SENTENCE_SEPARATOR = "\n"
CUE_TYPES = ("speculation", "negation")
HEDGE_CUE = "speculation"

Lines = dict[ET.Element, int]


class BioscopeSource:
    """A ``bench.data.load.Source`` for one BioScope XML file, read as a single split."""

    def __init__(self, path: str, split: str = "test") -> None:
        self.path = resolve(path)
        self.split = split

    def files(self) -> list[Path]:
        return [self.path]

    def read(self) -> dict[str, list[Located]]:
        root, lines = parse_with_lines(self.path)
        check_cue_types(root, self.path, lines)
        located = [
            Located(to_article(document, self.path, lines), self.path, lines[document])
            for document in root.iter("Document")
        ]
        return {self.split: located}


def parse_with_lines(path: Path) -> tuple[ET.Element, Lines]:
    """The element tree of ``path`` and the line on which each element starts."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    lines: Lines = {}

    def start(tag: str, attributes: dict[str, str]) -> None:
        lines[builder.start(tag, attributes)] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror}") from None
    except expat.ExpatError as exc:
        message = f"malformed XML: {expat.ErrorString(exc.code)}"
        raise InputError(path, exc.lineno, message, column=exc.offset + 1) from None
    return builder.close(), lines


def check_cue_types(root: ET.Element, path: Path, lines: Lines) -> None:
    """Refuse unknown cue types: a misspelt ``speculation`` would silently turn a hedge into a fact."""
    for cue in root.iter("cue"):
        if cue.get("type") not in CUE_TYPES:
            raise InputError(path, lines[cue], f"cue type {cue.get('type')!r} is not one of {CUE_TYPES}")


def to_article(document: ET.Element, path: Path, lines: Lines) -> Article:
    """One ``<Document>`` -> ``Article``: id from ``<DocID>``, title from the ``Title`` part."""
    doc_id = (document.findtext("DocID") or "").strip()
    if not doc_id:
        raise InputError(path, lines[document], "document has no <DocID>")
    texts: list[str] = []
    claims: list[Claim] = []
    offset = 0
    for sentence in document.iter("sentence"):
        text, cues = sentence_content(sentence)
        _check_sentence(text, cues, path, lines[sentence], sentence.get("id"))
        shifted = tuple(Span(cue.start + offset, cue.end + offset) for cue in cues)
        claims.append(Claim(offset, offset + len(text), "hedged" if cues else "confirmed", shifted))
        texts.append(text)
        offset += len(text) + len(SENTENCE_SEPARATOR)
    text = SENTENCE_SEPARATOR.join(texts)
    return Article(f"{ID_PREFIX}-{doc_id}", _title(document), text, TOPIC, claims=tuple(claims))


def _check_sentence(text: str, cues: list[Span], path: Path, line: int, sentence_id: str | None) -> None:
    if not text:
        raise InputError(path, line, f"sentence {sentence_id!r} has no text")
    if any(cue.start == cue.end for cue in cues):
        raise InputError(path, line, f"sentence {sentence_id!r} has a {HEDGE_CUE} cue with no text")


def _title(document: ET.Element) -> str:
    parts = [part for part in document.iter("DocumentPart") if part.get("type") == "Title"]
    return " ".join(sentence_content(s)[0] for part in parts for s in part.iter("sentence"))


def sentence_content(sentence: ET.Element) -> tuple[str, list[Span]]:
    """The sentence's trimmed text and the spans of its speculation cues in it (trimmed, maybe empty)."""
    pieces: list[str] = []
    cues: list[Span] = []
    length = 0
    for piece, is_hedge_cue in _pieces(sentence):
        if is_hedge_cue:
            cues.append(Span(length, length + len(piece)))
        pieces.append(piece)
        length += len(piece)
    raw = "".join(pieces)
    text = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    return text, [_trim(text, cue.start - lead, cue.end - lead) for cue in cues]


def _pieces(node: ET.Element) -> Iterator[tuple[str, bool]]:
    """The text under ``node`` in document order, each piece flagged if it is a speculation cue's text.

    A cue holds only text (``BioScope.dtd``), so its whole text is one piece. An element's ``tail`` is the
    text after it inside its parent, so the parent yields it, after the child's own pieces.
    """
    if node.tag == "cue":
        yield "".join(node.itertext()), node.get("type") == HEDGE_CUE
        return
    yield node.text or "", False
    for child in node:
        yield from _pieces(child)
        yield child.tail or "", False


def _trim(text: str, start: int, end: int) -> Span:
    """``[start, end)`` clipped to ``text`` and shrunk until it neither starts nor ends with whitespace."""
    start, end = max(start, 0), min(end, len(text))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)
