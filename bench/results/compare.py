"""Paired comparison of runs against a reference run: paired bootstrap per metric, Holm over all tests.

Shared by ``tables`` (every model against the reference) and ``gate`` (the candidate against the baseline),
so both report the same deltas and p-values for the same runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.metrics import PairedResult, holm, paired_tests
from bench.run.rundir import Run, check_comparable, gold_articles


@dataclass(frozen=True)
class Comparison:
    """``result.delta`` is the run minus the reference; ``p_holm`` is corrected over every test made."""

    run: Run
    metric: str
    result: PairedResult
    p_holm: float


def compare_to_reference(reference: Run, runs: Sequence[Run], metrics: Sequence[str]) -> list[Comparison]:
    """Paired tests of each run against ``reference`` on the metrics both have."""
    check_comparable([reference, *runs])
    _, gold = gold_articles(reference)
    reference_predictions = reference.predictions(gold)
    found: list[tuple[Run, str, PairedResult]] = []
    for run in runs:
        shared = [m for m in metrics if m in run.headline and m in reference.headline]
        if not shared or run is reference:
            continue
        labels = reference.manifest.data.entity_labels
        results = paired_tests(
            gold, run.predictions(gold), reference_predictions, shared, reference.manifest.eval, labels
        )
        found.extend((run, metric, result) for metric, result in results.items())
    names = {f"{i}:{run.path}:{metric}": i for i, (run, metric, _) in enumerate(found)}
    adjusted = holm({name: found[i][2].p_bootstrap for name, i in names.items()})
    return [Comparison(found[i][0], found[i][1], found[i][2], adjusted[name]) for name, i in names.items()]
