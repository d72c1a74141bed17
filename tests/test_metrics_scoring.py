"""The ``score_run`` / ``dumps_scores`` contract the runner relies on."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bench.metrics import METRICS_VERSION, dumps_scores, score_run
from bench.metrics.settings import EvalSettings
from bench.schema import Article, Claim, ClaimPrediction, Entity, Prediction

TEXT = "Assad has reportedly fled to Russia."
GOLD = [
    Article(
        "a1",
        "",
        TEXT,
        "t",
        entities=(Entity(0, 5, "PER"), Entity(29, 35, "LOC")),
        claims=(Claim(0, 36, "hedged"),),
    ),
    Article("a2", "", TEXT, "t", entities=(Entity(29, 35, "LOC"),), claims=(Claim(0, 36, "confirmed"),)),
]


def _pred(article_id: str, certainty: str = "hedged", start: int = 0, p: float = 0.8) -> Prediction:
    return Prediction(
        article_id, entities=(Entity(0, 5, "PER"),), claims=(ClaimPrediction(start, 36, certainty, p),)
    )


PREDS = [_pred("a1"), _pred("a2")]


def test_unannotated_task_is_marked_not_scored_never_zero() -> None:
    scores = score_run(GOLD, PREDS, ["entities"], EvalSettings(resamples=10))
    assert scores["claims"] == {"status": "not scored", "reason": "dataset does not annotate claims"}
    assert not any(name.startswith("claims.") for name in scores["headline"])
    assert scores["entities"]["strict"]["micro"]["tp"] == 1
    only_claims = score_run(GOLD, PREDS, ["claims"], EvalSettings(resamples=10))
    assert only_claims["entities"] == {"status": "not scored", "reason": "dataset does not annotate entities"}


def test_headline_shape_and_version() -> None:
    scores = score_run(GOLD, PREDS, ["entities", "claims"], EvalSettings(resamples=10))
    assert scores["metrics_version"] == METRICS_VERSION
    for name in (
        "entities.strict.micro.f1",
        "entities.strict.macro.f1",
        "claims.accuracy",
        "claims.hedged.f1",
        "claims.macro.f1",
    ):
        assert set(scores["headline"][name]) == {"value", "ci_low", "ci_high"}, name
    assert scores["headline"]["claims.accuracy"]["value"] == 0.5


@pytest.mark.parametrize(
    ("predictions", "message"),
    [
        ([_pred("a1")], "no prediction for gold article.*'a2'"),
        ([*PREDS, _pred("zz")], "not in the gold data.*'zz'"),
        ([*PREDS, _pred("a1")], "two predictions for article 'a1'"),
        ([_pred("a1"), _pred("a2", start=1)], "article 'a2': claim 0 is \\[0, 36\\)"),
        ([_pred("a1"), Prediction("a2")], "article 'a2': 0 claim predictions for 1 gold claims"),
        ([_pred("a1"), _pred("a2", certainty="maybe")], "article 'a2'.*certainty 'maybe'"),
        ([_pred("a1"), _pred("a2", p=1.5)], "article 'a2'.*p_hedged 1.5"),
    ],
)
def test_mismatched_predictions_are_refused(predictions: list[Prediction], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score_run(GOLD, predictions, ["entities", "claims"], EvalSettings(resamples=0))


def test_claim_predictions_are_not_checked_when_claims_are_not_scored() -> None:
    """``a2`` has no claim prediction for its gold claim: refused when claims are scored (above), and
    ignored when only entities are."""
    scores = score_run(GOLD, [_pred("a1"), Prediction("a2")], ["entities"], EvalSettings(resamples=0))
    assert scores["articles"] == 2
    assert scores["claims"]["status"] == "not scored"
    assert not any(name.startswith("claims.") for name in scores["headline"])


@pytest.mark.parametrize(
    ("tasks", "options", "message"),
    [
        (["entities", "sentiment"], {}, "unknown task"),
        (["entities"], {"resamples": -1}, "resamples"),
        (["entities"], {"confidence": 1.0}, "confidence"),
        (["claims"], {"ece_bins": 0}, "ece_bins"),
    ],
)
def test_bad_arguments_are_refused(tasks: list[str], options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score_run(GOLD, PREDS, tasks, EvalSettings(**options))


def test_dumps_scores_is_canonical() -> None:
    text = dumps_scores({"b": 1 / 3, "a": [np.float64(-0.0), np.int64(2), None, True], "c": {"z": 2.0000004}})
    assert text.endswith("}\n")
    assert list(json.loads(text)) == ["a", "b", "c"]
    assert json.loads(text) == {"a": [0.0, 2, None, True], "b": 0.333333, "c": {"z": 2.0}}
    assert "-0.0" not in text
    with pytest.raises(ValueError, match="finite"):
        dumps_scores({"x": float("nan")})


def test_dumps_of_a_run_is_stable() -> None:
    first = dumps_scores(score_run(GOLD, PREDS, ["entities", "claims"], EvalSettings(resamples=50)))
    assert first == dumps_scores(score_run(GOLD, PREDS, ["entities", "claims"], EvalSettings(resamples=50)))
    assert json.loads(first)["bootstrap"] == {
        "unit": "article",
        "method": "percentile",
        "resamples": 50,
        "seed": 0,
        "confidence": 0.95,
    }
