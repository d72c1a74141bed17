"""Where a string the model returned sits in the article, as half-open code-point spans.

A chat model names entities and hedge cues by their surface string, not by offsets (it cannot count code
points reliably), so the adapter places each string itself:

- matching is exact and case-sensitive (``Apple`` is not ``apple``), on whole words: the characters next to
  a match must not be letters, digits or ``_`` where the string itself starts or ends with one (``UN``
  matches in ``UN-mediated`` and ``UN's``, not in ``UNESCO``);
- ``occurrence="all"``: every such occurrence is a mention (the annotation guidelines label every mention);
  ``occurrence="first"``: only the first occurrence left after the overlap rule below;
- overlaps are resolved longest first, then leftmost, then in the order the model listed the strings:
  ``New York Times`` wins over ``New York`` where they overlap, and ``New York`` still counts everywhere else
  (a name inside another name is not annotated separately); the same string listed twice keeps its first
  label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.schema import Entity, Span

OCCURRENCES = ("all", "first")


class NotInText(ValueError):
    """A returned string with no whole-word occurrence where it should be (a hallucinated or altered name)."""


@dataclass(frozen=True)
class Named:
    """One entity as the model returned it: its surface string and label."""

    text: str
    label: str


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _whole_word(text: str, start: int, end: int) -> bool:
    before_ok = start == 0 or not (_word_char(text[start]) and _word_char(text[start - 1]))
    after_ok = end == len(text) or not (_word_char(text[end - 1]) and _word_char(text[end]))
    return before_ok and after_ok


def occurrences(needle: str, text: str, within: Span | None = None) -> list[Span]:
    """Every whole-word, case-sensitive occurrence of ``needle`` inside ``within`` (default: all of
    ``text``). Word boundaries are judged against the whole text, so a window never creates one."""
    window = within or Span(0, len(text))
    found, start = [], text.find(needle, window.start, window.end) if needle else -1
    while start != -1:
        if _whole_word(text, start, start + len(needle)):
            found.append(Span(start, start + len(needle)))
        start = text.find(needle, start + 1, window.end)
    return found


def _without_overlaps(candidates: list[tuple[Span, int]]) -> list[tuple[Span, int]]:
    """Greedy longest-first, then leftmost, then first-listed: a deterministic non-overlapping subset."""
    kept: list[tuple[Span, int]] = []
    for span, rank in sorted(candidates, key=lambda c: (c[0].start - c[0].end, c[0].start, c[1])):
        if not any(span.overlaps(other) for other, _ in kept):
            kept.append((span, rank))
    return sorted(kept)


def entity_spans(names: Sequence[Named], text: str, occurrence: str) -> tuple[Entity, ...]:
    """The entities of ``names`` in ``text``; ``NotInText`` if a name does not occur as a whole word."""
    candidates = []
    for rank, name in enumerate(names):
        found = occurrences(name.text, text)
        if not found:
            raise NotInText(f"entity {name.text!r} is not in the text")
        candidates.extend((span, rank) for span in found)
    kept = _without_overlaps(candidates)
    if occurrence == "first":
        firsts: dict[str, tuple[Span, int]] = {}
        for span, rank in kept:  # sorted by offset, so the first seen is the first occurrence
            firsts.setdefault(names[rank].text, (span, rank))
        kept = sorted(firsts.values())
    return tuple(Entity(span.start, span.end, names[rank].label) for span, rank in kept)


def cue_spans(cues: Sequence[str], text: str, claim: Span) -> tuple[Span, ...]:
    """Every whole-word occurrence of each cue inside its claim; ``NotInText`` if a cue is not there."""
    candidates = []
    for rank, cue in enumerate(cues):
        found = occurrences(cue, text, within=claim)
        if not found:
            raise NotInText(f"cue {cue!r} is not in claim [{claim.start}, {claim.end})")
        candidates.extend((span, rank) for span in found)
    return tuple(span for span, _ in _without_overlaps(candidates))
