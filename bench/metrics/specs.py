"""The one declaration of every headline metric: its name, short column name, meaning, direction, how its
statistic is built, and where it is shown by default. Everything else is derived from ``_SPECS``:

- the statistics a run bootstraps (``statistics``: each metric's ``finish`` over the per-article
  ``features`` its task provides), hence the names in ``scores.json``'s ``headline``;
- ``DEFAULT_METRICS`` (the columns of ``bench.tables``), ``GATED_METRICS`` (``bench.gate``'s default) and
  ``TASK_METRICS`` (the cell of each task in ``bench.suite``);
- table and suite headers (``short`` and the arrow of ``higher_is_better``); the gate reads the direction to
  decide what "worse" means; an unknown metric name is an error where a user types one.

Per-type entity metrics (``entities.strict.by_type.<TYPE>.f1``) depend on the dataset's types; ``spec``
makes their spec from the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bench.metrics.certainty import ece_of
from bench.metrics.counts import f1_of, macro_f1_of, precision_of, ratio_of, recall_of
from bench.metrics.stats import Features, Finish, Statistic


@dataclass(frozen=True)
class MetricSpec:
    name: str
    short: str
    description: str
    features: str = ""  # the per-article features its statistic is a function of (a task provides them)
    finish: Finish | None = None  # the metric as a function of the features' totals
    higher_is_better: bool = True
    table: bool = False  # a default column of ``bench.tables``
    gated: bool = False  # gated by default by ``bench.gate``
    suite: bool = False  # its task's cell in ``bench.suite`` (one per task)

    @property
    def arrow(self) -> str:
        return "↑" if self.higher_is_better else "↓"

    @property
    def task(self) -> str:
        return self.name.split(".")[0]


_SPECS = [
    MetricSpec("entities.strict.micro.f1", "Ent F1", "entity spans, exact boundaries and type, micro F1",
               "entities.strict.micro", f1_of, table=True, gated=True, suite=True),
    MetricSpec("entities.strict.micro.precision", "Ent P", "entity spans, strict, micro precision",
               "entities.strict.micro", precision_of),
    MetricSpec("entities.strict.micro.recall", "Ent R", "entity spans, strict, micro recall",
               "entities.strict.micro", recall_of),
    MetricSpec("entities.strict.macro.f1", "Ent macro", "strict entity F1 averaged over the declared types",
               "entities.strict.by_type", macro_f1_of, table=True),
    MetricSpec("entities.strict.doc_macro.f1", "Ent doc", "strict entity F1 averaged over articles",
               "entities.strict.by_article", ratio_of),
    MetricSpec("entities.exact.micro.f1", "Ent exact", "exact boundaries, any type, micro F1",
               "entities.exact.micro", f1_of),
    MetricSpec("entities.partial.micro.f1", "Ent partial", "overlapping boundaries get half credit (SemEval)",
               "entities.partial.micro", f1_of, table=True),
    MetricSpec("entities.type.micro.f1", "Ent type", "right type with any overlap, micro F1",
               "entities.type.micro", f1_of),
    MetricSpec("claims.hedged.f1", "Hedge F1", "F1 of the hedged class over gold claims",
               "claims.hedged", f1_of, table=True, gated=True, suite=True),
    MetricSpec("claims.hedged.precision", "Hedge P", "precision of the hedged class",
               "claims.hedged", precision_of),
    MetricSpec("claims.hedged.recall", "Hedge R", "recall of the hedged class", "claims.hedged", recall_of),
    MetricSpec("claims.confirmed.f1", "Conf F1", "F1 of the confirmed class", "claims.confirmed", f1_of),
    MetricSpec("claims.macro.f1", "Cert macro", "certainty F1 averaged over hedged and confirmed",
               "claims.classes", macro_f1_of, table=True, gated=True),
    MetricSpec("claims.accuracy", "Cert acc", "certainty accuracy over gold claims",
               "claims.accuracy", ratio_of),
    MetricSpec("claims.ece", "ECE", "expected calibration error of P(hedged)", "claims.ece", ece_of,
               higher_is_better=False, table=True),
    MetricSpec("claims.brier", "Brier", "Brier score of P(hedged)", "claims.brier", ratio_of,
               higher_is_better=False),
    MetricSpec("claims.cues.exact.f1", "Cue F1", "hedge-cue spans, exact match, F1",
               "claims.cues.exact", f1_of),
    MetricSpec("claims.cues.token.f1", "Cue tok", "hedge-cue tokens, F1", "claims.cues.token", f1_of),
]  # fmt: skip
SPECS: dict[str, MetricSpec] = {spec.name: spec for spec in _SPECS}
DEFAULT_METRICS: tuple[str, ...] = tuple(s.name for s in _SPECS if s.table)
GATED_METRICS: tuple[str, ...] = tuple(s.name for s in _SPECS if s.gated)
TASK_METRICS: dict[str, str] = {s.task: s.name for s in _SPECS if s.suite}


def statistics(features: Mapping[str, Features]) -> dict[str, Statistic]:
    """The declared metrics whose features are given, as bootstrap-ready statistics (metrics of the same
    features share one array, so the bootstrap totals it once)."""
    return {
        s.name: Statistic(*features[s.features], s.finish)
        for s in _SPECS
        if s.finish is not None and s.features in features
    }


def spec(name: str) -> MetricSpec:
    """The spec of a headline metric; per-type entity metrics get one made from their name."""
    if name in SPECS:
        return SPECS[name]
    parts = name.split(".")
    if len(parts) == 5 and parts[:3] == ["entities", "strict", "by_type"] and parts[4] == "f1":
        return MetricSpec(name, f"{parts[3]} F1", f"strict entity F1 of type {parts[3]}")
    raise KeyError(f"unknown metric {name!r}; known: {sorted(SPECS)}")
