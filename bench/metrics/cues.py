"""Hedge cue spans, scored only when the model predicted them (``ClaimPrediction.cues`` is not None).

Both measures compare the gold and predicted cues of the same claim and pool the counts:
- exact: a predicted cue is a true positive when a gold cue of that claim has the same ``[start, end)``
  (CoNLL-2010 task 2's cue-level measure).
- token: tokens are the maximal runs of non-whitespace in the article text; a token is in a claim's cues when
  it overlaps one of them; tp / fp / fn count tokens. This gives credit for "reportedly" vs "reportedly,".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from bench.metrics.align import Pair
from bench.metrics.counts import Counts
from bench.metrics.span_arrays import Ints
from bench.metrics.stats import Features, narrow
from bench.schema import Span

TOKEN = re.compile(r"\S+")


def cue_mode(pairs: Sequence[Pair]) -> bool | None:
    """True if every claim prediction has cues, False if none has, None when there is no claim; ValueError if
    only some do."""
    given = {guess.cues is not None for pair in pairs for guess in pair.pred.claims}
    if len(given) > 1:
        raise ValueError("cue spans are predicted for some claims but not others (cues=None)")
    return given.pop() if given else None


def joined_mode(known: set[bool]) -> bool:
    """The cue mode of a run from its chunks' modes (those of chunks with claims)."""
    if len(known) > 1:
        raise ValueError("cue spans are predicted for some claims but not others (cues=None)")
    return known == {True}


def _check(cues: Sequence[Span], pair: Pair) -> None:
    for cue in cues:
        if not 0 <= cue.start < cue.end <= len(pair.gold.text):
            raise ValueError(
                f"article {pair.gold.id!r}: cue [{cue.start}, {cue.end}) is empty or outside the text"
            )


def _tokens(spans: Sequence[Span], text: str) -> set[int]:
    """The tokens that overlap any of ``spans``, each named by its start offset. Only the text around the
    spans is scanned (tokenising whole articles was most of the cue scoring's time)."""
    covered: set[int] = set()
    for span in spans:
        begin = span.start
        if begin < len(text) and not text[begin].isspace():
            while begin > 0 and not text[begin - 1].isspace():  # back to the start of the token holding it
                begin -= 1
        covered.update(match.start() for match in TOKEN.finditer(text, begin, span.end))
    return covered


def _triple(gold: set[Any], pred: set[Any]) -> tuple[int, int, int]:
    hits = len(gold & pred)
    return hits, len(pred) - hits, len(gold) - hits


def _article_counts(pair: Pair) -> list[int]:
    """tp, fp, fn of exact cue spans, then of cue tokens, for one article."""
    counts = [0] * 6
    text = pair.gold.text
    for claim, guess in zip(pair.gold.claims, pair.pred.claims, strict=True):
        predicted = guess.cues or ()
        if not claim.cues and not predicted:
            continue  # nothing to count
        _check(predicted, pair)
        exact = _triple(set(claim.cues), set(predicted))
        token = _triple(_tokens(claim.cues, text), _tokens(predicted, text))
        counts = [total + part for total, part in zip(counts, (*exact, *token), strict=True)]
    return counts


def cue_rows(pairs: Sequence[Pair]) -> Ints:
    """Per-article tp, fp, fn of exact cue spans, then of cue tokens ``(n, 6)`` (a claim predicted without
    cues counts as predicting none)."""
    return narrow(
        np.asarray([_article_counts(pair) for pair in pairs], dtype=np.int64).reshape(len(pairs), 6)
    )


def cue_scores(rows: Ints | None) -> tuple[dict[str, Any], dict[str, Features]]:
    """The cue report and the features of its headline metrics, or "not scored" when the model predicted no
    cues."""
    if rows is None:
        return {"status": "not scored", "reason": "the model predicted no cue spans"}, {}
    exact, token = rows[:, :3], rows[:, 3:]
    report = {  # counts as floats, as scores.json has always written them
        "exact": Counts(*map(float, exact.sum(axis=0, dtype=np.int64).tolist())).to_json(),
        "token": Counts(*map(float, token.sum(axis=0, dtype=np.int64).tolist())).to_json(),
        "tokens": "maximal runs of non-whitespace; a token is in the cues when it overlaps one",
    }
    return report, {"claims.cues.exact": (exact, 1), "claims.cues.token": (token, 1)}
