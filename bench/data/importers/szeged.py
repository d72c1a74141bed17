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

The file is read by ``xml_core`` (shared with the BioScope importer), with no DTD or external entity loaded:
an entity that the DTD would have to define is refused (expat would silently drop it, shifting every later
offset), and so is any entity declaration. The distributed file is a single line, so errors name the line
*and* the column.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from bench.data.importers.text_lines import id_slug
from bench.data.importers.xml_core import Positions, XmlSource, marked_text, refuse, trim
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


class SzegedSource(XmlSource):
    """A ``bench.data.load.Source`` for the Szeged uncertainty XML, read as a single split."""

    CUE_TAG = CUE
    CUE_TYPES = CUE_TYPES

    def to_article(self, document: ET.Element, path: Path, positions: Positions) -> Article:
        return to_article(document, path, positions)


def to_article(document: ET.Element, path: Path, positions: Positions) -> Article:
    """One ``<Document>`` -> ``Article``: id from ``<DocID>``, title from the ``Title`` part."""
    doc_id = id_slug(document.findtext("DocID") or "")
    if not doc_id:
        refuse(path, positions, document, "document has no <DocID> with a letter or digit")
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
        refuse(path, positions, part, f"part type {kind!r} is neither {CLAIM_PART!r} nor {HEADING_PART!r}")
    return kind == CLAIM_PART


def _checked_content(sentence: ET.Element, path: Path, positions: Positions) -> tuple[str, list[Span]]:
    """``sentence_content``, refusing a blank sentence or cue: neither could be a span."""
    text, cues = sentence_content(sentence)
    if not text.strip() or any(cue.start == cue.end for cue in cues):
        refuse(path, positions, sentence, f"sentence {sentence.get('id')!r} or one of its cues is blank")
    return text, cues


def to_claim(text: str, cues: list[Span], offset: int) -> Claim:
    """A sentence at ``offset`` in the article -> its claim; spans trimmed, the text left as it is."""
    span = trim(text, 0, len(text))
    shifted = tuple(Span(cue.start + offset, cue.end + offset) for cue in cues)
    certainty = "hedged" if cues else "confirmed"
    return Claim(span.start + offset, span.end + offset, certainty, shifted)


def sentence_content(sentence: ET.Element) -> tuple[str, list[Span]]:
    """The sentence's verbatim text and the trimmed spans of its cues in it (a blank cue: an empty span)."""
    text, cues = marked_text(sentence, CUE, lambda _: True)
    return text, [trim(text, cue.start, cue.end) for cue in cues]
