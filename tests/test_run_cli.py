"""``python -m bench`` end to end: the run directory, reproducibility, rescoring, refusal of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli, run_dirs

from bench.corpus.build import compile_all
from bench.run.rundir import RUN_FILES


def bench_run(runs_root: Path, *overrides: str, isolated: bool = False):
    return run_cli(
        "bench",
        "model=lexicon",
        f"run.root={runs_root}",
        f"run.cache={runs_root.parent / 'cache'}",
        "eval.resamples=200",
        *overrides,
        isolated=isolated,
    )


def test_lexicon_run_writes_the_four_files_and_is_byte_reproducible(runs_root: Path) -> None:
    # Two fresh processes: reproducible across interpreters, not only within one.
    first, second = bench_run(runs_root, isolated=True), bench_run(runs_root, isolated=True)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "entities.strict.micro.f1" in first.stdout and "claims.hedged.f1" in first.stdout
    dirs = run_dirs(runs_root)
    assert len(dirs) == 2
    for run_dir in dirs:
        assert sorted(p.name for p in run_dir.iterdir()) == sorted(RUN_FILES)
    assert (dirs[0] / "scores.json").read_bytes() == (dirs[1] / "scores.json").read_bytes()
    manifest = json.loads((dirs[0] / "manifest.json").read_text())
    assert manifest["model"]["id"] == "lexicon"
    assert manifest["throughput"]["predicted_articles"] > 0
    assert json.loads((dirs[1] / "manifest.json").read_text())["throughput"]["predicted_articles"] == 0, (
        "the second run should have been served from the prediction cache"
    )

    rescored = run_cli("bench.results.rescore", str(dirs[0]))
    assert rescored.returncode == 0, rescored.stdout + rescored.stderr
    assert "identical" in rescored.stdout


def test_rescore_detects_edited_predictions(runs_root: Path) -> None:
    assert bench_run(runs_root).returncode == 0
    (run_dir,) = run_dirs(runs_root)
    predictions = run_dir / "predictions.jsonl"
    rows = [json.loads(line) for line in predictions.read_text().splitlines()]
    rows[0]["entities"] = []
    predictions.write_text("".join(json.dumps(row) + "\n" for row in rows))
    rescored = run_cli("bench.results.rescore", str(run_dir))
    assert rescored.returncode == 1 and "DIFFERENT" in rescored.stdout


def seed_row() -> dict:
    return compile_all()["seed-assad-asylum"].to_json()


def broken_rows(case: str) -> tuple[list[str], int]:
    """JSONL lines with one defect, and the line number the error must name."""
    good = seed_row()
    bad = json.loads(json.dumps(good)) | {"id": "broken"}
    if case == "bad json":
        return [json.dumps(good), json.dumps(bad)[:-5]], 2
    if case == "offset past the end":
        bad["entities"][0]["end"] = len(bad["text"]) + 7
    elif case == "overlapping entities":
        bad["entities"].insert(1, {"start": 10, "end": 30, "label": "ORG"})
    elif case == "unknown label":
        bad["entities"][0]["label"] = "PERSON"
    elif case == "cue outside its claim":
        bad["claims"][0]["cues"][0] = {
            "start": bad["claims"][1]["start"],
            "end": bad["claims"][1]["start"] + 4,
        }
    elif case == "hedged claim without cue":
        bad["claims"][0]["cues"] = []
    return [json.dumps(good), json.dumps(bad)], 2


CASES = {
    "bad json": "invalid JSON",
    "offset past the end": "out of range",
    "overlapping entities": "overlap",
    "unknown label": "unknown label 'PERSON'",
    "cue outside its claim": "outside its claim",
    "hedged claim without cue": "hedged but has no cue",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_input_gives_one_line_error_and_no_run_directory(case: str, tmp_path: Path) -> None:
    lines, line_number = broken_rows(case)
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs_root = tmp_path / "runs"
    # One case in a fresh process: the exit status and the one line as a shell sees them.
    done = bench_run(runs_root, f"data.source.splits={{test:{path}}}", isolated=case == "bad json")
    assert done.returncode == 2
    error_lines = done.stderr.strip().splitlines()
    assert len(error_lines) == 1, done.stderr
    assert error_lines[0].startswith(f"error: {path}:{line_number}:")
    assert CASES[case] in error_lines[0]
    assert "Traceback" not in done.stderr
    assert not runs_root.exists()


def test_rescore_refuses_predictions_that_do_not_fit_the_gold_data(runs_root: Path) -> None:
    assert bench_run(runs_root).returncode == 0
    (run_dir,) = run_dirs(runs_root)
    predictions = run_dir / "predictions.jsonl"
    predictions.write_text("".join(predictions.read_text().splitlines(keepends=True)[1:]))
    rescored = run_cli("bench.results.rescore", str(run_dir))
    assert rescored.returncode == 2
    assert rescored.stderr.startswith(f"error: {predictions}:")
    assert "Traceback" not in rescored.stderr
