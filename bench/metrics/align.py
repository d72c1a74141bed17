"""Pair each gold article with its prediction, and refuse predictions that do not fit the gold data."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.schema import CERTAINTY_LABELS, TASKS, Article, Prediction


@dataclass(frozen=True)
class Pair:
    gold: Article
    pred: Prediction


def check_tasks(tasks: Sequence[str]) -> None:
    unknown = sorted(set(tasks) - set(TASKS))
    if unknown:
        raise ValueError(f"unknown task(s) {unknown}; expected a subset of {list(TASKS)}")


def _by_id(predictions: Sequence[Prediction]) -> dict[str, Prediction]:
    found: dict[str, Prediction] = {}
    for prediction in predictions:
        if prediction.article_id in found:
            raise ValueError(f"two predictions for article {prediction.article_id!r}")
        found[prediction.article_id] = prediction
    return found


def _check_ids(gold: Sequence[Article], predicted: dict[str, Prediction]) -> None:
    gold_ids = [article.id for article in gold]
    if len(set(gold_ids)) != len(gold_ids):
        twice = sorted(i for i, n in Counter(gold_ids).items() if n > 1)
        raise ValueError(f"gold article id(s) occur twice: {twice}")
    missing = [i for i in gold_ids if i not in predicted]
    if missing:
        raise ValueError(
            f"no prediction for gold article(s) {missing[:5]}{' ...' if len(missing) > 5 else ''}"
        )
    extra = sorted(set(predicted) - set(gold_ids))
    if extra:
        raise ValueError(f"prediction(s) for article(s) not in the gold data: {extra[:5]}")


def _check_claims(pair: Pair) -> None:
    gold, pred = pair.gold.claims, pair.pred.claims
    where = f"article {pair.gold.id!r}"
    if len(gold) != len(pred):
        raise ValueError(f"{where}: {len(pred)} claim predictions for {len(gold)} gold claims")
    for index, (claim, guess) in enumerate(zip(gold, pred, strict=True)):
        if (claim.start, claim.end) != (guess.start, guess.end):
            raise ValueError(
                f"{where}: claim {index} is [{claim.start}, {claim.end}) but the prediction is for "
                f"[{guess.start}, {guess.end})"
            )
        if guess.certainty not in CERTAINTY_LABELS:
            raise ValueError(
                f"{where}: claim {index}: certainty {guess.certainty!r} not in {CERTAINTY_LABELS}"
            )
        if not (math.isfinite(guess.p_hedged) and 0.0 <= guess.p_hedged <= 1.0):
            raise ValueError(f"{where}: claim {index}: p_hedged {guess.p_hedged!r} is not in [0, 1]")


def align(gold: Sequence[Article], predictions: Sequence[Prediction], tasks: Sequence[str]) -> list[Pair]:
    """Predictions in gold order; ValueError naming the article when ids or claims do not line up."""
    check_tasks(tasks)
    predicted = _by_id(predictions)
    _check_ids(gold, predicted)
    pairs = [Pair(article, predicted[article.id]) for article in gold]
    if "claims" in tasks:
        for pair in pairs:
            _check_claims(pair)
    return pairs
