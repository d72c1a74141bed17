"""Entity spans of many articles as numpy columns, so matching runs over whole arrays instead of objects.

Each article gets its own stretch of one global coordinate line: article ``i`` starts at
``offsets[i] = sum(len(text_j) + 1 for j < i)``. Since every span lies inside its text (checked here), spans
of different articles never overlap or touch, and one sorted array can hold them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

import numpy as np
from numpy.typing import NDArray

from bench.schema import Entity

Ints = NDArray[np.int64]


@dataclass(frozen=True)
class Flat:
    """The entities of many articles in one list, with each one's article index and label."""

    entities: list[Entity]
    doc: Ints
    labels: list[str]


def flatten(groups: Sequence[Sequence[Entity]]) -> Flat:
    entities = list(chain.from_iterable(groups))
    doc = np.repeat(np.arange(len(groups), dtype=np.int64), [len(group) for group in groups])
    return Flat(entities, doc, list(map(attrgetter("label"), entities)))


def article_offsets(text_lengths: Sequence[int]) -> Ints:
    """Where each article starts on the global line (the +1 keeps neighbouring articles apart)."""
    lengths = np.asarray(text_lengths, dtype=np.int64) + 1
    return np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)


@dataclass(frozen=True)
class SpanArrays:
    """Spans sorted by (start, end, label) on the global line; ``label`` indexes a sorted label list."""

    doc: Ints
    start: Ints
    end: Ints
    label: Ints

    def __len__(self) -> int:
        return len(self.start)

    def take(self, index: Ints | slice) -> SpanArrays:
        return SpanArrays(self.doc[index], self.start[index], self.end[index], self.label[index])


def _column(entities: list[Entity], name: str) -> Ints:
    return np.fromiter(map(attrgetter(name), entities), dtype=np.int64, count=len(entities))


def _is_sorted(start: Ints, end: Ints, label: Ints) -> bool:
    step_start, step_end = np.diff(start), np.diff(end)
    later = (step_start > 0) | (
        (step_start == 0) & ((step_end > 0) | ((step_end == 0) & (np.diff(label) >= 0)))
    )
    return bool(later.all())


def span_arrays(
    flat: Flat, codes: Mapping[str, int], ids: Sequence[str], text_lengths: Sequence[int]
) -> SpanArrays:
    """Columns for ``flat``; ValueError naming the article of a span that is empty or outside its text."""
    start, end = _column(flat.entities, "start"), _column(flat.entities, "end")
    bad = np.flatnonzero(
        (start < 0) | (end <= start) | (end > np.asarray(text_lengths, dtype=np.int64)[flat.doc])
    )
    if bad.size:
        first = flat.entities[bad[0]]
        raise ValueError(
            f"article {ids[flat.doc[bad[0]]]!r}: entity [{first.start}, {first.end}) "
            "is empty or outside the text"
        )
    offsets = article_offsets(text_lengths)[flat.doc]
    label = np.fromiter(map(codes.__getitem__, flat.labels), dtype=np.int64, count=len(flat.labels))
    spans = SpanArrays(flat.doc, start + offsets, end + offsets, label)
    if _is_sorted(
        spans.start, spans.end, spans.label
    ):  # the usual case; sorting would cost more than the check
        return spans
    return spans.take(np.lexsort((spans.label, spans.end, spans.start)))


def by_label(spans: SpanArrays, labels: int) -> list[SpanArrays]:
    """The spans of each label code ``0 .. labels - 1``, each still sorted (a stable sort keeps the order)."""
    grouped = spans.take(np.argsort(spans.label, kind="stable"))
    bounds = np.searchsorted(grouped.label, np.arange(labels + 1))
    return [grouped.take(slice(bounds[code], bounds[code + 1])) for code in range(labels)]


def check_disjoint(gold: SpanArrays, ids: Sequence[str]) -> None:
    """Gold entities must not overlap (the schema says so, and the matcher's binary search relies on it)."""
    clash = np.flatnonzero(gold.start[1:] < gold.end[:-1])
    if clash.size:
        raise ValueError(f"article {ids[gold.doc[clash[0] + 1]]!r}: gold entities overlap")
