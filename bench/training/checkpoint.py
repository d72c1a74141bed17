"""Writes a checkpoint folder all at once: a crash leaves the previous checkpoint, never half of a new one."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from safetensors.torch import save_file

from bench.models.transformers.multitask import HEADS_FILE, TRAIN_MANIFEST, MultiTaskTagger


def save_checkpoint(
    folder: Path, model: MultiTaskTagger, tokenizer: Any, manifest: Mapping[str, Any]
) -> Path:
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    staging.chmod(0o755)  # mkdtemp makes it private; a checkpoint is meant to be shared like any result
    try:
        model.token_model.save_pretrained(staging)
        save_file({k: v.contiguous() for k, v in model.certainty_state().items()}, staging / HEADS_FILE)
        tokenizer.save_pretrained(staging)
        text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (staging / TRAIN_MANIFEST).write_text(text, encoding="utf-8")
        _swap(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def _swap(staging: Path, folder: Path) -> None:
    """Replace ``folder`` by ``staging``; between the two renames the old checkpoint exists, moved aside."""
    if not folder.exists():
        os.replace(staging, folder)
        return
    retired = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old."))
    os.replace(folder, retired / folder.name)
    os.replace(staging, folder)
    shutil.rmtree(retired, ignore_errors=True)
