"""The regression gate and the results tables, on the committed lexicon baseline and edited copies of it."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run_cli, run_dirs

from bench.core.paths import PROJECT_ROOT
from bench.errors import InputError
from bench.results import gate
from bench.results.rescore import rescore
from bench.results.tables import build_table, to_csv, to_latex, to_markdown
from bench.run.rundir import load_run

BASELINE = PROJECT_ROOT / "results" / "baselines" / "news-test" / "lexicon"


def edited_copy(tmp_path: Path, name: str, edit_prediction=None, model_id: str | None = None) -> Path:
    """A copy of the baseline run with its predictions edited (and optionally another model id)."""
    target = tmp_path / name
    shutil.copytree(BASELINE, target)
    if edit_prediction is not None:
        rows = [json.loads(line) for line in (target / "predictions.jsonl").read_text().splitlines()]
        rows = [edit_prediction(index, row) for index, row in enumerate(rows)]
        (target / "predictions.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
        (target / "scores.json").write_text(rescore(target)[0])
    if model_id is not None:
        manifest = json.loads((target / "manifest.json").read_text())
        manifest["model"]["id"] = model_id
        (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def drop_entities(index: int, row: dict) -> dict:
    return {**row, "entities": []}


def gate_exit(candidate: Path, *extra: str) -> int:
    with pytest.raises(SystemExit) as stopped:
        gate.main([str(candidate), "--baseline", str(BASELINE), "--tolerance", "0.01", *extra])
    return int(stopped.value.code)


def test_a_fresh_lexicon_run_passes_the_gate_against_the_committed_baseline(tmp_path: Path) -> None:
    done = run_cli(
        "bench", "model=lexicon", f"run.root={tmp_path / 'runs'}", f"run.cache={tmp_path / 'cache'}"
    )
    assert done.returncode == 0, done.stderr
    (run_dir,) = run_dirs(tmp_path / "runs")
    assert (run_dir / "scores.json").read_bytes() == (BASELINE / "scores.json").read_bytes(), (
        "the committed baseline is stale: run python scripts/update_baseline.py"
    )
    gated = run_cli("bench.results.gate", str(run_dir), "--baseline", str(BASELINE))
    assert gated.returncode == 0, gated.stdout + gated.stderr
    assert "no regression" in gated.stdout


def test_losing_every_entity_is_a_regression(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gate_exit(edited_copy(tmp_path, "worse", drop_entities)) == 1
    assert "REGRESSION" in capsys.readouterr().out


def test_losing_one_entity_is_not_a_regression(tmp_path: Path) -> None:
    def drop_one(index: int, row: dict) -> dict:
        return {**row, "entities": row["entities"][1:]} if index == 0 else row

    assert gate_exit(edited_copy(tmp_path, "noise", drop_one)) == 0


def test_a_significant_drop_within_the_tolerance_passes(tmp_path: Path) -> None:
    assert gate_exit(edited_copy(tmp_path, "worse", drop_entities), "--tolerance", "0.9") == 0


def test_runs_on_other_data_are_refused_not_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = edited_copy(tmp_path, "other")
    manifest = json.loads((other / "manifest.json").read_text())
    manifest["data"]["fingerprint"] = "0" * 64
    (other / "manifest.json").write_text(json.dumps(manifest))
    assert gate_exit(other) == 2
    assert "dataset fingerprint" in capsys.readouterr().err


def test_table_marks_significant_differences_in_every_format(tmp_path: Path) -> None:
    worse = load_run(edited_copy(tmp_path, "worse", drop_entities, model_id="no-entities"))
    table = build_table(
        [load_run(BASELINE), worse], ["entities.strict.micro.f1", "claims.hedged.f1"], "lexicon", 0.05
    )
    markdown = to_markdown(table)
    assert "| model | Ent F1 ↑ | Hedge F1 ↑ |" in markdown
    # best values in bold; the committed baseline was made from a clean tree, so no row carries the dagger
    assert "| lexicon | **52.0** [45.5, 58.5] | **90.8** [" in markdown, markdown
    assert "| no-entities | 0.0▼ [0.0, 0.0] | **90.8** [" in markdown, markdown  # significantly worse
    assert "†" not in markdown
    # The power line: the entity column resolves a difference.
    assert (
        "Power: the smallest difference from lexicon" in markdown and "Ent F1 " in markdown.split("Power:")[1]
    )
    # The edited run keeps the lexicon's claims: a zero-width interval there resolves nothing, so no figure.
    assert set(table.mdd) == {"entities.strict.micro.f1"}
    assert all(0 <= value < 1 for value in table.mdd.values())
    latex = to_latex(table)
    assert "\\begin{tabular}{lrr}" in latex and r"0.0$^{\blacktriangledown}$" in latex
    assert r"$p < 0.05$" in latex and "<" not in latex.replace("$p < 0.05$", "")
    rows = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert len(rows) == 4
    by_key = {(r["model"], r["metric"]): r for r in rows}
    assert by_key["no-entities", "entities.strict.micro.f1"]["significant"] == "True"
    assert by_key["no-entities", "claims.hedged.f1"]["significant"] == "False"
    assert by_key["lexicon", "claims.hedged.f1"]["p_holm_vs_reference"] == ""


def test_table_refuses_two_runs_of_one_model(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="same model"):
        build_table(
            [load_run(BASELINE), load_run(edited_copy(tmp_path, "twin"))],
            ["claims.hedged.f1"],
            "lexicon",
            0.05,
        )


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed (.ci/run installs it)")
def test_latex_table_of_five_models_compiles_without_overfull_boxes(tmp_path: Path) -> None:
    runs = [load_run(BASELINE)]
    for i, edit in enumerate([drop_entities, drop_entities, drop_entities, drop_entities]):
        runs.append(load_run(edited_copy(tmp_path, f"m{i}", edit, model_id=f"model_{i}_with_a_long_name")))
    metrics = ["entities.strict.micro.f1", "entities.strict.macro.f1", "entities.partial.micro.f1",
               "claims.hedged.f1", "claims.macro.f1", "claims.ece"]  # fmt: skip
    table = build_table(runs, metrics, "lexicon", 0.05)
    document = "\n".join([
        r"\documentclass{article}", r"\usepackage[utf8]{inputenc}", r"\usepackage{booktabs}",
        r"\usepackage{graphicx}", r"\usepackage{amssymb}", r"\begin{document}", to_latex(table),
        r"\end{document}",
    ])  # fmt: skip
    (tmp_path / "t.tex").write_text(document, encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
    log = (tmp_path / "t.log").read_text(errors="replace")
    assert "Overfull" not in log and "¡" not in log


@pytest.mark.parametrize(("key", "value"), [("eval.resamples", 2), ("eval.confidence", 0.5), ("eval.seed", 7),
                                            ("data.entity_labels", ["PER"])])  # fmt: skip
def test_a_baseline_edited_to_other_statistics_is_refused_naming_both_values(
    key: str, value: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A real regression (p 0.003 at 1000 resamples) read as a pass (p 1.0) once the baseline said 2.
    worse = edited_copy(tmp_path, "worse", drop_entities)
    baseline = tmp_path / "baseline"
    shutil.copytree(BASELINE, baseline)
    manifest = json.loads((baseline / "manifest.json").read_text())
    section, name = key.split(".")
    recorded = manifest[section][name]
    manifest[section][name] = value
    (baseline / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SystemExit) as stopped:
        gate.main([str(worse), "--baseline", str(baseline)])
    assert stopped.value.code == 2
    expected = (f"error: {baseline}/manifest.json: {key} is {value!r} here but {recorded!r} in the candidate "
                f"{worse}: not compared\n")  # fmt: skip
    assert capsys.readouterr().err == expected


def _set_manifest(run: Path, **eval_settings: float) -> None:
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["eval"].update(eval_settings)
    (run / "manifest.json").write_text(json.dumps(manifest))


def test_tables_and_report_refuse_an_edited_scores_json_naming_the_run(tmp_path: Path) -> None:
    intact = edited_copy(tmp_path, "intact", model_id="intact")
    assert run_cli("bench.tables", str(BASELINE), str(intact)).returncode == 0  # the control
    edited = edited_copy(tmp_path, "edited", model_id="edited")
    scores = json.loads((edited / "scores.json").read_text())
    scores["headline"]["entities.strict.micro.f1"]["value"] = 0.99  # bold-best, yet significantly worse?
    (edited / "scores.json").write_text(json.dumps(scores, sort_keys=True))
    pair = ["bench.report", str(BASELINE), "--compare", str(edited), "--out", str(tmp_path / "r")]
    for command in (["bench.tables", str(BASELINE), str(edited)], ["bench.report", str(edited)], pair):
        done = run_cli(*command)
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith(f"error: {edited / 'scores.json'}: differs from the scores recomputed")
    assert not (edited / "report.html").exists() and not (tmp_path / "r").exists()


def test_a_table_of_runs_at_different_confidences_is_refused(tmp_path: Path) -> None:
    other = edited_copy(tmp_path, "other", model_id="other")
    _set_manifest(other, confidence=0.5)
    (other / "scores.json").write_text(rescore(other)[0])  # its scores are its own, at 50 %
    done = run_cli("bench.tables", str(BASELINE), str(other))
    assert done.returncode == 2 and "95%" not in done.stdout, done.stdout
    assert done.stderr == (
        f"error: {other / 'manifest.json'}: eval.confidence is 0.5 here but 0.95 in {BASELINE}: "
        "one table, one confidence\n"
    )
