"""The Hugging Face ``evaluate`` module loads offline by local path and gives ``score_run``'s numbers."""

from __future__ import annotations

import json

import pytest

from bench.hf_metric import METRIC_PATH
from bench.metrics import dumps_scores, score_run
from bench.metrics.settings import EvalSettings
from bench.schema import Article, Claim, ClaimPrediction, Entity, Prediction, Span

# Importing ``evaluate`` takes ~8 s (it imports transformers): only this test pays it, and it is left out of
# the inner loop (``-m "not slow"``); .ci/run runs it.
pytestmark = pytest.mark.slow

TEXT = "Officials say Assad has reportedly fled to Russia. Putin met Biden in Geneva."
GOLD = [
    Article(
        "x1",
        "",
        TEXT,
        "t",
        entities=(Entity(14, 19, "PER"), Entity(43, 49, "LOC"), Entity(51, 56, "PER")),
        claims=(Claim(0, 50, "hedged", (Span(24, 34),)), Claim(51, 77, "confirmed")),
    ),
    Article(
        "x2",
        "",
        TEXT,
        "t",
        entities=(Entity(61, 66, "PER"), Entity(70, 76, "LOC")),
        claims=(Claim(0, 50, "hedged", (Span(10, 13),)), Claim(51, 77, "confirmed")),
    ),
]
PREDICTIONS = [
    Prediction(
        "x2",
        entities=(Entity(61, 66, "PER"), Entity(70, 76, "ORG")),
        claims=(ClaimPrediction(0, 50, "confirmed", 0.4, ()), ClaimPrediction(51, 77, "confirmed", 0.1, ())),
    ),
    Prediction(
        "x1",
        entities=(Entity(14, 19, "PER"), Entity(43, 50, "LOC")),
        claims=(
            ClaimPrediction(0, 50, "hedged", 0.9, (Span(24, 34),)),
            ClaimPrediction(51, 77, "hedged", 0.6, ()),
        ),
    ),
]


def test_evaluate_module_matches_score_run() -> None:
    evaluate = pytest.importorskip("evaluate")
    metric = evaluate.load(str(METRIC_PATH))
    options = {"tasks": ["entities", "claims"], "resamples": 100, "seed": 7}
    through_hf = metric.compute(
        predictions=[json.dumps(p.to_json()) for p in PREDICTIONS],
        references=[json.dumps(a.to_json()) for a in GOLD],
        **options,
    )
    direct = score_run(GOLD, PREDICTIONS, ["entities", "claims"], EvalSettings(resamples=100, seed=7))
    assert dumps_scores(through_hf) == dumps_scores(direct)
    assert through_hf["headline"]["entities.strict.micro.f1"]["value"] == pytest.approx(
        4 / 9
    )  # 2 of 5 found, 4 predicted


def _compute(predictions: list[dict], **options):
    evaluate = pytest.importorskip("evaluate")
    metric = evaluate.load(str(METRIC_PATH))
    return metric.compute(
        predictions=[json.dumps(p) for p in predictions],
        references=[json.dumps(a.to_json()) for a in GOLD],
        tasks=["entities", "claims"],
        resamples=0,
        **options,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("entity start", 14.0, "type float"),
        ("p_hedged", "0.9", "type str"),
        ("label", "PERSON", "PERSON"),
    ],
)
def test_evaluate_module_refuses_what_a_run_refuses(field: str, value: object, message: str) -> None:
    """The lenient ``from_json`` used to score a float offset and a string probability and silently drop
    ``PERSON``; the module now goes through the strict parser and the check against the gold articles."""
    predictions = [p.to_json() for p in PREDICTIONS]
    x1 = predictions[1]
    if field == "entity start":
        x1["entities"][0]["start"] = value
    elif field == "label":
        x1["entities"][0]["label"] = value
    else:
        x1["claims"][0]["p_hedged"] = value
    with pytest.raises(ValueError, match=message):
        _compute(predictions)


def test_evaluate_module_scores_only_the_dataset_s_declared_labels() -> None:
    """As in a run on UNER (PER/ORG/LOC): a MISC prediction is dropped and counted, not charged."""
    predictions = [p.to_json() for p in PREDICTIONS]
    predictions[0]["entities"].append({"start": 0, "end": 9, "label": "MISC"})
    scores = _compute(predictions, entity_labels=["PER", "ORG", "LOC"])
    direct = score_run(
        GOLD, PREDICTIONS, ["entities", "claims"], EvalSettings(resamples=0), ("PER", "ORG", "LOC")
    )
    assert scores["entities"]["dropped_predictions"] == {"MISC": 1}
    assert scores["entities"]["strict"] == json.loads(dumps_scores(direct))["entities"]["strict"]
    assert scores["entities"]["types"] == ["PER", "ORG", "LOC"]
