"""One declaration per metric (``bench.metrics.specs``): the headline names a run writes are exactly the
declared metrics (plus one strict F1 per declared entity type), and every list of metrics is derived."""

from __future__ import annotations

import json

from bench.core.paths import PROJECT_ROOT
from bench.metrics import score_run
from bench.metrics.settings import EvalSettings
from bench.metrics.specs import DEFAULT_METRICS, GATED_METRICS, SPECS, TASK_METRICS, spec
from bench.results import gate, suite, tables
from bench.schema import ENTITY_LABELS, Article, Claim, ClaimPrediction, Entity, Prediction, Span

BASELINE = PROJECT_ROOT / "results" / "baselines" / "news-test" / "lexicon" / "scores.json"
TEXT = "Officials say Assad has reportedly fled to Russia."


def _by_type(labels: tuple[str, ...]) -> set[str]:
    return {f"entities.strict.by_type.{label}.f1" for label in labels}


def test_the_headline_names_a_run_writes_are_the_declared_metrics() -> None:
    gold = Article("a", "", TEXT, "t", (Entity(14, 19, "PER"),), (Claim(0, 50, "hedged", (Span(24, 34),)),))
    prediction = Prediction(
        "a", (Entity(43, 49, "LOC"),), (ClaimPrediction(0, 50, "hedged", 0.8, (Span(24, 34),)),)
    )
    headline = score_run([gold], [prediction], ["entities", "claims"], EvalSettings(resamples=0))["headline"]
    assert set(headline) == set(SPECS) | _by_type(ENTITY_LABELS)
    for name in headline:
        assert spec(name).name == name


def test_every_metric_of_the_committed_baseline_is_declared() -> None:
    """A baseline written before a metric was added lacks it (the gate compares the metrics both runs have);
    it never holds one that is not declared."""
    headline = json.loads(BASELINE.read_text(encoding="utf-8"))["headline"]
    assert set(headline) <= set(SPECS) | _by_type(ENTITY_LABELS)


def test_tables_gate_and_suite_use_the_declared_lists() -> None:
    assert tables.DEFAULT_METRICS is DEFAULT_METRICS and gate.GATED_METRICS is GATED_METRICS
    assert suite.TASK_METRICS is TASK_METRICS
    assert set(GATED_METRICS) <= set(DEFAULT_METRICS) <= set(SPECS)
    assert sorted(TASK_METRICS) == ["claims", "entities"]
    assert all(SPECS[name].task == task for task, name in TASK_METRICS.items())
