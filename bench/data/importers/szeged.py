"""Szeged uncertainty corpus, Wikipedia part (``Uncertainty.dtd``) -> one ``Article`` per ``<Document>``.

Each ``<Document>`` is a Wikipedia article: a ``Title`` part (its heading) and a ``Text`` part, both made of
``<Sentence>``s. Every sentence of a ``Text`` part is a claim, *hedged* iff it holds a ``<ccue>``, whose text
is the cue span. Title sentences are in the article text but are not claims, as the project's guidelines
say of headings; a ``<ccue>`` in a title therefore adds nothing. Every cue type counts as hedged (see
``CUE_TYPES``); an unknown type is refused, since a misspelt type would otherwise pass unnoticed.

Text: every sentence (title first) on its own line, joined by ``"\\n"`` as in the BioScope importer, so
claim boundaries are visible. Sentences are kept verbatim (entities such as ``&amp;`` unescaped, runs of
spaces kept); the claim and cue *spans* are trimmed so that they neither start nor end with whitespace, as
``bench.core.validate`` requires, and the text is never edited to make them fit.

The file is parsed by expat with no DTD or external entity loaded. An entity that the DTD would have to
define is refused (expat would silently drop it, shifting every later offset), and so is any entity
declaration. The distributed file is a single line, so errors name the line *and* the column.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from bench.core.paths import resolve
from bench.data.importers.bioscope import _trim  # the same whitespace-trimming rule for spans
from bench.data.importers.uner import id_slug
from bench.data.load import Located
from bench.errors import InputError
from bench.schema import Article, Claim, Span

ID_PREFIX = "szeged"
TOPIC = "wikipedia"
SENTENCE_SEPARATOR = "\n"
CLAIM_PART = "Text"
HEADING_PART = "Title"
CUE = "ccue"
# As written in the corpus, trailing underscores and spaces included. All of them make a claim hedged:
# the project's guidelines call conditionals and open questions hedged too, not only modal verbs.
CUE_TYPES = (
    "speculation_modal_probable_",
    "speculation_modal_possible_",
    "speculation_hypo_doxastic _",
    "speculation_hypo_condition _",
    "speculation_hypo_investigation _",
)

Positions = dict[ET.Element, tuple[int, int]]  # element -> (line, column) of its start tag, both from 1


class SzegedSource:
    """A ``bench.data.load.Source`` for the Szeged uncertainty XML, read as a single split."""

    def __init__(self, path: str, split: str = "test") -> None:
        self.path = resolve(path)
        self.split = split

    def files(self) -> list[Path]:
        return [self.path]

    def read(self) -> dict[str, list[Located]]:
        root, positions = parse_with_positions(self.path)
        check_cue_types(root, self.path, positions)
        located = [
            Located(to_article(document, self.path, positions), self.path, positions[document][0])
            for document in root.iter("Document")
        ]
        return {self.split: located}


def parse_with_positions(path: Path) -> tuple[ET.Element, Positions]:
    """The element tree of ``path`` and where each element starts; no DTD or external entity is loaded."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    positions: Positions = {}

    def start(tag: str, attributes: dict[str, str]) -> None:
        positions[builder.start(tag, attributes)] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def refuse(problem: str) -> NoReturn:
        line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        raise InputError(path, line, problem, column=column)

    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)  # the default; the DTD stays unread
    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.SkippedEntityHandler = lambda name, _: refuse(f"entity &{name}; is not defined in the file")
    parser.EntityDeclHandler = lambda name, *_: refuse(f"entity declaration {name!r} refused")
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror}") from None
    except expat.ExpatError as exc:
        message = f"malformed XML: {expat.ErrorString(exc.code)}"
        raise InputError(path, exc.lineno, message, column=exc.offset + 1) from None
    return builder.close(), positions


def check_cue_types(root: ET.Element, path: Path, positions: Positions) -> None:
    """Refuse unknown cue types; the known ones are in ``CUE_TYPES``."""
    for cue in root.iter(CUE):
        if cue.get("type") not in CUE_TYPES:
            _refuse(path, positions, cue, f"cue type {cue.get('type')!r} is not one of {CUE_TYPES}")


def to_article(document: ET.Element, path: Path, positions: Positions) -> Article:
    """One ``<Document>`` -> ``Article``: id from ``<DocID>``, title from the ``Title`` part."""
    doc_id = id_slug(document.findtext("DocID") or "")
    if not doc_id:
        _refuse(path, positions, document, "document has no <DocID> with a letter or digit")
    lines: list[str] = []
    titles: list[str] = []
    claims: list[Claim] = []
    offset = 0
    for part in document.findall("DocumentPart"):
        is_claim = _is_claim_part(part, path, positions)
        for sentence in part.iter("Sentence"):
            text, cues = _checked_content(sentence, path, positions)
            if is_claim:
                claims.append(to_claim(text, cues, offset))
            else:
                titles.append(text.strip())
            lines.append(text)
            offset += len(text) + len(SENTENCE_SEPARATOR)
    text = SENTENCE_SEPARATOR.join(lines)
    return Article(f"{ID_PREFIX}-{doc_id}", " ".join(titles), text, TOPIC, claims=tuple(claims))


def _is_claim_part(part: ET.Element, path: Path, positions: Positions) -> bool:
    """``Text`` parts hold claims, ``Title`` parts headings; any other part type is refused, not guessed."""
    kind = part.get("type")
    if kind not in (CLAIM_PART, HEADING_PART):
        _refuse(path, positions, part, f"part type {kind!r} is neither {CLAIM_PART!r} nor {HEADING_PART!r}")
    return kind == CLAIM_PART


def _checked_content(sentence: ET.Element, path: Path, positions: Positions) -> tuple[str, list[Span]]:
    """``sentence_content``, refusing a blank sentence or cue: neither could be a span."""
    text, cues = sentence_content(sentence)
    if not text.strip() or any(cue.start == cue.end for cue in cues):
        _refuse(path, positions, sentence, f"sentence {sentence.get('id')!r} or one of its cues is blank")
    return text, cues


def to_claim(text: str, cues: list[Span], offset: int) -> Claim:
    """A sentence at ``offset`` in the article -> its claim; spans trimmed, the text left as it is."""
    span = _trim(text, 0, len(text))
    shifted = tuple(Span(cue.start + offset, cue.end + offset) for cue in cues)
    certainty = "hedged" if cues else "confirmed"
    return Claim(span.start + offset, span.end + offset, certainty, shifted)


def sentence_content(sentence: ET.Element) -> tuple[str, list[Span]]:
    """The sentence's verbatim text and the trimmed spans of its cues in it (a blank cue: an empty span)."""
    pieces: list[str] = []
    cues: list[Span] = []
    length = 0
    for piece, is_cue in _pieces(sentence):
        if is_cue:
            cues.append(Span(length, length + len(piece)))
        pieces.append(piece)
        length += len(piece)
    text = "".join(pieces)
    return text, [_trim(text, cue.start, cue.end) for cue in cues]


def _pieces(node: ET.Element) -> Iterator[tuple[str, bool]]:
    """The text under ``node`` in document order, each piece flagged if it is a cue's text.

    An element's ``tail`` is the text after it inside its parent, so the parent yields it after the child.
    """
    if node.tag == CUE:
        yield "".join(node.itertext()), True
        return
    yield node.text or "", False
    for child in node:
        yield from _pieces(child)
        yield child.tail or "", False


def _refuse(path: Path, positions: Positions, element: ET.Element, problem: str) -> NoReturn:
    line, column = positions[element]
    raise InputError(path, line, problem, column=column)
