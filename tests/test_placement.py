"""``device`` and ``dtype`` of the transformer adapters and of training: checked before anything is loaded,
resolved (``auto``) into what the cache key and the manifest record. The bf16 run itself is in
test_train_tiny.py, which has a trained checkpoint."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from helpers import run_cli

from bench.models.rules.lexicon import LexiconModel
from bench.models.transformers.encoder import EncoderModel
from bench.models.transformers.placement import Placement

no_gpu = pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA device")


@no_gpu
def test_auto_resolves_to_the_cpu_without_a_gpu() -> None:
    if torch.backends.mps.is_available():
        pytest.skip("this machine has an MPS device")
    assert Placement.resolve("auto", "bfloat16").record() == {"device": "cpu", "dtype": "bfloat16"}


@pytest.mark.parametrize(
    ("device", "dtype", "message"),
    [
        ("gpu", "float32", "model.device must be one of auto, cpu, cuda, mps, got 'gpu'"),
        ("cpu", "fp16", "model.dtype must be one of float32, bfloat16, float16, got 'fp16'"),
    ],
)
def test_unknown_values_are_refused(device: str, dtype: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Placement.resolve(device, dtype)
    assert str(caught.value) == message


def test_the_adapter_records_its_resolved_placement_without_loading_anything(tmp_path: Path) -> None:
    model = EncoderModel(str(tmp_path / "no-checkpoint-needed"), device="cpu", dtype="bfloat16")
    assert model.placement() == {"device": "cpu", "dtype": "bfloat16"}
    assert EncoderModel(str(tmp_path), device="cpu").placement() == {"device": "cpu", "dtype": "float32"}


def test_a_model_without_torch_has_no_placement() -> None:
    assert LexiconModel("bench/resources/hedge_cues.tsv", "bench/resources/gazetteer.tsv").placement() is None


@no_gpu
@pytest.mark.parametrize("command", ["bench", "bench.train"])
def test_cuda_without_a_gpu_is_one_line_and_writes_nothing(command: str, tmp_path: Path) -> None:
    done = run_cli(
        command,
        "model=minilm",
        "model.device=cuda",
        f"model.checkpoint={tmp_path / 'minilm'}",
        f"run.root={tmp_path / 'runs'}",
        f"run.cache={tmp_path / 'cache'}",
    )
    assert done.returncode == 2, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("error: conf/model/minilm.yaml: ")
    assert "model.device=cuda: torch finds no CUDA device on this machine" in lines[0]
    assert "use model.device=cpu or model.device=auto" in lines[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"quantize": "int4"}, "model.quantize must be one of none, int8, got 'int4'"),
        ({"quantize": "int8", "dtype": "bfloat16"}, "model.quantize=int8 is a CPU float32 path"),
        ({"quantize": "int8", "batch_size": 8}, "model.quantize=int8 needs model.batch_size=1"),
    ],
)
def test_int8_is_refused_where_it_would_be_wrong(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        EncoderModel("results/checkpoints/minilm", **{"device": "cpu", "batch_size": 1, **settings})  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)


def test_auditing_a_model_without_torch_is_one_line(tmp_path: Path) -> None:
    done = run_cli("bench.audit", "model=lexicon", f"audit.root={tmp_path / 'audits'}")
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == "error: conf/model/lexicon.yaml: not a torch model (no model.device): nothing to audit"
    )
    assert not (tmp_path / "audits").exists()
