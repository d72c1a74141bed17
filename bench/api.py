"""The Python API, for people who do not want the command line.

    import bench
    dataset = bench.load("news")                       # the DatasetDict (explicit Features)
    articles = bench.load("news", split="test")        # list[bench.schema.Article]
    scores = bench.evaluate(articles, predictions)     # the scores dictionary of a run's scores.json

``evaluate`` accepts ``Article``/``Prediction`` objects or their JSON dictionaries (the formats of the data
files and of ``predictions.jsonl``); predictions are validated exactly as a run validates them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import datasets
from hydra import compose, initialize_config_dir

from bench.core.paths import CONFIG_DIR
from bench.core.predictions import parse_prediction, prediction_problems
from bench.data import load as data_module
from bench.metrics import dumps_scores, score_run
from bench.metrics.settings import DEFAULT_EVAL, EvalSettings
from bench.schema import ENTITY_LABELS, TASKS, Article, Prediction


def load(
    name: str, split: str | None = None, overrides: Sequence[str] = ()
) -> datasets.DatasetDict | list[Article]:
    """The dataset ``conf/data/<name>.yaml``: its ``DatasetDict``, or the ``Article`` objects of one split."""
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("config", [f"data={name}", *overrides])
    loaded = data_module.load(cfg.data)
    return loaded.dataset if split is None else data_module.split_articles(loaded, split)


def _article(item: Article | Mapping[str, Any]) -> Article:
    return item if isinstance(item, Article) else data_module.parse_article_record(dict(item))


def _prediction(item: Prediction | Mapping[str, Any]) -> Prediction:
    return item if isinstance(item, Prediction) else parse_prediction(dict(item))


def evaluate(
    gold: Sequence[Article | Mapping[str, Any]],
    predictions: Sequence[Prediction | Mapping[str, Any]],
    tasks: Sequence[str] = TASKS,
    entity_labels: Sequence[str] = ENTITY_LABELS,
    settings: EvalSettings = DEFAULT_EVAL,
) -> dict[str, Any]:
    """Score predictions against gold articles (paired by article id); the same numbers as a CLI run."""
    articles = [_article(a) for a in gold]
    by_id = {p.article_id: p for p in map(_prediction, predictions)}
    missing = [a.id for a in articles if a.id not in by_id]
    if missing:
        raise ValueError(f"no prediction for {len(missing)} article(s), first {missing[0]!r}")
    ordered = [by_id[a.id] for a in articles]
    for article, prediction in zip(articles, ordered, strict=True):
        problem = next(prediction_problems(prediction, article), None)
        if problem:
            raise ValueError(f"[{article.id}] {problem}")
    return json.loads(dumps_scores(score_run(articles, ordered, tasks, settings, entity_labels)))
