"""Bring your own model: predictions made elsewhere (model=predictions) and the Python API."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli, run_dirs

import bench
from bench.core.jsonl import read_records
from bench.metrics.settings import EvalSettings
from bench.models import predictions_file
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


def _predictions_run(tmp_path: Path, path: Path, *more: str) -> subprocess.CompletedProcess[str]:
    return run_cli("bench", "model=predictions", f"model.path={path}", f"run.root={tmp_path / 'p'}",
                   f"run.cache={tmp_path / 'pc'}", "eval.resamples=0", *more)  # fmt: skip


def test_a_predictions_file_is_read_once_whatever_the_chunk_size_and_never_copied_to_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_dir = _lexicon_run(tmp_path)
    reads = []

    def counted(path: Path, parse: Any) -> Any:
        reads.append(path)
        return read_records(path, parse)

    monkeypatch.setattr(predictions_file, "read_records", counted)
    done = _predictions_run(tmp_path, run_dir / "predictions.jsonl", "run.chunk_articles=1")
    assert done.returncode == 0, done.stderr
    assert reads == [run_dir / "predictions.jsonl"]
    assert not [p for p in (tmp_path / "pc").rglob("*") if p.is_file()]  # the file is its own cache


def _edited(run_dir: Path, tmp_path: Path, edit: Any) -> Path:
    rows = [json.loads(line) for line in (run_dir / "predictions.jsonl").read_text().splitlines()]
    edit(rows)
    path = tmp_path / "edited.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def _unknown_ids(rows: list[dict[str, Any]]) -> None:
    rows.extend({"article_id": f"stranger-{i}", "entities": [], "claims": []} for i in range(3))


def _contradiction(rows: list[dict[str, Any]]) -> None:
    claim = next(c for row in rows for c in row["claims"] if c["certainty"] == "confirmed")
    claim["p_hedged"] = 0.9


def _cues_null(rows: list[dict[str, Any]]) -> None:
    next(c for row in rows[3:] for c in row["claims"])["cues"] = None


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_unknown_ids, ": article 'stranger-0' is not in the gold split"),
        (
            _contradiction,
            "has certainty 'confirmed' but p_hedged 0.9, which is 'hedged' (hedged when p_hedged",
        ),
        (_cues_null, "has cues null where line 1 has a list: give cues for every claim or for none"),
    ],
    ids=["unknown-article-ids", "certainty-contradicts-p-hedged", "cues-null-on-one-claim"],
)
def test_a_predictions_file_the_gold_split_refutes_is_one_line_and_writes_nothing(
    edit: Any, expected: str, tmp_path: Path
) -> None:
    run_dir = _lexicon_run(tmp_path)
    path = _edited(run_dir, tmp_path, edit)
    done = _predictions_run(tmp_path, path, "run.chunk_articles=4")
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr[-3000:]
    assert done.stderr.startswith(f"error: {path}:") and expected in done.stderr, done.stderr
    assert not (tmp_path / "p").exists() and not [p for p in (tmp_path / "pc").rglob("*") if p.is_file()]
