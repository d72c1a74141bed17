"""Inputs written by strangers (issue 26): checkpoints, run directories and baselines are treated as hostile.
Each test plays the attack as a user or an attacker would and shows it failing: no code of theirs runs, no
script runs in a report, no secret or file content reaches the output, nothing is read or written where the
run's own files point outside what the run wrote. (A hostile LLM server: ``test_llm.py``.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.core.paths import PROJECT_ROOT

GOLD = Path(__file__).parent / "bad_inputs" / "gold.jsonl"

EVIL_CODE = """import os, pathlib
pathlib.Path(os.environ["BENCH_EVIL_MARKER"]).write_text("ran")
from transformers import PretrainedConfig, PreTrainedModel
class EvilConfig(PretrainedConfig):
    model_type = "bench-evil"
class EvilModel(PreTrainedModel):
    config_class = EvilConfig
"""


def _evil_checkpoint(folder: Path) -> Path:
    """A checkpoint whose config names its own Python (``auto_map``), which writes a marker when imported."""
    folder.mkdir()
    classes = {"AutoConfig": "evil.EvilConfig", "AutoModel": "evil.EvilModel",
               "AutoModelForTokenClassification": "evil.EvilModel",
               "AutoModelForSequenceClassification": "evil.EvilModel"}  # fmt: skip
    config = {"model_type": "bench-evil", "auto_map": classes, "id2label": {"0": "O"}, "label2id": {"O": 0}}
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "evil.py").write_text(EVIL_CODE)
    (folder / "model.safetensors").write_bytes(b"")
    return folder


@pytest.mark.parametrize("part", ["model=minilm model.checkpoint", "model=hf model.checkpoint",
                                  "model=hf model.checkpoint=null model.certainty"])  # fmt: skip
def test_a_checkpoints_own_code_never_runs_even_when_stdin_says_yes(part: str, tmp_path: Path) -> None:
    folder = _evil_checkpoint(tmp_path / "checkpoint")
    marker = tmp_path / "marker"
    *model, key = part.split()
    args = [*model, f"{key}={folder}", f"data.source.splits={{test:'{GOLD}'}}", f"run.root={tmp_path}/runs",
            f"run.cache={tmp_path}/cache", "eval.resamples=0"]  # fmt: skip
    env = {**os.environ, "BENCH_EVIL_MARKER": str(marker), "TQDM_DISABLE": "1"}
    done = subprocess.run([sys.executable, "-m", "bench", *args], input="y\n" * 100, capture_output=True,
                          text=True, cwd=PROJECT_ROOT, env=env, timeout=300)  # fmt: skip
    assert not marker.exists(), "the checkpoint's evil.py ran"
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"error: {folder}: cannot load the checkpoint: ")
    assert "custom code" in done.stderr
