"""Multi-run sweeps over models: the joblib launcher runs them, and the SLURM launcher config composes."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import data_overrides, run_cli, run_dirs, write_corpus
from hydra import compose, initialize_config_dir

from bench.core.paths import CONFIG_DIR, PROJECT_ROOT

pytestmark = pytest.mark.slow  # trains, kills or sweeps: part of .ci/run, not of the inner loop


def test_joblib_sweep_writes_one_run_directory_per_model(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"train": 2, "dev": 1, "test": 3})
    done = run_cli(
        "bench",
        "-m",
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
        "model=lexicon,spacy_sm",
        f"run.root={tmp_path / 'runs'}",
        f"run.cache={tmp_path / 'cache'}",
        "eval.resamples=20",
        *data_overrides(corpus),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(d.parent.name for d in run_dirs(tmp_path / "runs")) == ["lexicon", "spacy_sm"]
    # The sweep's own record goes beside the runs, never into the project folder.
    assert (tmp_path / "runs" / "multirun.yaml").is_file()
    assert not (PROJECT_ROOT / "multirun.yaml").exists() and not (PROJECT_ROOT / "multirun").exists()


def test_slurm_launcher_config_extends_submitit() -> None:
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("config", overrides=["hydra/launcher=slurm", "threads=4"], return_hydra_config=True)
    launcher = cfg.hydra.launcher
    assert launcher._target_ == "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher"
    assert launcher.cpus_per_task == 4, "the allocation must follow the configured torch threads"
    assert launcher.submitit_folder == "results/runs/.submitit/%j", (
        "job logs belong with the runs (git-ignored)"
    )
