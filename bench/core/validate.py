"""Checks that an ``Article`` obeys the span conventions of ``bench/schema.py``.

Each check returns human-readable problems instead of raising, so a caller can attach the file and line
it knows and report the first problem of each article in one line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

from bench.schema import CERTAINTY_LABELS, ENTITY_LABELS, Article, Span


def article_problems(article: Article) -> list[str]:
    """Every way in which ``article`` breaks the schema, in a stable order; empty when it is valid."""
    problems = []
    if not article.id:
        problems.append("empty id")
    if not article.topic:
        problems.append("empty topic")
    problems.extend(_entity_problems(article))
    problems.extend(_claim_problems(article))
    return problems


def _span_problems(what: str, span: Span, text: str) -> Iterator[str]:
    if not 0 <= span.start < span.end <= len(text):
        yield f"{what} [{span.start}, {span.end}) is out of range for a text of length {len(text)}"
        return
    surface = span.surface(text)
    if surface != surface.strip():
        yield f"{what} [{span.start}, {span.end}) {surface!r} starts or ends with whitespace"
    for offset in (span.start, span.end):
        # A combining mark belongs to the character before it (a decomposed "é" is "e" + U+0301): a boundary
        # there splits one user-perceived character between the span and its neighbour.
        if offset < len(text) and unicodedata.combining(text[offset]):
            mark = f"U+{ord(text[offset]):04X} {unicodedata.name(text[offset], 'COMBINING MARK')}"
            yield f"{what} [{span.start}, {span.end}) splits a character: {mark} at offset {offset}"
            return


def _overlap_problems(what: str, spans: Sequence[Span]) -> Iterator[str]:
    ordered = sorted(spans)
    for left, right in zip(ordered, ordered[1:], strict=False):
        if left.overlaps(right):
            yield f"{what} spans [{left.start}, {left.end}) and [{right.start}, {right.end}) overlap"


def _entity_problems(article: Article) -> Iterator[str]:
    for entity in article.entities:
        yield from _span_problems("entity", entity.span, article.text)
        if entity.label not in ENTITY_LABELS:
            where = f"entity [{entity.start}, {entity.end})"
            yield f"{where} has unknown label {entity.label!r}; expected one of {ENTITY_LABELS}"
    yield from _overlap_problems("entity", [entity.span for entity in article.entities])


def _claim_problems(article: Article) -> Iterator[str]:
    for claim in article.claims:
        where = f"claim [{claim.start}, {claim.end})"
        yield from _span_problems("claim", claim.span, article.text)
        if claim.certainty not in CERTAINTY_LABELS:
            yield f"{where} has unknown certainty {claim.certainty!r}; expected one of {CERTAINTY_LABELS}"
        if claim.certainty == "hedged" and not claim.cues:
            yield f"{where} is hedged but has no cue"
        if claim.certainty == "confirmed" and claim.cues:
            yield f"{where} is confirmed but has {len(claim.cues)} cue(s)"
        for cue in claim.cues:
            yield from _span_problems("cue", cue, article.text)
            if not claim.span.contains(cue):
                yield f"cue [{cue.start}, {cue.end}) is outside its {where}"
        yield from _overlap_problems("cue", claim.cues)
    yield from _overlap_problems("claim", [claim.span for claim in article.claims])
