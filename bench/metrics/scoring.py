"""``score_run``: every metric of one run, with bootstrap intervals for the headline metrics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from bench.metrics.align import Pair, align, check_tasks
from bench.metrics.certainty import CLAIM_FIELDS, ClaimRows, claim_features, claim_report, claim_rows
from bench.metrics.cues import cue_mode, cue_rows, cue_scores, joined_mode
from bench.metrics.entities import (
    EntityTallies,
    entity_features,
    entity_report,
    entity_tallies,
    entity_types,
    type_statistics,
)
from bench.metrics.row_blocks import RowBlocks
from bench.metrics.settings import DEFAULT_EVAL, EvalSettings
from bench.metrics.span_arrays import Ints
from bench.metrics.specs import statistics
from bench.metrics.stats import Statistic, bootstrap
from bench.metrics.version import METRICS_VERSION
from bench.schema import ENTITY_LABELS, TASKS, Article, Prediction


def score_task(
    task: str, pairs: Sequence[Pair], *, types: Sequence[str] | None, ece_bins: int
) -> tuple[dict[str, Any], dict[str, Statistic]]:
    """One task's report and headline statistics over ``pairs`` at once (the paired tests' entry).
    ``types``: the entity types that macro averages run over (None: the labels of ``pairs``)."""
    scorer = TaskScorer(task, tuple(types) if types is not None else entity_types(pairs), ece_bins)
    scorer.add(pairs)
    return scorer.result()


def declared_only(
    predictions: Sequence[Prediction], labels: Sequence[str]
) -> tuple[list[Prediction], Counter[str]]:
    """Predictions without the entities whose label the dataset does not annotate, and how many per label."""
    allowed = set(labels)
    dropped: Counter[str] = Counter()
    kept = []
    for prediction in predictions:
        outside = [e for e in prediction.entities if e.label not in allowed]
        dropped.update(e.label for e in outside)
        entities = (
            tuple(e for e in prediction.entities if e.label in allowed) if outside else prediction.entities
        )
        kept.append(replace(prediction, entities=entities))
    return kept, dropped


def not_scored(task: str) -> dict[str, str]:
    return {"status": "not scored", "reason": f"dataset does not annotate {task}"}


class TaskScorer:
    """One task scored chunk by chunk: per article it keeps only the sufficient statistics (category
    counts, sums) in ``RowBlocks``, so any chunking of the same articles gives the same bytes, and a million
    articles fit in memory. ``types``: the entity types scored and averaged over (unused for claims)."""

    def __init__(self, task: str, types: tuple[str, ...], ece_bins: int) -> None:
        self.task, self.types, self.ece_bins = task, types, ece_bins
        self._rows: dict[Any, RowBlocks] = {}
        self._sums: dict[tuple[str, str], Ints] = {}
        self._cue_modes: set[bool] = set()

    def _add_rows(self, key: Any, rows: Ints) -> None:
        self._rows.setdefault(key, RowBlocks()).add(rows)

    def _join(self, key: Any, width: int) -> Ints:
        blocks = self._rows.pop(key, None)
        return (
            np.zeros((0, width), np.int32) if blocks is None else blocks.join(np.zeros((0, width), np.int32))
        )

    def add(self, pairs: Sequence[Pair]) -> None:
        if self.task == "entities":
            tallies = entity_tallies(pairs, self.types)
            for key, rows in tallies.per_doc.items():
                self._add_rows(key, rows)
            for key, total in tallies.sums.items():
                self._sums[key] = self._sums.get(key, 0) + total
            return
        rows = claim_rows(pairs, self.ece_bins)
        for name in CLAIM_FIELDS:
            self._add_rows(name, getattr(rows, name))
        mode = cue_mode(pairs)
        if mode is not None:
            self._cue_modes.add(mode)
        if mode is not False:  # rows of a chunk without predicted cues are never used
            self._add_rows("cues", cue_rows(pairs))

    def result(self) -> tuple[dict[str, Any], dict[str, Statistic]]:
        if self.task == "entities":
            per_doc = {key: self._join(key, 3) for key in list(self._rows)}
            tallies = EntityTallies(self.types, per_doc, self._sums)
            features = entity_features(tallies)
            return entity_report(tallies), {**statistics(features), **type_statistics(self.types, features)}
        widths = {"classes": 6, "accuracy": 2, "ece": 3 * self.ece_bins, "brier": 2}
        rows = ClaimRows(**{name: self._join(name, widths[name]) for name in CLAIM_FIELDS})
        cues = self._join("cues", 6) if joined_mode(self._cue_modes) else None
        cue_report, cue_features = cue_scores(cues)
        stats = statistics({**claim_features(rows), **cue_features})
        return {**claim_report(rows, self.ece_bins, stats), "cues": cue_report}, stats


class RunScorer:
    """All scores of a run, fed chunk by chunk (``add``), then ``result()``: the ``scores.json`` content.

    ``entity_labels``: the labels the dataset annotates; predicted entities of other labels are removed
    before scoring and counted in ``dropped_predictions``; macro averages run over exactly these labels.
    ``None``: any label is scored, and ``types`` (the labels macro averages run over) must be given.
    """

    def __init__(
        self,
        tasks: Sequence[str],
        settings: EvalSettings = DEFAULT_EVAL,
        entity_labels: Sequence[str] | None = ENTITY_LABELS,
        types: Sequence[str] | None = None,
    ) -> None:
        check_tasks(tasks)
        if entity_labels is None and types is None:
            raise ValueError("without entity_labels, give the entity types to score")
        self.tasks, self.settings = tuple(tasks), settings
        self.entity_labels = None if entity_labels is None else tuple(entity_labels)
        scored_types = tuple(entity_labels if entity_labels is not None else types or ())
        self.scorers = {
            task: TaskScorer(task, scored_types, settings.ece_bins) for task in TASKS if task in tasks
        }
        self.articles = 0
        self.dropped: Counter[str] = Counter()

    def add(self, gold: Sequence[Article], predictions: Sequence[Prediction]) -> None:
        """One chunk: gold articles and their predictions (ValueError naming the article on a mismatch)."""
        if self.entity_labels is not None:
            predictions, dropped = declared_only(predictions, self.entity_labels)
            self.dropped.update(dropped)
        pairs = align(gold, predictions, self.tasks)
        if not pairs:
            return
        self.articles += len(pairs)
        for scorer in self.scorers.values():
            scorer.add(pairs)

    def result(self) -> dict[str, Any]:
        if not self.articles:
            raise ValueError("no gold articles to score")
        scores: dict[str, Any] = {"metrics_version": METRICS_VERSION, "articles": self.articles}
        statistics: dict[str, Statistic] = {}
        for task in TASKS:
            if task not in self.scorers:
                scores[task] = not_scored(task)
                continue
            scores[task], task_statistics = self.scorers[task].result()
            if task == "entities":
                scores[task]["dropped_predictions"] = dict(sorted(self.dropped.items()))
            statistics.update(task_statistics)
        settings = self.settings
        intervals = bootstrap(
            statistics, resamples=settings.resamples, seed=settings.seed, confidence=settings.confidence
        )
        scores["headline"] = {name: interval.to_json() for name, interval in intervals.items()}
        scores["bootstrap"] = {
            "unit": "article",
            "method": "percentile",
            "resamples": settings.resamples,
            "seed": settings.seed,
            "confidence": settings.confidence,
        }
        return scores


def score_run(
    gold: Sequence[Article],
    predictions: Sequence[Prediction],
    tasks: Sequence[str],
    settings: EvalSettings = DEFAULT_EVAL,
    entity_labels: Sequence[str] | None = ENTITY_LABELS,
) -> dict[str, Any]:
    """All scores of a run at once (``RunScorer`` with one chunk). ``headline`` maps metric name -> value and
    percentile bootstrap interval (articles resampled ``settings.resamples`` times with
    ``numpy.random.default_rng(settings.seed)``; ``resamples=0``: no intervals, ``ci_low`` and ``ci_high``
    are None). ``entity_labels``: see ``RunScorer``; ``None`` scores the labels seen in gold and
    predictions."""
    types = None
    if entity_labels is None:
        types = entity_types(align(gold, predictions, tasks))
    scorer = RunScorer(tasks, settings, entity_labels, types)
    scorer.add(gold, predictions)
    return scorer.result()
