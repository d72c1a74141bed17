"""``run(cfg)``: load -> predict (cached per article) -> score -> write the run directory.

Each stage is a function of the previous stage's output; the run directory is written last, in one step, so
that bad input or a crash never leaves a half-written run behind.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf
from tqdm import tqdm

from bench.core.fingerprints import sha256_files
from bench.core.paths import resolve
from bench.core.provenance import environment, git_state
from bench.data import load as data_module
from bench.metrics import METRICS_VERSION, dumps_scores, score_run
from bench.models.base import Model
from bench.run.cache import PredictionCache, model_key
from bench.run.rundir import new_run_path, write_run
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


def set_threads(threads: int) -> int | None:
    """Fix torch's intra-op threads for models that use torch.

    Torch adapters import torch at module level, so by the time the model is instantiated torch is loaded
    exactly when it is needed; the rule baseline never pays the second or so that importing torch costs.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        return None
    torch.set_num_threads(threads)
    return torch.get_num_threads()


def predict_cached(model: Model, gold: Sequence[Article], cache: PredictionCache, chunk: int) -> Inference:
    """Predict the articles missing from the cache, ``chunk`` at a time, writing each chunk to the cache."""
    found = {article.id: cache.get(article) for article in gold}
    todo = [article for article in gold if found[article.id] is None]
    started = time.perf_counter()
    with tqdm(total=len(gold), initial=len(gold) - len(todo), desc="predict", unit="article") as progress:
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
    cfg: DictConfig, gold: Sequence[Article], predictions: Sequence[Prediction], tasks: Sequence[str]
) -> str:
    """Canonical ``scores.json`` text; the rescore command calls exactly this."""
    scores = score_run(
        gold,
        predictions,
        tasks,
        resamples=cfg.eval.resamples,
        seed=cfg.seed,
        confidence=cfg.eval.confidence,
        ece_bins=cfg.eval.ece_bins,
    )
    return dumps_scores(scores)


def run(cfg: DictConfig) -> Path:
    loaded = data_module.load(cfg.data)
    gold = data_module.split_articles(loaded, cfg.split)
    model: Model = instantiate(cfg.model)
    weights_sha256 = sha256_files(model.weights_files())
    model_config = OmegaConf.to_container(cfg.model, resolve=True)
    cache = PredictionCache(resolve(cfg.run.cache), model_key(weights_sha256, model_config))
    torch_threads = set_threads(cfg.threads)
    inference = predict_cached(model, gold, cache, cfg.run.chunk_articles)
    scores_json = score_text(cfg, gold, inference.predictions, loaded.tasks)
    manifest = {
        "data": {
            "id": loaded.id,
            "version": loaded.version,
            "split": cfg.split,
            "articles": len(gold),
            "fingerprint": loaded.fingerprint,
            "annotation_sha256": loaded.annotation_sha256,
            "tasks": list(loaded.tasks),
        },
        "model": {"id": cfg.model_id, "weights_sha256": weights_sha256},
        "metrics_version": METRICS_VERSION,
        "seeds": {"seed": cfg.seed},
        "torch_threads": torch_threads,  # None: the model does not use torch
        "git": git_state(),
        "environment": environment(),
        "throughput": inference.throughput(),
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "config": OmegaConf.to_container(cfg, resolve=True),
    }
    path = new_run_path(resolve(cfg.run.root), loaded.id, cfg.split, cfg.model_id)
    write_run(path, OmegaConf.to_yaml(cfg, resolve=True), inference.predictions, scores_json, manifest)
    print(
        format_summary(scores_json, title=f"{cfg.model_id} on {loaded.id}/{cfg.split} ({len(gold)} articles)")
    )
    print(f"run directory: {path}")
    return path
