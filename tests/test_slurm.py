"""Sweeps through the SLURM launcher (Hydra's submitit plugin): a submission the cluster refuses is one
line naming the resource and its override; polls print no sacct warnings; and on a real single-node
cluster (``.ci/slurm_single_node``: Debian's slurm-wlm and munge) each ``scores.json`` is the local bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_dirs

from bench.core.paths import PACKAGE_PARENT

REFUSAL = """#!/bin/sh
echo "sbatch: error: Memory specification can not be satisfied" >&2
echo "sbatch: error: Batch job submission failed: Requested node configuration is not available" >&2
exit 1
"""


def cluster_up() -> bool:
    if shutil.which("sinfo") is None:
        return False
    done = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, timeout=30)
    return done.returncode == 0 and any(
        state in done.stdout for state in ("idle", "mix", "alloc", "completing")
    )


def sweep(tmp_path: Path, *overrides: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_PARENT), "TQDM_DISABLE": "1", "PYTHONHASHSEED": "0"}
    if path is not None:
        env["PATH"] = path
    command = [sys.executable, "-m", "bench", "-m", "eval.resamples=50", f"run.cache={tmp_path / 'cache'}",
               *overrides]  # fmt: skip
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)


def test_a_refused_submission_is_one_line_naming_the_override(tmp_path: Path) -> None:
    """sbatch as a cluster answers a job that asks for more memory than any node has."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "sbatch").write_text(REFUSAL)
    (fake / "sbatch").chmod(0o755)
    done = sweep(tmp_path, "hydra/launcher=slurm", "hydra.launcher.mem_gb=4096", "model=lexicon",
                 f"run.root={tmp_path / 'runs'}", path=f"{fake}:{os.environ['PATH']}")  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Memory specification can not be satisfied" in lines[0] and "hydra.launcher.mem_gb" in lines[0]


@pytest.mark.slow
@pytest.mark.skipif(
    not cluster_up(), reason="no SLURM cluster answers sinfo (.ci/slurm_single_node starts one)"
)
def test_a_slurm_sweep_gives_the_local_scores_byte_for_byte(tmp_path: Path) -> None:
    models = "model=lexicon,spacy_sm"
    local = sweep(tmp_path, models, f"run.root={tmp_path / 'local'}")
    assert local.returncode == 0, local.stderr[-2000:]
    cluster = sweep(tmp_path, "hydra/launcher=slurm", "hydra.launcher.partition=debug", models,
                    f"run.root={tmp_path / 'slurm'}")  # fmt: skip
    assert cluster.returncode == 0, cluster.stderr[-3000:]
    assert "sacct" not in cluster.stderr, cluster.stderr[-3000:]
    for model in ("lexicon", "spacy_sm"):
        (here,) = run_dirs(tmp_path / "local" / "news-test" / model)
        (there,) = run_dirs(tmp_path / "slurm" / "news-test" / model)
        assert (here / "scores.json").read_bytes() == (there / "scores.json").read_bytes(), model


def test_a_refused_submission_on_the_real_cluster_is_one_line(tmp_path: Path) -> None:
    if not cluster_up():
        pytest.skip("no SLURM cluster answers sinfo (.ci/slurm_single_node starts one)")
    done = sweep(tmp_path, "hydra/launcher=slurm", "hydra.launcher.partition=debug",
                 "hydra.launcher.mem_gb=4096", "model=lexicon", f"run.root={tmp_path / 'runs'}")  # fmt: skip
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "hydra.launcher.mem_gb" in done.stderr
