"""Entity scores over character spans: strict / exact / partial / type; micro, macro over types, per type,
and document-level macro.

Matching is ``matching.match`` (nervaluate 1.x's rules). Counts from the five categories, as in
nervaluate: ``actual = correct + incorrect + partial + spurious`` (predictions), ``possible = correct +
incorrect + partial + missed`` (gold spans), ``tp = correct + partial / 2``, ``fp = actual - tp``,
``fn = possible - tp``.

Attribution to types (as nervaluate and conlleval do): each type is scored on its own, on the gold and
predicted spans of that type only. A prediction counts against its predicted type alone (a false positive
there), and a gold span it failed to find counts against the gold span's type alone (a false negative there);
a prediction is matched to at most one gold span. Micro totals come from matching all types together.

Document-level macro F1 is the mean of per-article F1 over the articles that have any gold or predicted entity
(an article with neither has nothing to score; counting it as 0 or 1 would be arbitrary).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from bench.metrics.align import Pair
from bench.metrics.counts import Counts, f1, f1_of, macro, ratio_of
from bench.metrics.matching import CATEGORIES, CORRECT, SCHEMES, match, tally
from bench.metrics.span_arrays import Ints, by_label, check_disjoint, flatten, span_arrays
from bench.metrics.stats import Features, Statistic, count_features, narrow, real_features
from bench.schema import ENTITY_LABELS, Article, Entity

MICRO = "micro"  # the scope of all types together; every other scope is a type name


@dataclass(frozen=True)
class SemEvalCounts:
    """nervaluate's result for one scheme and scope: the five categories, additive."""

    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    def __add__(self, other: SemEvalCounts) -> SemEvalCounts:
        return SemEvalCounts(*(getattr(self, c) + getattr(other, c) for c in CATEGORIES))

    @property
    def possible(self) -> int:
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        return self.correct + self.incorrect + self.partial + self.spurious

    @property
    def counts(self) -> Counts:
        tp = self.correct + 0.5 * self.partial
        return Counts(tp=tp, fp=self.actual - tp, fn=self.possible - tp)

    def to_json(self) -> dict[str, float]:
        categories = {c: getattr(self, c) for c in CATEGORIES}
        return {**categories, "possible": self.possible, "actual": self.actual, **self.counts.to_json()}


@dataclass(frozen=True)
class StrictMatch:
    """One article's entities under the strict scheme, as ``scores.json`` counts them: ``found`` are the gold
    entities a prediction matched in span and label; every other gold entity is ``missed`` and every other
    prediction ``spurious`` (a duplicate, or a prediction whose gold span an earlier overlapping prediction
    took, included: nervaluate's greedy rule, not set intersection)."""

    found: tuple[Entity, ...]
    missed: tuple[Entity, ...]
    spurious: tuple[Entity, ...]

    @property
    def counts(self) -> Counts:
        """The strict tp, fp, fn of ``scores.json`` (tp = correct, fp = actual - tp, fn = possible - tp)."""
        return Counts(len(self.found), len(self.spurious), len(self.missed))

    @cached_property  # read by without_retyped and by its callers: paired once
    def retyped(self) -> tuple[tuple[Entity, Entity], ...]:
        """(gold, prediction) pairs on one span with another type: a miss and a spurious prediction to the
        scorer, one wrong-type error to a reader. Each prediction pairs at most once (the first on the span),
        so the report's error list and its confusion table count the same pairs."""
        left = list(self.spurious)
        pairs = []
        for entity in self.missed:
            same = next((p for p in left if (p.start, p.end) == (entity.start, entity.end)), None)
            if same is not None:
                left.remove(same)
                pairs.append((entity, same))
        return tuple(pairs)

    def without_retyped(self) -> tuple[tuple[Entity, ...], tuple[Entity, ...]]:
        """The missed and spurious entities that no ``retyped`` pair explains."""
        pairs = self.retyped
        missed = [e for e in self.missed if all(e is not gold for gold, _ in pairs)]
        spurious = list(self.spurious)
        for _, prediction in pairs:
            spurious.remove(prediction)
        return tuple(missed), tuple(spurious)


