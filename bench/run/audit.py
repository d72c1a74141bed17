"""``python -m bench.audit model=<id>``: a determinism audit of a torch model.

Byte-identical reruns are promised per (device, dtype); this measures what else could move a prediction.
The first ``audit.articles`` articles of the split are run at each of ``audit.batch_sizes`` (and on the CPU
and the GPU when torch finds one); each variant's float32 logits are compared with the first variant's:
the largest absolute difference, and how many labels (entity and cue tags, claim certainties) change. The
result is written as ``audit.json`` with the model's identity and the data's fingerprint.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import hydra
import torch
from omegaconf import DictConfig, OmegaConf

from bench.core.fingerprints import sha256_files
from bench.core.jsonl import write_text_atomic
from bench.core.paths import CONFIG_DIR, resolve
from bench.data import load as data_module
from bench.errors import InputError, reported_input_errors
from bench.models.transformers.encoder import claim_certainties
from bench.run.rundir import new_run_path
from bench.run.runner import build_model
from bench.schema import Article


@dataclass(frozen=True)
class Variant:
    device: str
    batch_size: int


@dataclass(frozen=True)
class Difference:
    """One variant against the reference variant."""

    variant: Variant
    max_abs_logit_difference: float
    labels_changed: int
    labels: int


def variants(batch_sizes: list[int], reference_device: str) -> list[Variant]:
    devices = [reference_device] + (
        ["cuda"] if torch.cuda.is_available() and reference_device != "cuda" else []
    )
    return [Variant(device, size) for device in devices for size in batch_sizes]


def build(cfg: DictConfig, variant: Variant) -> Any:
    """The model of ``cfg`` at this variant's batch size and device, built as a run builds it."""
    model = build_model(
        OmegaConf.merge(cfg, {"model": {"batch_size": variant.batch_size, "device": variant.device}})
    )
    if not callable(getattr(model, "logits", None)):
        message = "this model computes no logits (rules or a file): nothing to audit"
        raise InputError(f"conf/model/{cfg.model_id}.yaml", None, message)
    return model


def compare(
    reference: list[dict[str, torch.Tensor]], other: list[dict[str, torch.Tensor]]
) -> tuple[float, int, int]:
    """(largest |difference|, labels changed, labels) over all articles and heads. A label is a token's
    argmax tag, or a claim's certainty as the decoder decides it (``claim_certainties``)."""
    largest, changed, total = 0.0, 0, 0
    for ref, oth in zip(reference, other, strict=True):
        for head, a in ref.items():
            b = oth[head]
            if a.numel():
                largest = max(largest, float((a - b).abs().max()))
            if head == "claims":
                labels_a, labels_b = claim_certainties(a), claim_certainties(b)
                changed += sum(x != y for x, y in zip(labels_a, labels_b, strict=True))
                total += len(labels_a)
            else:
                tags_a, tags_b = a.argmax(-1), b.argmax(-1)
                changed += int((tags_a != tags_b).sum())
                total += tags_a.numel()
    return largest, changed, total


def audit(cfg: DictConfig) -> Path:
    if "device" not in cfg.model:
        message = "not a torch model (no model.device): nothing to audit"
        raise InputError(f"conf/model/{cfg.model_id}.yaml", None, message)
    sizes = [int(size) for size in cfg.audit.batch_sizes]
    if not sizes or min(sizes) < 1 or int(cfg.audit.articles) < 1:
        raise InputError("config", None, "audit.articles and audit.batch_sizes must be integers >= 1")
    torch.set_num_threads(int(cfg.threads))
    loaded = data_module.load(cfg.data)
    articles: list[Article] = data_module.split_articles(loaded, cfg.split)[: int(cfg.audit.articles)]
    first = build(cfg, Variant(cfg.model.device, sizes[0]))
    tried = variants(sizes, first.placement()["device"])
    reference = first.logits(articles)
    differences = [Difference(v, *compare(reference, build(cfg, v).logits(articles))) for v in tried[1:]]
    record = audit_record(cfg, first, loaded, len(articles), tried[0], differences)
    path = new_run_path(resolve(cfg.audit.root), loaded.id, cfg.split, cfg.model_id)
    path.mkdir(parents=True, exist_ok=False)
    write_text_atomic(path / "audit.json", json.dumps(record, indent=2, sort_keys=True) + "\n")
    print(summary(tried[0], differences))
    print(f"audit: {path / 'audit.json'}")
    return path


def audit_record(
    cfg: DictConfig,
    model: Any,
    loaded: data_module.LoadedData,
    articles: int,
    reference: Variant,
    differences: list[Difference],
) -> dict[str, Any]:
    """What ``audit.json`` holds: the model's identity, the data, and each variant's differences."""
    return {
        "model": {
            "id": cfg.model_id,
            "config": OmegaConf.to_container(cfg.model, resolve=True),
            "placement": model.placement(),
            "weights_sha256": sha256_files(model.weights_files()),
        },
        "data": {
            "id": loaded.id,
            "split": cfg.split,
            "articles": articles,
            "fingerprint": loaded.fingerprint,
        },
        "reference": asdict(reference),
        "differences": [asdict(d) for d in differences],
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def summary(reference: Variant, differences: list[Difference]) -> str:
    lines = [f"reference: {reference.device}, batch {reference.batch_size}"]
    for d in differences:
        lines.append(
            f"{d.variant.device}, batch {d.variant.batch_size}: largest logit difference "
            f"{d.max_abs_logit_difference:.3g}, {d.labels_changed} of {d.labels} labels changed"
        )
    if not differences:
        lines.append("one variant only: give two batch sizes (audit.batch_sizes=[8,1])")
    return "\n".join(lines)


@hydra.main(config_path=str(CONFIG_DIR), config_name="audit", version_base="1.3")
def main(cfg: DictConfig) -> None:
    with reported_input_errors():
        audit(cfg)
