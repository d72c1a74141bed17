"""A run killed part-way (SIGKILL) resumes from the prediction cache and ends with the same scores.json,
byte for byte, as an uninterrupted run (tiny model, synthetic corpus)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import WINDOW_OVERRIDES, data_overrides, run_dirs, run_tiny, train_tiny, write_corpus

from bench.core.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow  # trains, kills or sweeps: part of .ci/run, not of the inner loop

TEST_ARTICLES = 150


def cache_entries(cache: Path) -> int:
    return len(list(cache.glob("*/*.json")))


def start_run(corpus: dict[str, Path], checkpoint: Path, runs: Path, cache: Path) -> subprocess.Popen[bytes]:
    args = [
        "bench",
        "model=tiny",
        f"model.checkpoint={checkpoint}",
        f"run.root={runs}",
        f"run.cache={cache}",
        "run.chunk_articles=1",
        "eval.resamples=50",
        *WINDOW_OVERRIDES,
        *data_overrides(corpus),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_after_first_entries(
    process: subprocess.Popen[bytes], cache: Path, entries: int, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while cache_entries(cache) < entries:
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "no cache entries appeared"
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def test_killed_run_resumes_from_the_cache_to_identical_scores(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"train": 12, "dev": 2, "test": TEST_ARTICLES}, sentences=12)
    checkpoint = tmp_path / "tiny"
    trained = train_tiny(corpus, checkpoint, epochs=2)
    assert trained.returncode == 0, trained.stderr[-3000:]

    cache, runs = tmp_path / "cache", tmp_path / "runs"
    killed = start_run(corpus, checkpoint, runs, cache)
    kill_after_first_entries(killed, cache, entries=3, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    done_before_kill = cache_entries(cache)
    assert 3 <= done_before_kill < TEST_ARTICLES, "the kill must land part-way through prediction"
    # A run streams its predictions into a hidden staging folder: after the kill there is no run directory,
    # only that folder, which no reader lists and the next run removes (its process is dead).
    assert run_dirs(runs) == [], "a killed run must not leave a run directory"
    leftovers = [path for path in runs.rglob("*") if path.is_dir() and path.name.startswith(".staging-")]
    assert len(leftovers) == 1

    resumed = run_tiny(corpus, checkpoint, runs, f"run.cache={cache}", "run.chunk_articles=1")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    uninterrupted = run_tiny(
        corpus,
        checkpoint,
        tmp_path / "fresh-runs",
        f"run.cache={tmp_path / 'fresh-cache'}",
        "run.chunk_articles=1",
    )
    assert uninterrupted.returncode == 0, uninterrupted.stderr[-3000:]

    (resumed_dir,) = run_dirs(runs)
    assert not leftovers[0].exists(), "the next run removes a dead run's staging folder"
    (fresh_dir,) = run_dirs(tmp_path / "fresh-runs")
    throughput = json.loads((resumed_dir / "manifest.json").read_text())["throughput"]
    assert throughput["cached_articles"] >= done_before_kill
    assert throughput["predicted_articles"] == TEST_ARTICLES - throughput["cached_articles"] > 0
    assert (resumed_dir / "scores.json").read_bytes() == (fresh_dir / "scores.json").read_bytes()
    assert (resumed_dir / "predictions.jsonl").read_bytes() == (fresh_dir / "predictions.jsonl").read_bytes()
