"""What each headline metric is: a short column name, a one-line meaning, and whether higher is better.

Tables head their columns with ``short`` and an arrow from ``higher_is_better``; the gate reads the direction
to decide what "worse" means; an unknown metric name is an error where a user types one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricSpec:
    name: str
    short: str
    description: str
    higher_is_better: bool = True

    @property
    def arrow(self) -> str:
        return "↑" if self.higher_is_better else "↓"


_SPECS = [
    MetricSpec("entities.strict.micro.f1", "Ent F1", "entity spans, exact boundaries and type, micro F1"),
    MetricSpec("entities.strict.micro.precision", "Ent P", "entity spans, strict, micro precision"),
    MetricSpec("entities.strict.micro.recall", "Ent R", "entity spans, strict, micro recall"),
    MetricSpec("entities.strict.macro.f1", "Ent macro", "strict entity F1 averaged over the declared types"),
    MetricSpec("entities.strict.doc_macro.f1", "Ent doc", "strict entity F1 averaged over articles"),
    MetricSpec("entities.exact.micro.f1", "Ent exact", "exact boundaries, any type, micro F1"),
    MetricSpec(
        "entities.partial.micro.f1", "Ent partial", "overlapping boundaries get half credit (SemEval)"
    ),
    MetricSpec("entities.type.micro.f1", "Ent type", "right type with any overlap, micro F1"),
    MetricSpec("claims.hedged.f1", "Hedge F1", "F1 of the hedged class over gold claims"),
    MetricSpec("claims.hedged.precision", "Hedge P", "precision of the hedged class"),
    MetricSpec("claims.hedged.recall", "Hedge R", "recall of the hedged class"),
    MetricSpec("claims.confirmed.f1", "Conf F1", "F1 of the confirmed class"),
    MetricSpec("claims.macro.f1", "Cert macro", "certainty F1 averaged over hedged and confirmed"),
    MetricSpec("claims.accuracy", "Cert acc", "certainty accuracy over gold claims"),
    MetricSpec("claims.ece", "ECE", "expected calibration error of P(hedged)", higher_is_better=False),
    MetricSpec("claims.brier", "Brier", "Brier score of P(hedged)", higher_is_better=False),
    MetricSpec("claims.cues.exact.f1", "Cue F1", "hedge-cue spans, exact match, F1"),
    MetricSpec("claims.cues.token.f1", "Cue tok", "hedge-cue tokens, F1"),
]
SPECS: dict[str, MetricSpec] = {spec.name: spec for spec in _SPECS}


def spec(name: str) -> MetricSpec:
    """The spec of a headline metric; per-type entity metrics get one made from their name."""
    if name in SPECS:
        return SPECS[name]
    parts = name.split(".")
    if len(parts) == 5 and parts[:3] == ["entities", "strict", "by_type"] and parts[4] == "f1":
        return MetricSpec(name, f"{parts[3]} F1", f"strict entity F1 of type {parts[3]}")
    raise KeyError(f"unknown metric {name!r}; known: {sorted(SPECS)}")
