"""Committed results cannot go stale: every number in a README table is in a committed result file, committed
files agree on each (model, dataset, metric), a model has one weights sha256 across them, and the tables
written from now on record the weights behind every row."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

from helpers import run_cli
from test_gate_and_tables import BASELINE

from bench.core.paths import PROJECT_ROOT
from bench.results.tables import build_table, to_csv
from bench.run.rundir import load_run

RESULTS = PROJECT_ROOT / "results"
CELL = re.compile(r"\d+(?:\.\d+)?(?: \[[-+]?\d+\.\d+, [-+]?\d+\.\d+\])?")


def committed_text() -> str:
    """Every committed result file, with the tables' marks (bold, significance arrows) taken off."""
    files = sorted(p for p in RESULTS.rglob("*") if p.suffix in (".md", ".csv", ".tex", ".json"))
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    return text.replace("**", "").replace("▲", "").replace("▼", "")


def unbacked_readme_numbers(readme: str, results: str) -> list[str]:
    """Numbers (with their interval, if any) in the README's tables that no committed result file holds."""
    missing = []
    for line in readme.splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        for cell in (c.strip().replace("**", "") for c in line.strip("|").split("|")):
            if CELL.fullmatch(cell) and not re.search(rf"(?<![\d.]){re.escape(cell)}(?!\d)", results):
                missing.append(cell)
    return missing


def test_every_number_in_a_readme_table_is_in_a_committed_result_file() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert unbacked_readme_numbers(readme, committed_text()) == []


def test_a_readme_number_no_result_holds_is_found() -> None:
    readme = "| model | F1 |\n|---|---:|\n| lexicon | 52.0 [45.5, 58.5] |\n| tiny | 99.9 [99.1, 99.5] |\n"
    assert unbacked_readme_numbers(readme, committed_text()) == ["99.9 [99.1, 99.5]"]


def committed_values() -> dict[tuple[str, str, str], dict[str, str]]:
    """(model id, dataset, metric) -> {file: value} from every committed table CSV."""
    found: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for path in sorted((RESULTS / "tables").glob("*.csv")):
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        title = path.with_suffix(".md").read_text(encoding="utf-8").split("\n", 1)[0]
        for row in rows:
            if row["value"] in ("", "None"):
                continue
            dataset = row.get("dataset") or title.strip("*").split()[0]  # a tables CSV: its title's dataset
            model = row["model"].split(" (")[0]
            found[model, dataset, row["metric"]][path.name] = f"{float(row['value']):.6f}"
    return found


def test_committed_tables_agree_on_every_model_dataset_and_metric() -> None:
    disagree = {key: files for key, files in committed_values().items() if len(set(files.values())) > 1}
    assert disagree == {}


def committed_weights() -> dict[str, set[str]]:
    """Model id -> the weights sha256 that committed results record for it (tables' CSVs, baselines)."""
    weights: dict[str, set[str]] = defaultdict(set)
    for path in sorted((RESULTS / "tables").glob("*.csv")):
        for row in csv.DictReader(path.open(encoding="utf-8")):
            if row.get("weights_sha256"):
                weights[row["model"].split(" (")[0]].add(row["weights_sha256"])
    for manifest in sorted((RESULTS / "baselines").rglob("manifest.json")):
        model = json.loads(manifest.read_text(encoding="utf-8"))["model"]
        weights[model["id"]].add(model["weights_sha256"])
    return weights


def test_no_model_has_two_weights_in_committed_results() -> None:
    assert {model: shas for model, shas in committed_weights().items() if len(shas) > 1} == {}


def test_a_table_csv_records_the_weights_behind_each_row() -> None:
    run = load_run(BASELINE)
    rows = list(
        csv.DictReader(to_csv(build_table([run], ["claims.hedged.f1"], "lexicon", 0.05)).splitlines())
    )
    assert {row["weights_sha256"] for row in rows} == {run.manifest.model.weights_sha256}


def test_a_suite_csv_records_the_weights_behind_each_cell(tmp_path: Path) -> None:
    where = [f"run.root={tmp_path / 'runs'}", f"run.cache={tmp_path / 'cache'}", "eval.resamples=10"]
    done = run_cli("bench.suite", "model=lexicon", "data=news", *where, "--out", str(tmp_path / "suite"))
    assert done.returncode == 0, done.stderr[-2000:]
    (manifest,) = (tmp_path / "runs").rglob("manifest.json")
    weights = json.loads(manifest.read_text(encoding="utf-8"))["model"]["weights_sha256"]
    rows = list(csv.DictReader((tmp_path / "suite.csv").open(encoding="utf-8")))
    assert rows and {row["weights_sha256"] for row in rows} == {weights}
