"""The XML reading that the BioScope and Szeged importers share: one parser, one text walk, one span rule.

Both corpora are sentences with cue elements inside (``<cue>`` in BioScope, ``<ccue>`` in Szeged). Each
importer says which element is a cue, which cue types exist and how a document becomes an ``Article``;
everything else is here:

- ``parse``: the element tree and where each element starts (line and column, from 1: ElementTree reports
  neither, so the tree is built from ``xml.parsers.expat`` events). No DTD or external entity is loaded. An
  entity that the DTD would have to define (``&beta;``) is refused, as is any entity declaration: expat
  would silently drop the entity, shifting every later offset.
- ``marked_text``: a sentence's text in document order, and the spans of its cues in it.
- ``trim``: the one whitespace rule for claim and cue spans (``bench.core.validate`` wants none at the edges).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from bench.core.paths import resolve
from bench.data.load import Located
from bench.errors import InputError
from bench.schema import Article, Span

Positions = dict[ET.Element, tuple[int, int]]  # element -> (line, column) of its start tag, both from 1


def parse(path: Path) -> tuple[ET.Element, Positions]:
    """The element tree of ``path`` and where each element starts; no DTD or external entity is loaded."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    positions: Positions = {}

    def start(tag: str, attributes: dict[str, str]) -> None:
        positions[builder.start(tag, attributes)] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def refuse_here(problem: str) -> NoReturn:
        line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        raise InputError(path, line, problem, column=column)

    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)  # the default; the DTD stays unread
    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.SkippedEntityHandler = lambda name, _: refuse_here(f"entity &{name}; is not defined in the file")
    parser.EntityDeclHandler = lambda name, *_: refuse_here(f"entity declaration {name!r} refused")
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror}") from None
    except expat.ExpatError as exc:
        message = f"malformed XML: {expat.ErrorString(exc.code)}"
        raise InputError(path, exc.lineno, message, column=exc.offset + 1) from None
    return builder.close(), positions


def refuse(path: Path, positions: Positions, element: ET.Element, problem: str) -> NoReturn:
    """An ``InputError`` at the start tag of ``element``."""
    line, column = positions[element]
    raise InputError(path, line, problem, column=column)


def check_cue_types(
    root: ET.Element, cue_tag: str, types: Sequence[str], path: Path, positions: Positions
) -> None:
    """Refuse unknown cue types: a misspelt type would silently turn a hedge into a fact."""
    for cue in root.iter(cue_tag):
        if cue.get("type") not in types:
            refuse(path, positions, cue, f"cue type {cue.get('type')!r} is not one of {tuple(types)}")


def marked_text(
    sentence: ET.Element, cue_tag: str, is_marked: Callable[[ET.Element], bool]
) -> tuple[str, list[Span]]:
    """The text under ``sentence`` in document order and the spans, in it, of the ``cue_tag`` elements that
    ``is_marked`` accepts (untrimmed; a cue of blanks gives a blank span)."""
    pieces: list[str] = []
    cues: list[Span] = []
    length = 0
    for piece, marked in _pieces(sentence, cue_tag, is_marked):
        if marked:
            cues.append(Span(length, length + len(piece)))
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces), cues


def _pieces(
    node: ET.Element, cue_tag: str, is_marked: Callable[[ET.Element], bool]
) -> Iterator[tuple[str, bool]]:
    """The text under ``node`` in document order, each piece flagged if it is a marked cue's text.

    A cue holds only text (both DTDs), so its whole text is one piece. An element's ``tail`` is the text after
    it inside its parent, so the parent yields it, after the child's own pieces.
    """
    if node.tag == cue_tag:
        yield "".join(node.itertext()), is_marked(node)
        return
    yield node.text or "", False
    for child in node:
        yield from _pieces(child, cue_tag, is_marked)
        yield child.tail or "", False


def trim(text: str, start: int, end: int) -> Span:
    """``[start, end)`` clipped to ``text`` and shrunk until it neither starts nor ends with whitespace."""
    start, end = max(start, 0), min(end, len(text))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


class XmlSource:
    """A ``bench.data.load.Source`` for one XML file of ``<Document>``s, read as a single split.

    Subclasses set ``CUE_TAG`` and ``CUE_TYPES`` and turn a document into an ``Article``."""

    CUE_TAG: str
    CUE_TYPES: tuple[str, ...]

    def __init__(self, path: str, split: str = "test") -> None:
        self.path = resolve(path)
        self.split = split

    def files(self) -> list[Path]:
        return [self.path]

    def read(self) -> dict[str, list[Located]]:
        root, positions = parse(self.path)
        check_cue_types(root, self.CUE_TAG, self.CUE_TYPES, self.path, positions)
        located = [
            Located(self.to_article(document, self.path, positions), self.path, positions[document][0])
            for document in root.iter("Document")
        ]
        return {self.split: located}

    def to_article(self, document: ET.Element, path: Path, positions: Positions) -> Article:
        raise NotImplementedError
