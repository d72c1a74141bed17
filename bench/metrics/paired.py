"""Paired comparison of two runs on the same gold data: paired bootstrap and approximate randomization.

Use ``paired_tests`` for several metrics of one pair of runs (it scores each run once), then ``holm`` over the
whole grid (every metric x every pair of runs) to control the family-wise error rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from bench.metrics.align import align
from bench.metrics.scoring import declared_only, score_task
from bench.metrics.settings import DEFAULT_EVAL, EvalSettings
from bench.metrics.stats import Statistic, approximate_randomization, paired_bootstrap
from bench.schema import ENTITY_LABELS, TASKS, Article, Prediction


@dataclass(frozen=True)
class PairedResult:
    """Run a minus run b on one metric: interval of the difference and two-sided p-values."""

    metric: str
    a: float
    b: float
    delta: float
    ci_low: float
    ci_high: float
    p_bootstrap: float
    p_randomization: float

    def to_json(self) -> dict[str, float | str]:
        return asdict(self)


def _task_of(metric: str) -> str:
    task = metric.partition(".")[0]
    if task not in TASKS:
        raise ValueError(f"metric {metric!r} does not start with a task name {list(TASKS)}")
    return task


def _statistics(
    task: str,
    gold: Sequence[Article],
    runs: Sequence[Sequence[Prediction]],
    ece_bins: int,
    entity_labels: Sequence[str],
) -> list[dict[str, Statistic]]:
    # Exactly what score_run scores: undeclared labels dropped, macro averages over the declared labels.
    paired = [align(gold, declared_only(predictions, entity_labels)[0], (task,)) for predictions in runs]
    types = tuple(entity_labels) if task == "entities" else None
    return [score_task(task, pairs, types=types, ece_bins=ece_bins)[1] for pairs in paired]


def paired_tests(
    gold: Sequence[Article],
    preds_a: Sequence[Prediction],
    preds_b: Sequence[Prediction],
    metrics: Sequence[str],
    settings: EvalSettings = DEFAULT_EVAL,
    entity_labels: Sequence[str] = ENTITY_LABELS,
) -> dict[str, PairedResult]:
    """Compare run a with run b on each of ``metrics`` (headline names, e.g. ``"entities.strict.micro.f1"``),
    scoring each run once per task."""
    resamples, seed = settings.resamples, settings.seed
    if resamples < 1:
        raise ValueError("a paired test needs resamples >= 1")
    results = {}
    for task in sorted({_task_of(metric) for metric in metrics}):
        stats_a, stats_b = _statistics(task, gold, (preds_a, preds_b), settings.ece_bins, entity_labels)
        for metric in (m for m in metrics if _task_of(m) == task):
            if metric not in stats_a or metric not in stats_b:
                raise ValueError(
                    f"metric {metric!r} is not available for both runs; known: {sorted(stats_a)}"
                )
            a, b = stats_a[metric], stats_b[metric]
            boot = paired_bootstrap(a, b, resamples=resamples, seed=seed, confidence=settings.confidence)
            p_ar = approximate_randomization(a, b, permutations=resamples, seed=seed)
            results[metric] = PairedResult(
                metric,
                float(a.value()),
                float(b.value()),
                boot.delta,
                boot.ci_low,
                boot.ci_high,
                boot.p_value,
                p_ar,
            )
    return {metric: results[metric] for metric in metrics}