def strict_match(
    article: Article, predicted: Sequence[Entity], labels: Sequence[str] = ENTITY_LABELS
) -> StrictMatch:
    """The one strict matching of an article's predicted entities, for every caller that needs matched sets
    (model selection, the report, the article view): ``matching.match`` on this article alone.

    ``labels``: the scored types in the scorer's order (``score_run``'s ``entity_labels``); predictions on one
    span are taken in this order, as the scorer takes them. Other labels come after, sorted."""
    seen = {e.label for e in [*article.entities, *predicted]}
    order = [*labels, *sorted(seen - set(labels))]
    codes = {label: code for code, label in enumerate(order)}
    gold = sorted(article.entities, key=lambda e: (e.start, e.end, codes[e.label]))
    guesses = sorted(predicted, key=lambda e: (e.start, e.end, codes[e.label]))
    ids, lengths = [article.id], [len(article.text)]
    gold_spans, guess_spans = (span_arrays(flatten([e]), codes, ids, lengths) for e in (gold, guesses))
    correct = (match(gold_spans, guess_spans)["strict"][0] == CORRECT).tolist()
    found = {e for e, ok in zip(guesses, correct, strict=True) if ok}
    spurious = tuple(e for e, ok in zip(guesses, correct, strict=True) if not ok)
    return StrictMatch(
        tuple(e for e in gold if e in found), tuple(e for e in gold if e not in found), spurious
    )


def kept_per_article(scheme: str, scope: str) -> bool:
    """Whether a (scheme, scope) is kept article by article: the headline statistics and document-level
    macro F1 need every scheme's micro rows and strict's per-type rows; a relaxed scheme on one type is only
    ever reported as a total."""
    return scope == MICRO or scheme == "strict"


@dataclass(frozen=True)
class EntityTallies:
    """Counts: ``per_doc[(scheme, scope)]`` is ``(n_articles, 3)`` 2tp, 2fp, 2fn (``halves``) for the
    scopes ``kept_per_article``; ``sums[(scheme, scope)]`` is the ``(5,)`` total of every scope."""

    types: tuple[str, ...]
    per_doc: Mapping[tuple[str, str], Ints]
    sums: Mapping[tuple[str, str], Ints]

    def total(self, scheme: str, scope: str) -> SemEvalCounts:
        return SemEvalCounts(*self.sums[(scheme, scope)].tolist())


def entity_types(*runs: Sequence[Pair]) -> tuple[str, ...]:
    """Sorted union of the gold and predicted labels (the types that macro averages run over)."""
    labels: set[str] = set()
    for pairs in runs:
        labels.update(flatten([pair.gold.entities for pair in pairs]).labels)
        labels.update(flatten([pair.pred.entities for pair in pairs]).labels)
    return tuple(sorted(labels))


def entity_tallies(pairs: Sequence[Pair], types: Sequence[str] | None = None) -> EntityTallies:
    """Match every article's predictions against its gold spans, for all types together and each type alone.

    ``types``: the types to report and average over (default: the gold and predicted labels of ``pairs``).
    """
    ids = [pair.gold.id for pair in pairs]
    lengths = [len(pair.gold.text) for pair in pairs]
    flat_gold = flatten([pair.gold.entities for pair in pairs])
    flat_pred = flatten([pair.pred.entities for pair in pairs])
    labels = set(flat_gold.labels) | set(flat_pred.labels)
    if types is None:
        types = sorted(labels)
    elif not labels <= set(types):
        raise ValueError(f"entity labels {sorted(labels - set(types))} are not among the types {list(types)}")
    codes = {label: code for code, label in enumerate(types)}
    gold = span_arrays(flat_gold, codes, ids, lengths)
    check_disjoint(gold, ids)
    pred = span_arrays(flat_pred, codes, ids, lengths)
    rows = {(scheme, MICRO): counts for scheme, counts in tally(gold, pred, len(pairs)).items()}
    gold_by_type, pred_by_type = by_label(gold, len(types)), by_label(pred, len(types))
    for label, gold_only, pred_only in zip(types, gold_by_type, pred_by_type, strict=True):
        for scheme, counts in tally(gold_only, pred_only, len(pairs)).items():
            rows[(scheme, label)] = counts
    return EntityTallies(
        tuple(types),
        per_doc={key: halves(counts) for key, counts in rows.items() if kept_per_article(*key)},
        sums={key: counts.sum(axis=0, dtype=np.int64) for key, counts in rows.items()},
    )


