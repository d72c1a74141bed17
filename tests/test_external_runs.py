"""``python -m bench model=lexicon data=<external corpus>``: runs, scores what the corpus annotates, and
reports the other task as not scored (never as zero)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import requires_shared, run_cli, run_dirs

pytestmark = pytest.mark.slow  # trains, kills or sweeps: part of .ci/run, not of the inner loop


@pytest.mark.parametrize(
    ("data", "scored", "unscored"),
    [
        pytest.param("wikigold", "entities", "claims", marks=requires_shared("wikigold")),
        pytest.param("bioscope", "claims", "entities", marks=requires_shared("bioscope")),
    ],
)
def test_lexicon_scores_an_external_corpus(data: str, scored: str, unscored: str, tmp_path: Path) -> None:
    done = run_cli(
        "bench", "model=lexicon", f"data={data}", f"run.root={tmp_path / 'runs'}",
        f"run.cache={tmp_path / 'cache'}", "eval.resamples=100",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"{unscored:<32} not scored" in done.stdout
    (run_dir,) = run_dirs(tmp_path / "runs")
    scores = json.loads((run_dir / "scores.json").read_text())
    assert scores[unscored]["status"] == "not scored"
    assert not any(name.startswith(f"{unscored}.") for name in scores["headline"])
    assert any(name.startswith(f"{scored}.") for name in scores["headline"])
