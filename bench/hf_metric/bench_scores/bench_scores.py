"""``bench_scores``: the benchmark's entity and claim-certainty metrics as an ``evaluate.Metric``.

Inputs are JSON lines, exactly as the benchmark stores them: each reference is one gold article
(``bench.schema.Article.to_json``), each prediction one line of ``predictions.jsonl``
(``bench.schema.Prediction.to_json``). Everything is done by ``bench.evaluate``: the strict parser and the
check against the gold articles that a run applies (a float offset, a string probability or a label outside
PER ORG LOC MISC is a ValueError, never a coerced or silently dropped value), then ``score_run`` on the
dataset's declared entity labels.
"""

import json

import datasets
import evaluate

from bench.api import evaluate as bench_evaluate
from bench.metrics.settings import EvalSettings
from bench.schema import ENTITY_LABELS

_DESCRIPTION = """Entity spans (strict / exact / partial / type; micro, macro, per type, per document) and
claim certainty (accuracy, hedged F1, macro F1, ECE, Brier, cue spans), with article-level bootstrap
intervals for the headline metrics. Returns the same dictionary as bench.metrics.score_run."""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of JSON strings, one ``Prediction`` per article (any order; matched by article_id).
    references: list of JSON strings, one gold ``Article`` each.
    tasks: the tasks the dataset annotates, a subset of ("entities", "claims"). Required.
    entity_labels: the entity labels the dataset annotates (its ``entity_labels``; default all four).
        Predictions of other labels are dropped before scoring and counted, as in a run.
    resamples: bootstrap resamples of articles (default 1000; 0 for no intervals).
    seed: seed of the bootstrap's numpy Generator (default 0).
    confidence: confidence level of the percentile intervals (default 0.95).
    ece_bins: equal-width bins of p_hedged for ECE (default 10).
Returns:
    the scores dictionary: "metrics_version", "headline" (name -> value, ci_low, ci_high), "entities",
    "claims".
"""

_CITATION = ""


class BenchScores(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features(
                {"predictions": datasets.Value("string"), "references": datasets.Value("string")}
            ),
        )

    def _compute(self, predictions, references, tasks, entity_labels=ENTITY_LABELS, resamples=1000, seed=0,
                 confidence=0.95, ece_bins=10):  # fmt: skip
        settings = EvalSettings(resamples=resamples, seed=seed, confidence=confidence, ece_bins=ece_bins)
        gold = [json.loads(line) for line in references]
        runs = [json.loads(line) for line in predictions]
        return bench_evaluate(gold, runs, list(tasks), list(entity_labels), settings)
