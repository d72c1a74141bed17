"""Hedge cue spans, scored only when the model predicted them (``ClaimPrediction.cues`` is not None).

Both measures compare the gold and predicted cues of the same claim and pool the counts:
- exact: a predicted cue is a true positive when a gold cue of that claim has the same ``[start, end)``
  (CoNLL-2010 task 2's cue-level measure).
- token: tokens are the maximal runs of non-whitespace in the article text; a token is in a claim's cues when
  it overlaps one of them; tp / fp / fn count tokens. This gives credit for "reportedly" vs "reportedly,".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any

import numpy as np

from bench.metrics.align import Pair
from bench.metrics.counts import Counts, f1_of
from bench.metrics.stats import Statistic, statistic
from bench.schema import Span

TOKEN = re.compile(r"\S+")


def predicts_cues(pairs: Sequence[Pair]) -> bool:
    """True if every claim prediction has cues, False if none has; ValueError if only some do."""
    given = {guess.cues is not None for pair in pairs for guess in pair.pred.claims}
    if len(given) > 1:
        raise ValueError("cue spans are predicted for some claims but not others (cues=None)")
    return given == {True}


def _check(cues: Sequence[Span], pair: Pair) -> None:
    for cue in cues:
        if not 0 <= cue.start < cue.end <= len(pair.gold.text):
            raise ValueError(
                f"article {pair.gold.id!r}: cue [{cue.start}, {cue.end}) is empty or outside the text"
            )


def _tokens(spans: Sequence[Span], starts: list[int], ends: list[int]) -> set[int]:
    """Indices of the tokens that overlap any of ``spans``."""
    covered: set[int] = set()
    for span in spans:
        covered.update(range(bisect_right(ends, span.start), bisect_left(starts, span.end)))
    return covered


def _triple(gold: set[Any], pred: set[Any]) -> tuple[int, int, int]:
    hits = len(gold & pred)
    return hits, len(pred) - hits, len(gold) - hits


def _article_counts(pair: Pair) -> list[int]:
    """tp, fp, fn of exact cue spans, then of cue tokens, for one article."""
    tokens = [(m.start(), m.end()) for m in TOKEN.finditer(pair.gold.text)]
    starts, ends = [t[0] for t in tokens], [t[1] for t in tokens]
    exact, token = np.zeros(3, dtype=np.int64), np.zeros(3, dtype=np.int64)
    for claim, guess in zip(pair.gold.claims, pair.pred.claims, strict=True):
        predicted = guess.cues or ()
        _check(predicted, pair)
        exact += _triple(set(claim.cues), set(predicted))
        token += _triple(_tokens(claim.cues, starts, ends), _tokens(predicted, starts, ends))
    return [*exact.tolist(), *token.tolist()]


def cue_scores(pairs: Sequence[Pair]) -> tuple[dict[str, Any], dict[str, Statistic]]:
    """The cue report and its headline statistics, or "not scored" when the model predicted no cues."""
    if not predicts_cues(pairs):
        return {"status": "not scored", "reason": "the model predicted no cue spans"}, {}
    features = np.asarray([_article_counts(pair) for pair in pairs], dtype=np.float64).reshape(len(pairs), 6)
    exact, token = features[:, :3], features[:, 3:]
    report = {
        "exact": Counts(*exact.sum(axis=0).tolist()).to_json(),
        "token": Counts(*token.sum(axis=0).tolist()).to_json(),
        "tokens": "maximal runs of non-whitespace; a token is in the cues when it overlaps one",
    }
    stats = {"claims.cues.exact.f1": statistic(exact, f1_of), "claims.cues.token.f1": statistic(token, f1_of)}
    return report, stats
