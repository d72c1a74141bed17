"""Bring your own model: predictions made elsewhere (model=predictions) and the Python API."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_cli, run_dirs

import bench
from bench.metrics.settings import EvalSettings
from bench.schema import Prediction


def _lexicon_run(tmp_path: Path) -> Path:
    done = run_cli("bench", "model=lexicon", "eval.resamples=200", f"run.root={tmp_path / 'r'}",
                   f"run.cache={tmp_path / 'c'}")  # fmt: skip
    assert done.returncode == 0, done.stderr
    return run_dirs(tmp_path / "r")[0]


def test_scoring_a_runs_own_predictions_file_reproduces_its_scores(tmp_path: Path) -> None:
    run_dir = _lexicon_run(tmp_path)
    where = [f"run.root={tmp_path / 'p'}", f"run.cache={tmp_path / 'c'}", "eval.resamples=200"]
    again = run_cli("bench", "model=predictions", f"model.path={run_dir / 'predictions.jsonl'}", *where)
    assert again.returncode == 0, again.stderr
    (other,) = run_dirs(tmp_path / "p")
    assert (other / "scores.json").read_bytes() == (run_dir / "scores.json").read_bytes()
    manifest = json.loads((other / "manifest.json").read_text())
    assert manifest["model"]["label"] == str(run_dir / "predictions.jsonl")


def test_a_bad_predictions_file_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    run_dir = _lexicon_run(tmp_path)
    lines = (run_dir / "predictions.jsonl").read_text().splitlines()
    first = json.loads(lines[2])
    first["entities"] = [{"start": 0, "end": 10**6, "label": "PER"}]
    lines[2] = json.dumps(first)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n")
    done = run_cli("bench", "model=predictions", f"model.path={bad}", f"run.root={tmp_path / 'p'}",
                   f"run.cache={tmp_path / 'c2'}")  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {bad}:3:") and "out of range" in done.stderr
    assert done.stderr.count("\n") == 1 and not (tmp_path / "p").exists()


def test_the_python_api_gives_the_cli_numbers(tmp_path: Path) -> None:
    run_dir = _lexicon_run(tmp_path)
    gold = bench.load("news", split="test")
    predictions = [json.loads(line) for line in (run_dir / "predictions.jsonl").read_text().splitlines()]
    scores = bench.evaluate(gold, predictions, settings=EvalSettings(resamples=200))
    assert scores == json.loads((run_dir / "scores.json").read_text())
    as_objects = bench.evaluate(
        gold, [Prediction.from_json(p) for p in predictions], settings=EvalSettings(resamples=200)
    )
    assert as_objects == scores
    assert set(bench.load("news")) == {"train", "dev", "test"}
