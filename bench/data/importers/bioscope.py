"""BioScope XML (``BioScope.dtd``) -> one ``Article`` per ``<Document>``, each ``<sentence>`` a claim.

A sentence is *hedged* iff it contains at least one ``<cue type="speculation">``; those cues are its cue
spans. Negation cues are not hedges: they stay in the text and add no span.

Text: each sentence's text with surrounding whitespace trimmed (so claim and cue spans have no whitespace
at their edges, as ``bench.core.validate`` requires), the
sentences joined by ``"\\n"``: one sentence per line,
as in the CoNLL importer, so the claim boundaries are visible in the text. Sentence-internal whitespace is
kept verbatim, so every cue's surface is exactly its text in the XML. The title sentence is a claim too:
BioScope annotates it like any other sentence.

``Located.line`` is the line of the ``<Document>`` start tag. The file is read by ``xml_core`` (shared with
the Szeged importer): an entity the file does not define (``&beta;``) is refused, not silently dropped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from bench.data.importers.xml_core import Positions, XmlSource, marked_text, refuse, trim
from bench.schema import Article, Claim, Span

ID_PREFIX = "bioscope"
TOPIC = "biomedical"
SENTENCE_SEPARATOR = "\n"
CUE_TYPES = ("speculation", "negation")
HEDGE_CUE = "speculation"


class BioscopeSource(XmlSource):
    """A ``bench.data.load.Source`` for one BioScope XML file, read as a single split."""

    CUE_TAG = "cue"
    CUE_TYPES = CUE_TYPES

    def to_article(self, document: ET.Element, path: Path, positions: Positions) -> Article:
        return to_article(document, path, positions)


def to_article(document: ET.Element, path: Path, positions: Positions) -> Article:
    """One ``<Document>`` -> ``Article``: id from ``<DocID>``, title from the ``Title`` part."""
    doc_id = (document.findtext("DocID") or "").strip()
    if not doc_id:
        refuse(path, positions, document, "document has no <DocID>")
    texts: list[str] = []
    claims: list[Claim] = []
    offset = 0
    for sentence in document.iter("sentence"):
        text, cues = sentence_content(sentence)
        _check_sentence(sentence, text, cues, path, positions)
        shifted = tuple(Span(cue.start + offset, cue.end + offset) for cue in cues)
        claims.append(Claim(offset, offset + len(text), "hedged" if cues else "confirmed", shifted))
        texts.append(text)
        offset += len(text) + len(SENTENCE_SEPARATOR)
    text = SENTENCE_SEPARATOR.join(texts)
    return Article(f"{ID_PREFIX}-{doc_id}", _title(document), text, TOPIC, claims=tuple(claims))


def _check_sentence(
    sentence: ET.Element, text: str, cues: list[Span], path: Path, positions: Positions
) -> None:
    name = f"sentence {sentence.get('id')!r}"
    if not text:
        refuse(path, positions, sentence, f"{name} has no text")
    if any(cue.start == cue.end for cue in cues):
        refuse(path, positions, sentence, f"{name} has a {HEDGE_CUE} cue with no text")


def _title(document: ET.Element) -> str:
    parts = [part for part in document.iter("DocumentPart") if part.get("type") == "Title"]
    return " ".join(sentence_content(s)[0] for part in parts for s in part.iter("sentence"))


def sentence_content(sentence: ET.Element) -> tuple[str, list[Span]]:
    """The sentence's trimmed text and the spans of its speculation cues in it (trimmed, maybe empty).
    Negation cues are not hedges: their text stays and adds no span."""
    raw, cues = marked_text(sentence, "cue", lambda cue: cue.get("type") == HEDGE_CUE)
    text = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    return text, [trim(text, cue.start - lead, cue.end - lead) for cue in cues]
