"""Writes a run directory all at once: it appears complete, or not at all."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bench.core.jsonl import canonical_line
from bench.schema import Prediction

RUN_FILES = ("config.yaml", "predictions.jsonl", "scores.json", "manifest.json")


def new_run_path(root: Path, data_id: str, split: str, model_id: str) -> Path:
    """``<root>/<data>-<split>/<model>/<UTC timestamp>``, with a suffix if that name is taken."""
    base = root / f"{data_id}-{split}" / model_id / time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def predictions_text(predictions: list[Prediction]) -> str:
    return "".join(canonical_line(p.to_json()) + "\n" for p in predictions)


def write_run(
    path: Path, config_yaml: str, predictions: list[Prediction], scores_json: str, manifest: Mapping[str, Any]
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}."))
    try:
        files = {
            "config.yaml": config_yaml,
            "predictions.jsonl": predictions_text(predictions),
            "scores.json": scores_json,
            "manifest.json": json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        }
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="\n")
        os.replace(staging, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return path
