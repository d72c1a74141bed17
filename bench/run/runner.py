"""``run(cfg)``: read -> predict (cached per article) -> score -> write the run directory, a chunk at a time.

The split streams through: each chunk of articles is read and validated, predicted (or taken from the
cache), appended to the staging ``predictions.jsonl`` and reduced to per-article sufficient statistics
(``RunScorer``); nothing else of it is kept, so memory does not grow with the corpus. The run directory
appears in one rename at the end (``RunWriter``): bad input or a crash never leaves a half-written run.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
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
from bench.metrics.scoring import RunScorer
from bench.metrics.settings import EvalSettings
from bench.models.base import Model, cacheable, check_split, diagnostics, for_tasks, weights_parts
from bench.run.cache import ModelIdentity, PredictionCache, article_key
from bench.run.manifest import DataRecord, Manifest, ModelRecord
from bench.run.rundir import RunWriter, new_run_path, run_files
from bench.run.settings import RunSettings, run_settings
from bench.run.summary import format_summary
from bench.schema import Article, Prediction


@dataclass
class Inference:
    """How much of a split had to be predicted now, and how fast; the adapter's own counts (diagnostics)."""

    articles: int = 0
    predicted_articles: int = 0
    predicted_tokens: int = 0
    seconds: float = 0.0
    diagnostics: Counter[str] = field(default_factory=Counter)

    def throughput(self) -> dict[str, Any]:
        rate = (lambda n: round(n / self.seconds, 3)) if self.seconds > 0 else (lambda n: None)
        return {
            "predicted_articles": self.predicted_articles,
            "cached_articles": self.articles - self.predicted_articles,
            "seconds": round(self.seconds, 3),
            "articles_per_second": rate(self.predicted_articles),
            "tokens_per_second": rate(self.predicted_tokens),
            "tokens": "whitespace-separated words of the article text",
        }


def predict_chunk(
    model: Model, chunk: Sequence[Article], cache: PredictionCache | None, inference: Inference
) -> list[Prediction]:
    """Predictions for one chunk of articles: from the cache where it has them, else predicted and cached
    (``cache`` None: all predicted, nothing cached)."""
    keys = [article_key(article) for article in chunk] if cache is not None else []
    found = (
        [cache.get(article, key) for article, key in zip(chunk, keys, strict=True)]
        if cache is not None
        else [None] * len(chunk)
    )
    todo = [index for index, prediction in enumerate(found) if prediction is None]
    if todo:
        started = time.perf_counter()
        predicted = model.predict([chunk[index] for index in todo])
        inference.seconds += time.perf_counter() - started
        for index, prediction in zip(todo, predicted, strict=True):
            if cache is not None and cacheable(model, chunk[index]):
                cache.put(chunk[index], prediction, keys[index])
            found[index] = prediction
        inference.predicted_tokens += sum(len(chunk[index].text.split()) for index in todo)
    inference.articles += len(chunk)
    inference.predicted_articles += len(todo)
    inference.diagnostics.update(diagnostics(model, chunk))
    return found  # type: ignore[return-value]


def chunks(articles: Iterable[Article], size: int, limit: int | None) -> Iterator[list[Article]]:
    """Consecutive lists of ``size`` articles, the first ``limit`` only."""
    stream = iter(itertools.islice(articles, limit))
    while chunk := list(itertools.islice(stream, size)):
        yield chunk


def stream_run(
    model: Model,
    reader: data_module.DatasetReader,
    settings: RunSettings,
    cache: PredictionCache | None,
    writer: RunWriter,
) -> tuple[str, Inference]:
    """Predict, score and write the split chunk by chunk; only per-article sufficient statistics are kept.
    Returns the ``scores.json`` text and the inference counts."""
    scorer = RunScorer(reader.tasks, settings.eval, reader.entity_labels)
    inference = Inference()
    # leave=False: the bar is erased when done or when an error stops the run, so an error stays one line.
    # disable=None: no bar when stderr is not a terminal (CI logs, captured output), where an erased bar
    # would stay as text before an error line.
    article_ids: set[str] = set()
    with tqdm(desc="predict", unit="article", leave=False, disable=None) as progress:
        for chunk in chunks(reader.articles(settings.split), settings.chunk_articles, settings.limit):
            predictions = predict_chunk(model, chunk, cache, inference)
            writer.add_predictions(predictions)
            scorer.add(chunk, predictions)
            article_ids.update(article.id for article in chunk)
            progress.update(len(chunk))
    if settings.limit is None:
        check_split(model, article_ids)
    reader.identity()  # the rest of the dataset read and checked now, so its id index is gone before scoring
    return dumps_scores(scorer.result()), inference


