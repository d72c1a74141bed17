"""Match predicted entity spans to gold spans under the four SemEval-2013 schemes, as nervaluate 1.x does.

Categories (SemEval-2013 / nervaluate): correct, incorrect, partial, missed (a gold span never matched),
spurious (a prediction matched to nothing). Every scheme is one greedy pass over the predictions in
(start, end, label) order: each prediction takes at most one still-unmatched gold span that it overlaps, and
each gold span is taken at most once. (nervaluate walks its input order; sorting first makes the result
independent of the order in which a model emits its spans.)

- strict:  the unmatched gold with the same boundaries and label -> correct; else the first unmatched
           overlapping gold -> incorrect (wrong boundaries or wrong type); else spurious.
- exact:   the same, ignoring labels (same boundaries -> correct, overlap -> incorrect).
- partial: same boundaries -> correct; overlap -> partial (half credit); labels ignored.
- type:    among unmatched overlapping golds with the same label, the closest (least |start difference| +
           |end difference|, the first on ties) -> correct; else the first unmatched overlapping gold ->
           incorrect.

"Overlapping" means sharing at least one character. nervaluate 1.x also requires the overlap to cover 1% of
the gold span, which makes a difference only for gold spans longer than 100 characters.

Speed: the greedy pass, written out in ``_greedy``, is the definition. Most predictions cannot compete
with any other, and for them its outcome has a closed form computed on whole arrays (``_stars``: a gold
whose predictions overlap only it, e.g. one prediction or a gold split in pieces; ``_spanning``: one
prediction over several golds that nothing else overlaps, e.g. two entities merged). Only the rest (chains
of overlaps, overlapping predictions) goes through the loop, in order. The closed-form predictions never
touch a gold span that a looped one overlaps, so the parts are independent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import NDArray

from bench.metrics.span_arrays import Ints, SpanArrays

SCHEMES: tuple[str, ...] = ("strict", "exact", "partial", "type")
CATEGORIES: tuple[str, ...] = ("correct", "incorrect", "partial", "missed", "spurious")
CORRECT, INCORRECT, PARTIAL, SPURIOUS = 0, 1, 2, 3  # a prediction's category ("missed" is a gold's)

Bools = NDArray[np.bool_]
Row = tuple[int, int, int]  # start, end, label code
_Chooser = Callable[[list[int], Row, Mapping[int, Row]], tuple[int, int]]


def _first_or_spurious(candidates: list[int], category: int) -> tuple[int, int]:
    return (candidates[0], category) if candidates else (-1, SPURIOUS)


def _choose_strict(candidates: list[int], pred: Row, gold: Mapping[int, Row]) -> tuple[int, int]:
    for g in candidates:
        if gold[g] == pred:
            return g, CORRECT
    return _first_or_spurious(candidates, INCORRECT)


def _choose_exact(candidates: list[int], pred: Row, gold: Mapping[int, Row]) -> tuple[int, int]:
    for g in candidates:
        if gold[g][:2] == pred[:2]:
            return g, CORRECT
    return _first_or_spurious(candidates, INCORRECT)


def _choose_partial(candidates: list[int], pred: Row, gold: Mapping[int, Row]) -> tuple[int, int]:
    for g in candidates:
        if gold[g][:2] == pred[:2]:
            return g, CORRECT
    return _first_or_spurious(candidates, PARTIAL)


def _choose_type(candidates: list[int], pred: Row, gold: Mapping[int, Row]) -> tuple[int, int]:
    start, end, label = pred
    same = [g for g in candidates if gold[g][2] == label]
    if same:  # min() keeps the first of equally close spans, as nervaluate's strict "<" does
        return min(same, key=lambda g: abs(gold[g][0] - start) + abs(gold[g][1] - end)), CORRECT
    return _first_or_spurious(candidates, INCORRECT)


_CHOOSERS: dict[str, _Chooser] = {
    "strict": _choose_strict,
    "exact": _choose_exact,
    "partial": _choose_partial,
    "type": _choose_type,
}

# The category of a prediction that takes the one gold span it overlaps, from (same bounds, same label).
_CLOSED_FORMS: dict[str, Callable[[Bools, Bools], Ints]] = {
    "strict": lambda bounds, label: np.where(bounds & label, CORRECT, INCORRECT),
    "exact": lambda bounds, label: np.where(bounds, CORRECT, INCORRECT),
    "partial": lambda bounds, label: np.where(bounds, CORRECT, PARTIAL),
    "type": lambda bounds, label: np.where(label, CORRECT, INCORRECT),
}


Outcome = tuple[Ints, Ints, Ints]  # predictions (indices), their categories, the gold spans they took


def _rows(spans: SpanArrays, index: Ints) -> list[Row]:
    columns = (spans.start[index].tolist(), spans.end[index].tolist(), spans.label[index].tolist())
    return list(zip(*columns, strict=True))


def _greedy(gold: SpanArrays, pred: SpanArrays, todo: Ints, lo: Ints, hi: Ints) -> dict[str, Outcome]:
    """The definition, for the predictions ``todo`` in order.

    Starts with nothing taken: predictions with a closed form never touch the golds these ones overlap.
    """
    ranges = list(zip(lo[todo].tolist(), hi[todo].tolist(), strict=True))
    needed = np.asarray(sorted({g for first, last in ranges for g in range(first, last)}), dtype=np.int64)
    golds = dict(zip(needed.tolist(), _rows(gold, needed), strict=True))
    result = {}
    for scheme, choose in _CHOOSERS.items():
        taken: set[int] = set()
        categories = []
        for row, (first, last) in zip(_rows(pred, todo), ranges, strict=True):
            g, category = choose([g for g in range(first, last) if g not in taken], row, golds)
            taken.add(g)
            categories.append(category)
        taken.discard(-1)
        result[scheme] = (
            todo,
            np.asarray(categories, dtype=np.int64),
            np.asarray(sorted(taken), dtype=np.int64),
        )
    return result


def _stars(gold: SpanArrays, pred: SpanArrays, lo: Ints, width: Ints, degree: Ints) -> dict[str, Outcome]:
    """Golds whose overlapping predictions all overlap nothing else (one prediction, or a gold split in
    pieces): the first prediction takes the gold, the others find it taken and are spurious."""
    single = np.flatnonzero(width == 1)
    only_here = np.bincount(lo[single], minlength=len(degree))
    star = single[degree[lo[single]] == only_here[lo[single]]]
    first = np.ones(len(star), dtype=bool)
    first[1:] = lo[star[1:]] != lo[star[:-1]]
    takers, g = star[first], lo[star[first]]
    bounds = (gold.start[g] == pred.start[takers]) & (gold.end[g] == pred.end[takers])
    same_label = gold.label[g] == pred.label[takers]
    result = {}
    for scheme, closed_form in _CLOSED_FORMS.items():
        categories = np.full(len(star), SPURIOUS, dtype=np.int64)
        categories[first] = closed_form(bounds, same_label)
        result[scheme] = (star, categories, g)
    return result


def _closest_same_label(
    gold: SpanArrays, pred: SpanArrays, index: Ints, lo: Ints, hi: Ints
) -> tuple[Ints, Bools]:
    """For each prediction in ``index``: the closest gold in ``[lo, hi)`` with its label (the first on ties),
    and whether there is one."""
    width = hi[index] - lo[index]
    owner = np.repeat(np.arange(len(index)), width)
    candidate = (
        np.repeat(lo[index], width) + np.arange(width.sum()) - np.repeat(np.cumsum(width) - width, width)
    )
    who = index[owner]
    distance = np.abs(gold.start[candidate] - pred.start[who]) + np.abs(gold.end[candidate] - pred.end[who])
    never = np.iinfo(np.int64).max
    key = np.where(gold.label[candidate] == pred.label[who], distance, never)
    order = np.lexsort((candidate, key, owner))
    best = order[np.searchsorted(owner[order], np.arange(len(index)))]
    return candidate[best], key[best] != never


def _spanning(gold: SpanArrays, pred: SpanArrays, lo: Ints, hi: Ints, degree: Ints) -> dict[str, Outcome]:
    """Predictions over several golds that no other prediction overlaps: every candidate is still free, and
    none has the same boundaries (a span that overlaps two disjoint spans equals neither)."""
    running = np.concatenate([[0], np.cumsum(degree)])
    width = hi - lo
    multi = np.flatnonzero(width > 1)
    spanning = multi[running[hi[multi]] - running[lo[multi]] == width[multi]]
    first = lo[spanning]
    closest, found = _closest_same_label(gold, pred, spanning, lo, hi)
    every = np.ones(len(spanning), dtype=np.int64)
    return {
        "strict": (spanning, every * INCORRECT, first),
        "exact": (spanning, every * INCORRECT, first),
        "partial": (spanning, every * PARTIAL, first),
        "type": (spanning, np.where(found, CORRECT, INCORRECT), np.where(found, closest, first)),
    }


def match(gold: SpanArrays, pred: SpanArrays) -> dict[str, tuple[Ints, Bools]]:
    """Per scheme: the category of each prediction and whether each gold span was matched.

    ``gold`` spans must not overlap each other (so their ends are sorted too); predictions may.
    """
    lo = np.searchsorted(gold.end, pred.start, side="right")  # first gold ending after the prediction starts
    hi = np.searchsorted(gold.start, pred.end, side="left")  # first gold starting at or after its end
    size = len(gold)
    # How many predictions overlap each gold span: +1 at lo, -1 at hi, running sum.
    degree = np.cumsum(np.bincount(lo, minlength=size + 1) - np.bincount(hi, minlength=size + 1))[:size]
    parts = [_stars(gold, pred, lo, hi - lo, degree), _spanning(gold, pred, lo, hi, degree)]
    looping = hi > lo
    for part in parts:
        looping[part["strict"][0]] = False
    if looping.any():
        parts.append(_greedy(gold, pred, np.flatnonzero(looping), lo, hi))
    result = {}
    for scheme in SCHEMES:
        category = np.full(len(pred), SPURIOUS, dtype=np.int64)
        matched = np.zeros(size, dtype=bool)
        for part in parts:
            predictions, categories, taken = part[scheme]
            category[predictions] = categories
            matched[taken] = True
        result[scheme] = (category, matched)
    return result


def tally(gold: SpanArrays, pred: SpanArrays, n_docs: int) -> dict[str, Ints]:
    """Per scheme, an ``(n_docs, 5)`` array of per-article counts in ``CATEGORIES`` order."""
    tallies = {}
    for scheme, (category, matched) in match(gold, pred).items():
        by_category = np.bincount(pred.doc * 4 + category, minlength=n_docs * 4).reshape(n_docs, 4)
        missed = np.bincount(gold.doc[~matched], minlength=n_docs)
        columns = [
            by_category[:, CORRECT],
            by_category[:, INCORRECT],
            by_category[:, PARTIAL],
            missed,
            by_category[:, SPURIOUS],
        ]
        tallies[scheme] = np.column_stack(columns).astype(np.int64)
    return tallies
