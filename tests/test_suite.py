"""The cross-dataset suite: one command, a table of models x datasets, "trained on" where a model saw one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli
from omegaconf import OmegaConf

from bench.errors import InputError
from bench.results.suite import TRAINED_ON, SuiteCell, to_csv, to_markdown, trained_on


def _manifest(data: list[dict]) -> str:
    """The fields of a ``train_manifest.json`` that its typed view reads."""
    history = [{"dev_selection": 0.5}, {"dev_selection": 0.6}]
    return json.dumps({"model_id": "tiny", "data": data, "dev": {"best_epoch": 2, "history": history},
                       "seconds": 12.5, "calibration": None})  # fmt: skip


def test_trained_on_reads_the_checkpoint_manifest(tmp_path: Path) -> None:
    data = [{"id": "news", "articles": 60}, {"id": "wikigold", "articles": 40}]
    (tmp_path / "train_manifest.json").write_text(_manifest(data))
    cfg = OmegaConf.create({"checkpoint": str(tmp_path)})
    assert trained_on(cfg) == {"wikigold"}  # news: only its train split was used
    assert trained_on(OmegaConf.create({"cues": "x.tsv"})) == set()
    assert trained_on(OmegaConf.create({"checkpoint": str(tmp_path / "elsewhere")})) == set()


def test_a_training_manifest_of_the_wrong_shape_is_one_input_error(tmp_path: Path) -> None:
    (tmp_path / "train_manifest.json").write_text(_manifest([{"name": "news"}]))
    with pytest.raises(InputError, match="train_manifest.json: not a training manifest: KeyError"):
        trained_on(OmegaConf.create({"checkpoint": str(tmp_path)}))


def test_table_cells_say_not_annotated_and_trained_on() -> None:
    grid = {
        ("a", "news"): {"entities": SuiteCell(0.5, 0.4, 0.6), "claims": SuiteCell(0.9, 0.8, 1.0)},
        ("a", "bioscope"): {"claims": SuiteCell(note=TRAINED_ON)},
    }
    text = to_markdown(grid, ["a"], ["news", "bioscope"], "90%")
    assert "| a | 50.0 [40.0, 60.0] | 90.0 [80.0, 100.0] | trained on |" in text
    assert "90% bootstrap intervals" in text
    assert "bioscope Ent F1" not in text  # BioScope has no entity column at all
    assert (
        to_csv(grid, ["a"], ["news", "bioscope"]).splitlines()[-1]
        == "a,bioscope,claims.hedged.f1,,,,trained on,,"  # no power, and no run behind it so no weights
    )
    assert "Power: the smallest difference from a" in text and "no paired comparison" in text


def test_suite_command_runs_every_cell(tmp_path: Path) -> None:
    prefix = tmp_path / "suite"
    where = [f"run.root={tmp_path / 'r'}", f"run.cache={tmp_path / 'c'}"]
    where += ["--out", str(prefix)]
    done = run_cli("bench.suite", "model=lexicon", "data=news", "eval.resamples=0", *where)
    assert done.returncode == 0, done.stderr
    table = (tmp_path / "suite.md").read_text()
    assert table.splitlines()[0] == "| model | news Ent F1 ↑ | news Hedge F1 ↑ |"
    assert table.splitlines()[2].startswith("| lexicon | 52.0 | 90.8 |")
    assert (tmp_path / "suite.tex").read_text().startswith(r"\begin{tabular}")


def test_the_suite_says_what_difference_each_column_resolves(tmp_path: Path) -> None:
    prefix = tmp_path / "suite"
    where = [f"run.root={tmp_path / 'r'}", f"run.cache={tmp_path / 'c'}", "eval.resamples=200"]
    done = run_cli("bench.suite", "model=lexicon,spacy_sm", "data=news", *where, "--out", str(prefix))
    assert done.returncode == 0, done.stderr
    power = (tmp_path / "suite.md").read_text().split("Power: ")[1]
    # spaCy differs from the lexicon on entities only (it borrows the lexicon's claims): the identical claims
    # column gives no power figure (a zero-width interval resolves nothing), the entity column a positive one.
    found = dict(part.rsplit(" ", 1) for part in power.split("×100: ")[1].rstrip(".\n").split("; "))
    assert set(found) == {"news Ent F1"} and float(found["news Ent F1"]) > 0
    rows = [row.split(",") for row in (tmp_path / "suite.csv").read_text().splitlines()]
    assert rows[0][-2:] == ["column_mdd_80", "weights_sha256"]
    assert {row[2]: bool(row[-2]) for row in rows[1:]} == {
        "entities.strict.micro.f1": True,
        "claims.hedged.f1": False,
    }