def score_text(
    settings: EvalSettings,
    loaded: data_module.LoadedData,
    gold: Sequence[Article],
    predictions: Sequence[Prediction],
) -> str:
    """Canonical ``scores.json`` text of a whole split at once; the rescore command calls exactly this, and
    ``stream_run`` gives the same bytes chunk by chunk."""
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
    built = build_model(cfg)
    reader = data_module.DatasetReader(cfg.data)
    model = for_tasks(built, reader.tasks)
    # A narrowed adapter predicts less (no entities on a claims-only dataset): its own cache entries.
    keyed = model_config if model is built else {**model_config, "predicts": list(reader.tasks)}
    identity = model_identity(model, keyed)
    cache = PredictionCache(settings.cache, identity.key()) if settings.cache is not None else None
    torch_threads = model.use_threads(settings.threads)
    path = new_run_path(settings.root, reader.id, settings.split, cfg.model_id)
    with RunWriter(path) as writer:
        scores_json, inference = stream_run(model, reader, settings, cache, writer)
        fingerprint, annotation_sha256 = reader.identity()
        manifest = Manifest(
            data=DataRecord(
                id=reader.id, version=reader.version, split=settings.split, articles=inference.articles,
                fingerprint=fingerprint, annotation_sha256=annotation_sha256,
                tasks=reader.tasks, entity_labels=reader.entity_labels,
            ),
            model=ModelRecord(
                id=cfg.model_id, weights_sha256=identity.weights_sha256, code_sha256=identity.code_sha256,
                libraries=identity.libraries, label=model_label(model_config), placement=identity.placement,
                parts=part_hashes(model), diagnostics=dict(sorted(inference.diagnostics.items())),
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
        writer.commit(run_files(OmegaConf.to_yaml(cfg, resolve=True), scores_json, manifest))
    title = f"{cfg.model_id} on {reader.id}/{settings.split} ({inference.articles} articles)"
    print(format_summary(json.loads(scores_json), title, settings.eval.level))
    if inference.diagnostics:
        print(
            "model: " + ", ".join(f"{name} {count}" for name, count in sorted(inference.diagnostics.items()))
        )
    print(f"run directory: {path}")
    _refuse_failed_requests(inference.diagnostics, settings.max_failed_requests, path)
    return path


def _refuse_failed_requests(counts: Counter[str], allowed: int, path: Path) -> None:
    """An endpoint's outage must not read as "the model got worse": the run is written (its counts are the
    record), but it ends with exit status 2, and tables and the gate refuse it (``rundir.not_a_result``)."""
    failed = counts.get("failed_requests", 0)
    if failed > allowed:
        message = (f"{failed} model request(s) failed after their retries (run.max_failed_requests="
                   f"{allowed}): their fallbacks are no result; run again to ask for those only")  # fmt: skip
        raise InputError(path / "manifest.json", None, message)


def build_model(cfg: DictConfig) -> Model:
    """Instantiate the adapter (constructors only check and store their arguments: no I/O happens here)."""
    try:
        return instantiate(cfg.model)
    except Exception as exc:  # noqa: BLE001 -- a bad model config is bad input, whatever the adapter raised
        cause = exc.__cause__ or exc
        raise InputError(f"conf/model/{cfg.model_id}.yaml", None, f"model config: {cause}") from None


def part_hashes(model: Model) -> dict[str, str]:
    """sha256 of each part of an adapter built from several checkpoints (``hf``: entities, certainty)."""
    return {name: sha256_files(files) for name, files in weights_parts(model).items()}


def model_label(model_config: dict[str, Any]) -> str:
    """What tells two runs of one adapter apart in a table: its checkpoint, file or served model."""
    for key in ("checkpoint", "path", "model", "certainty", "cues_checkpoint"):  # hf: its first named part
        value = model_config.get(key)
        if isinstance(value, str) and value:
            return value
    return ""
