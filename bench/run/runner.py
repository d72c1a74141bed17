"""``run(cfg)``: load -> predict (cached per article) -> score -> write the run directory.

Each stage is a function of the previous stage's output; the run directory is written last, in one step, so
that bad input or a crash never leaves a half-written run behind.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf
from tqdm import tqdm

from bench.core.code_identity import code_sha256, library_versions
from bench.core.fingerprints import sha256_files
from bench.core.provenance import environment, git_state
from bench.data import load as data_module
from bench.errors import InputError
from bench.metrics import METRICS_VERSION, dumps_scores, score_run
from bench.metrics.settings import EvalSettings
from bench.models.base import Model
from bench.run.cache import ModelIdentity, PredictionCache
from bench.run.manifest import DataRecord, Manifest, ModelRecord
from bench.run.rundir import new_run_path, write_run
from bench.run.settings import run_settings
from bench.run.summary import format_summary
from bench.schema import Article, Prediction


@dataclass(frozen=True)
class Inference:
    """Predictions for a split, and how much of it had to be computed now."""

    predictions: list[Prediction]
    predicted_articles: int
    predicted_tokens: int
    seconds: float

    def throughput(self) -> dict[str, Any]:
        rate = (lambda n: round(n / self.seconds, 3)) if self.seconds > 0 else (lambda n: None)
        return {
            "predicted_articles": self.predicted_articles,
            "cached_articles": len(self.predictions) - self.predicted_articles,
            "seconds": round(self.seconds, 3),
            "articles_per_second": rate(self.predicted_articles),
            "tokens_per_second": rate(self.predicted_tokens),
            "tokens": "whitespace-separated words of the article text",
        }


def predict_cached(model: Model, gold: Sequence[Article], cache: PredictionCache, chunk: int) -> Inference:
    """Predict the articles missing from the cache, ``chunk`` at a time, writing each chunk to the cache."""
    found = {article.id: cache.get(article) for article in gold}
    todo = [article for article in gold if found[article.id] is None]
    started = time.perf_counter()
    # leave=False: the bar is erased when done or when an error stops the run, so an error stays one line.
    with tqdm(
        total=len(gold), initial=len(gold) - len(todo), desc="predict", unit="article", leave=False
    ) as progress:
        for begin in range(0, len(todo), chunk):
            batch = todo[begin : begin + chunk]
            for article, prediction in zip(batch, model.predict(batch), strict=True):
                cache.put(article, prediction)
                found[article.id] = prediction
            progress.update(len(batch))
    seconds = time.perf_counter() - started
    tokens = sum(len(article.text.split()) for article in todo)
    return Inference([found[a.id] for a in gold], len(todo), tokens, seconds)  # type: ignore[misc]


def score_text(
    settings: EvalSettings,
    loaded: data_module.LoadedData,
    gold: Sequence[Article],
    predictions: Sequence[Prediction],
) -> str:
    """Canonical ``scores.json`` text; the rescore command calls exactly this."""
    return dumps_scores(score_run(gold, predictions, loaded.tasks, settings, loaded.entity_labels))


def model_identity(model: Model, model_config: dict[str, Any]) -> ModelIdentity:
    """Everything the model's predictions depend on (see ``bench.run.cache``)."""
    return ModelIdentity(
        weights_sha256=sha256_files(model.weights_files()),
        config=model_config,
        code_sha256=code_sha256(type(model).__module__),
        libraries=library_versions(),
        placement=model.placement(),
    )


def run(cfg: DictConfig) -> Path:
    settings = run_settings(cfg)  # every run-level value checked before any data is read
    model_config = OmegaConf.to_container(cfg.model, resolve=True)
    model = build_model(cfg)
    loaded = data_module.load(cfg.data)
    gold = data_module.split_articles(loaded, settings.split)[: settings.limit]
    identity = model_identity(model, model_config)
    cache = PredictionCache(settings.cache, identity.key())
    torch_threads = model.use_threads(settings.threads)
    inference = predict_cached(model, gold, cache, settings.chunk_articles)
    scores_json = score_text(settings.eval, loaded, gold, inference.predictions)
    manifest = Manifest(
        data=DataRecord(
            id=loaded.id, version=loaded.version, split=settings.split, articles=len(gold),
            fingerprint=loaded.fingerprint, annotation_sha256=loaded.annotation_sha256,
            tasks=tuple(loaded.tasks), entity_labels=loaded.entity_labels,
        ),
        model=ModelRecord(
            id=cfg.model_id, weights_sha256=identity.weights_sha256, code_sha256=identity.code_sha256,
            libraries=identity.libraries, label=model_label(model_config), placement=identity.placement,
            parts=part_hashes(model),
        ),
        metrics_version=METRICS_VERSION,
        eval=settings.eval,
        torch_threads=torch_threads,  # None: the model does not use torch
        git=git_state(),
        environment=environment(),
        throughput=inference.throughput(),
        created_utc=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        config=OmegaConf.to_container(cfg, resolve=True),
        limit=settings.limit,
    )  # fmt: skip
    path = new_run_path(settings.root, loaded.id, settings.split, cfg.model_id)
    write_run(path, OmegaConf.to_yaml(cfg, resolve=True), inference.predictions, scores_json, manifest)
    title = f"{cfg.model_id} on {loaded.id}/{settings.split} ({len(gold)} articles)"
    print(format_summary(json.loads(scores_json), title, settings.eval.level))
    print(f"run directory: {path}")
    return path


def build_model(cfg: DictConfig) -> Model:
    """Instantiate the adapter (constructors only check and store their arguments: no I/O happens here)."""
    try:
        return instantiate(cfg.model)
    except Exception as exc:  # noqa: BLE001 -- a bad model config is bad input, whatever the adapter raised
        cause = exc.__cause__ or exc
        raise InputError(f"conf/model/{cfg.model_id}.yaml", None, f"model config: {cause}") from None


def part_hashes(model: Model) -> dict[str, str]:
    """sha256 of each part of an adapter built from several checkpoints (``hf``: entities, certainty); an
    optional method, since most adapters are one part (their ``weights_sha256``)."""
    parts = getattr(model, "weights_parts", None)
    return {name: sha256_files(files) for name, files in parts().items()} if parts else {}


def model_label(model_config: dict[str, Any]) -> str:
    """What tells two runs of one adapter apart in a table: its checkpoint, predictions file or endpoint."""
    for key in ("checkpoint", "path", "endpoint_model"):
        value = model_config.get(key)
        if isinstance(value, str) and value:
            return value
    return ""
