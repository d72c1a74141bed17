"""``python -m bench.train model=<tiny|minilm|minilm_real|minilm_wide> [key=value ...]``: fine-tune.

Trains on the train split of ``data`` plus the external corpora of ``extra_data`` (each read whole, a
fraction of it, or sampled afresh each epoch: ``bench.training.mixture`` and ``bench.training.epochs``),
keeps the epoch with the best dev score, and writes the model's checkpoint folder (``model.checkpoint``):
safetensors, tokenizer and ``train_manifest.json`` (base weights, every corpus with its share, sample and
licence, hyper-parameters, dev scores per epoch, seconds taken and load). Seeded and deterministic on CPU:
the same command on the same machine writes byte-identical weights.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import hydra
import torch
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf
from tqdm import tqdm

from bench.core.paths import CONFIG_DIR, resolve
from bench.core.provenance import environment, git_state
from bench.errors import InputError, reported_input_errors
from bench.models.transformers.encoder import EncoderModel, MultiTaskPredictor, quiet_transformers
from bench.models.transformers.encoding import Specials, WindowedEncoder
from bench.models.transformers.multitask import MultiTaskTagger
from bench.models.transformers.placement import Placement
from bench.models.transformers.token_spans import ENTITY_TAGS
from bench.training.bases import Base
from bench.training.calibration import Calibration, calibrate, claim_logits
from bench.training.checkpoint import save_checkpoint
from bench.training.epochs import EpochPlan, SampledPool
from bench.training.examples import Example, make_example
from bench.training.loop import Fitted, Recipe, fit
from bench.training.mixture import Corpus, DevSet, training_corpora


def set_determinism(seed: int, threads: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)
    # cuBLAS refuses deterministic mode without a fixed workspace (no effect on CPU).
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)


def train(cfg: DictConfig) -> Path:
    started, load_before = time.perf_counter(), os.getloadavg()
    require_trainable(cfg)
    require_own_checkpoint(cfg)
    placement = training_placement(cfg)
    set_determinism(cfg.seed, cfg.threads)
    quiet_transformers()
    corpora, dev = training_corpora(cfg)
    base: Base = instantiate(cfg.train.base)
    token_model, tokenizer = base.build([a.text for c in corpora for a in c.articles], ENTITY_TAGS)
    model = MultiTaskTagger(token_model, cfg.shape_features).to(placement.device)
    windowed = WindowedEncoder(
        Specials.of(tokenizer), cfg.model.max_length, cfg.model.stride, cfg.model.batch_size
    )
    plan = epoch_plan(tokenizer, corpora)
    predictor = MultiTaskPredictor(model, tokenizer, windowed)
    fitted = fit(model, windowed, plan, dev.articles, predictor.predict, recipe_of(cfg), cfg.seed, placement)
    model.load_state_dict(fitted.state)
    calibration = calibrate_on_dev(cfg, model, predictor, dev)
    seconds = time.perf_counter() - started
    loads = (load_before, os.getloadavg())
    manifest = train_manifest(cfg, base, corpora, dev, fitted, calibration, seconds, loads, placement)
    folder = save_checkpoint(resolve(cfg.model.checkpoint), model, tokenizer, manifest)
    print(summary(cfg.model_id, fitted, manifest["seconds"], folder))
    return folder


def epoch_plan(tokenizer: Any, corpora: Sequence[Corpus]) -> EpochPlan:
    """Every corpus's examples: read whole each epoch, or sampled (``per_epoch``); each teaches only the tasks
    and entity types its dataset annotates."""
    whole: list[Example] = []
    pools: list[SampledPool] = []
    for corpus in tqdm(corpora, desc="tokenising corpora", unit="corpus"):
        labels = corpus.loaded.entity_labels
        examples = [
            make_example(tokenizer, a, corpus.loaded.tasks, corpus.attribution_unmarked, labels)
            for a in corpus.articles
        ]
        if corpus.per_epoch is None:
            whole.extend(examples)
        else:
            pools.append(SampledPool(examples, corpus.per_epoch))
    return EpochPlan(whole, pools)


def calibrate_on_dev(
    cfg: DictConfig, model: MultiTaskTagger, predictor: MultiTaskPredictor, dev: DevSet
) -> Calibration | None:
    """With ``calibrate_certainty``: the kept epoch's claim bias shifted to the selection dev set's best
    hedged F1 (bench/training/calibration.py)."""
    if not cfg.calibrate_certainty:
        return None
    if not dev.articles:
        raise InputError("conf/train.yaml", None, "calibrate_certainty needs a dev split (select_on)")
    model.eval()
    per_article = [out["claims"] for out in predictor.logits(dev.articles)]
    return calibrate(model.claim_head, *claim_logits(per_article, dev.articles))


def require_trainable(cfg: DictConfig) -> None:
    # The recipe group conf/train/<model>.yaml exists only for trainable models; this catches a hand-made mix.
    if cfg.model._target_ != f"{EncoderModel.__module__}.{EncoderModel.__name__}":
        raise InputError(f"conf/model/{cfg.model_id}.yaml", None, "only EncoderModel checkpoints are trained")


def training_placement(cfg: DictConfig) -> Placement:
    """``model.device`` and ``model.dtype`` resolved; checked before any data is read."""
    try:
        return Placement.resolve(cfg.model.get("device", "auto"), cfg.model.get("dtype", "float32"))
    except ValueError as error:
        raise InputError(f"conf/model/{cfg.model_id}.yaml", None, str(error)) from None


def require_own_checkpoint(cfg: DictConfig) -> None:
    """Refuse to write over the checkpoint another model config ships (``model=minilm_real
    model.checkpoint=results/checkpoints/minilm`` would silently replace the baseline)."""
    target = resolve(cfg.model.checkpoint)
    for path in sorted((CONFIG_DIR / "model").glob("*.yaml")):
        claimed = OmegaConf.load(path).get("checkpoint")
        if path.stem != cfg.model_id and claimed is not None and resolve(str(claimed)) == target:
            raise InputError(
                f"conf/model/{cfg.model_id}.yaml", None, f"{target} is conf/model/{path.name}'s checkpoint"
            )


def recipe_of(cfg: DictConfig) -> Recipe:
    hyper = OmegaConf.to_container(cfg.train, resolve=True)
    assert isinstance(hyper, dict)
    return Recipe(**{key: value for key, value in hyper.items() if key != "base"})


def train_manifest(
    cfg: DictConfig,
    base: Base,
    corpora: Sequence[Corpus],
    dev: DevSet,
    fitted: Fitted,
    calibration: Calibration | None,
    seconds: float,
    loads: tuple[tuple[float, ...], tuple[float, ...]],
    placement: Placement,
) -> dict[str, Any]:
    return {
        "model_id": cfg.model_id,
        "base": base.describe(),
        "data": [corpus.describe() for corpus in corpora],
        "dev_articles": len(dev.articles),
        "selected_on": dev.describe(),
        "hyperparameters": {
            "train": OmegaConf.to_container(cfg.train, resolve=True),
            "mixture": mixture_settings(cfg),
            "model": OmegaConf.to_container(cfg.model, resolve=True),
            "placement": placement.record(),  # device auto resolved; bf16/fp16: mixed precision
            "seed": cfg.seed,
            "threads": cfg.threads,
        },
        "dev": {"best_epoch": fitted.best_epoch, "history": fitted.history},
        "calibration": calibration.record() if calibration else None,
        "seconds": round(seconds, 1),
        # On a shared machine the seconds mean little without the competing load (1/5/15-minute averages).
        "load_average": {"before": [round(x, 2) for x in loads[0]], "after": [round(x, 2) for x in loads[1]]},
        "git": git_state(),
        "environment": environment(),
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def mixture_settings(cfg: DictConfig) -> dict[str, Any]:
    """The training-data choices of conf/train.yaml, as the manifest records them."""
    return {
        "extra_data": list(cfg.extra_data),
        "extra_max_articles": OmegaConf.to_container(cfg.extra_max_articles, resolve=True),
        "extra_per_epoch": OmegaConf.to_container(cfg.extra_per_epoch, resolve=True),
        "entity_fraction": float(cfg.entity_fraction),
        "attribution_unmarked": list(cfg.attribution_unmarked),
        "shape_features": bool(cfg.shape_features),
        "select_on": cfg.select_on,
        "calibrate_certainty": bool(cfg.calibrate_certainty),
    }


def summary(model_id: str, fitted: Fitted, seconds: float, folder: Path) -> str:
    best = fitted.history[fitted.best_epoch - 1]
    scores = ", ".join(f"{k} {v:.4f}" for k, v in best.items() if k.startswith("dev_")) or "no dev split"
    kept = f"kept epoch {fitted.best_epoch}/{len(fitted.history)} ({scores})"
    return f"{model_id}: {kept}; {seconds:.0f} s\ncheckpoint: {folder}"


@hydra.main(config_path=str(CONFIG_DIR), config_name="train", version_base="1.3")
def main(cfg: DictConfig) -> None:
    with reported_input_errors():
        train(cfg)


if __name__ == "__main__":
    main()
