"""Benchmark metrics: entity spans (strict / exact / partial / type), claim certainty, bootstrap CIs and
paired tests. ``score_run`` is what the runner calls; ``dumps_scores`` writes ``scores.json``."""

from bench.metrics.canonical import dumps_scores
from bench.metrics.paired import PairedResult, paired_tests
from bench.metrics.scoring import score_run
from bench.metrics.stats import holm
from bench.metrics.version import METRICS_VERSION

__all__ = [
    "METRICS_VERSION",
    "PairedResult",
    "dumps_scores",
    "holm",
    "paired_tests",
    "score_run",
]