def halves(rows: Ints) -> Ints:
    """``(n, 5)`` category counts -> ``(n, 3)`` integer 2tp, 2fp, 2fn (a partial match is half a tp), for
    ``count_statistic(..., scale=2)``: exact integers, 12 bytes an article."""
    correct, incorrect, partial, missed, spurious = rows.T.astype(np.int64)
    tp = 2 * correct + partial
    actual = 2 * (correct + incorrect + partial + spurious)
    possible = 2 * (correct + incorrect + partial + missed)
    return narrow(np.column_stack([tp, actual - tp, possible - tp]))


def _doc_macro_features(doubled: Ints) -> Features:
    """Per article: its F1 and whether it has any entity (the mean is ``ratio_of`` their totals); from
    ``halves`` (exact: tp = 2tp / 2)."""
    counts = doubled / 2.0
    scored = counts.sum(axis=1) > 0
    per_doc = np.where(scored, f1(counts[:, 0], counts[:, 1], counts[:, 2]), 0.0)
    return real_features(np.column_stack([per_doc, scored]))


def entity_features(tallies: EntityTallies) -> dict[str, Features]:
    """The per-article features of the entity metrics (``bench.metrics.specs`` says which metric is which
    function of which)."""
    strict = tallies.per_doc[("strict", MICRO)]
    by_type = [tallies.per_doc[("strict", label)] for label in tallies.types]
    type_units = np.hstack(by_type) if by_type else np.zeros((len(strict), 0), np.int32)
    features = {
        "entities.strict.micro": (strict, 2),
        "entities.strict.by_type": count_features(type_units, scale=2),
        "entities.strict.by_article": _doc_macro_features(strict),
    }
    for scheme in SCHEMES[1:]:
        features[f"entities.{scheme}.micro"] = (tallies.per_doc[(scheme, MICRO)], 2)
    return features


def type_statistics(types: Sequence[str], features: Mapping[str, Features]) -> dict[str, Statistic]:
    """Strict F1 of each type: column views of the features of the macro F1."""
    units, scale = features["entities.strict.by_type"]
    return {
        f"entities.strict.by_type.{label}.f1": Statistic(units[:, 3 * index : 3 * index + 3], scale, f1_of)
        for index, label in enumerate(types)
    }


def _scheme_report(tallies: EntityTallies, scheme: str) -> dict[str, Any]:
    by_type = {label: tallies.total(scheme, label) for label in tallies.types}
    rows = tallies.per_doc[(scheme, MICRO)]
    return {
        "micro": tallies.total(scheme, MICRO).to_json(),
        "macro": macro([counts.counts for counts in by_type.values()]).to_json(),
        "doc_macro": {
            "f1": float(Statistic(*_doc_macro_features(rows), ratio_of).value()),
            "articles": int(np.count_nonzero(rows.sum(axis=1))),
        },
        "by_type": {label: counts.to_json() for label, counts in by_type.items()},
    }


def entity_report(tallies: EntityTallies) -> dict[str, Any]:
    """Every scheme's micro, macro, document-level macro and per-type scores, with nervaluate's categories."""
    strict = tallies.total("strict", MICRO)
    report: dict[str, Any] = {
        "types": list(tallies.types),
        "gold": strict.possible,
        "predicted": strict.actual,
    }
    report.update({scheme: _scheme_report(tallies, scheme) for scheme in SCHEMES})
    return report
