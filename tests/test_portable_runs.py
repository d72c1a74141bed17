"""A run directory that travels (a committed baseline, a colleague's run) is read against this checkout's
data: its recorded absolute paths name another machine; the data's fingerprint decides what is the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import run_cli, run_dirs
from omegaconf import OmegaConf

from bench.core.paths import PROJECT_ROOT
from bench.errors import InputError
from bench.results.rescore import rescore
from bench.run.rundir import gold_articles, load_run

BASELINE = PROJECT_ROOT / "results" / "baselines" / "news-test" / "lexicon"


def moved_copy(tmp_path: Path, test_file: str) -> Path:
    """The baseline as if made on another machine: its data paths point at ``test_file``."""
    target = tmp_path / "run"
    shutil.copytree(BASELINE, target)
    config = OmegaConf.load(target / "config.yaml")
    for split in ("train", "dev", "test"):
        config.data.source.splits[split] = test_file
    (target / "config.yaml").write_text(OmegaConf.to_yaml(config), encoding="utf-8")
    return target


def test_a_run_made_on_another_machine_is_scored_against_this_checkout(tmp_path: Path) -> None:
    moved = load_run(moved_copy(tmp_path, "/nowhere/else/data/test.jsonl"))
    _, gold = gold_articles(moved)
    assert len(gold) == 21
    _, same = rescore(moved.path)
    assert same  # its scores.json is what its predictions and this checkout's gold give


def test_a_run_on_the_users_own_data_is_read_from_its_recorded_paths(tmp_path: Path) -> None:
    """Other data than the project's: the project's files give another fingerprint, so the recorded paths are
    read; a file changed there since the run is still refused."""
    own = tmp_path / "own.jsonl"
    lines = (PROJECT_ROOT / "data" / "test.jsonl").read_text(encoding="utf-8").splitlines()
    own.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one article fewer: other data
    where = [f"run.root={tmp_path / 'runs'}", f"run.cache={tmp_path / 'cache'}", "eval.resamples=0"]
    done = run_cli("bench", "model=lexicon", f"data.source.splits.test={own}", *where)
    assert done.returncode == 0, done.stderr
    (run_dir,) = run_dirs(tmp_path / "runs")
    assert len(gold_articles(load_run(run_dir))[1]) == len(lines) - 1
    own.write_text("\n".join(lines[:-2]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="the data changed since this run"):
        gold_articles(load_run(run_dir))
