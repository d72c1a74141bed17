"""The power line under a results table: which differences its split can resolve against the reference.

For each column, the median minimum detectable difference (``bench.metrics.power``) over the paired
comparisons the table makes against its reference model (those with a zero-width interval left out), at
the table's confidence and 80 % power. A reader then knows, before looking at any mark, that a smaller
difference in that column is below what the split can tell apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bench.metrics.power import DEFAULT_POWER, column_mdd
from bench.results.compare import Comparison


def mdd_by_column(
    comparisons: Sequence[Comparison], metrics: Iterable[str], confidence: float
) -> dict[str, float]:
    """Metric -> median MDD over the comparisons' paired intervals of that metric (metrics without one left
    out). A zero-width interval means two runs with the same score on every resample (spacy_sm borrows the
    lexicon's claims): it says nothing about what the split can resolve, so it is left out."""
    found = {m: [(c.result.ci_low, c.result.ci_high) for c in comparisons if c.metric == m] for m in metrics}
    informative = {m: [(low, high) for low, high in pairs if high > low] for m, pairs in found.items()}
    return {m: column_mdd(pairs, confidence) for m, pairs in informative.items() if pairs}


def power_line(mdd: Mapping[str, float], headers: Mapping[str, str], reference: str, level: str) -> str:
    """One sentence: each column's MDD ×100, in the order of ``headers``."""
    shown: Iterable[str] = (f"{headers[c]} {100 * mdd[c]:.1f}" for c in headers if c in mdd)
    text = "; ".join(shown) or "no paired comparison"
    return (f"Power: the smallest difference from {reference} that this split detects with "
            f"{100 * DEFAULT_POWER:.0f}% power at {level} (median over the models; paired bootstrap over "
            f"articles), ×100: {text}.")  # fmt: skip
