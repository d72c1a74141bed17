"""``python -m bench.suite model=<id>[,<id>...] [data=<id>,...] [--out PREFIX]``: models x datasets.

Runs each model on the test split of each dataset it was not trained on (a checkpoint's
``train_manifest.json`` records its training corpora), with the prediction cache, so a re-run only
re-scores. Without ``data=``, every ``conf/data/*.yaml`` is a column group, in the order of their ``order``
keys. Writes one table: rows are models, column groups datasets,
cells the headline metric of each task the dataset annotates (strict entity micro F1, hedged F1) with its
bootstrap interval; "—" where the dataset does not annotate the task, "trained on" where the model saw it.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hydra import compose, initialize_config_dir
from omegaconf import DictConfig, OmegaConf
from tqdm import tqdm

from bench.core.configs import dataset_ids
from bench.core.hydra_entry import COMPOSITION_ERRORS, composition_message
from bench.core.jsonl import write_text_atomic
from bench.core.paths import CONFIG_DIR, resolve
from bench.core.provenance import tracked_note
from bench.errors import InputError, run_command
from bench.metrics.specs import TASK_METRICS, spec
from bench.models.transformers.train_record import read_train_record
from bench.results.compare import compare_to_reference
from bench.results.power_line import mdd_by_column, power_line
from bench.run.rundir import Run, load_run
from bench.run.runner import run

TRAINED_ON = "trained on"


@dataclass(frozen=True)
class SuiteCell:
    """One (model, dataset, task) cell: a value with its interval, or why there is none."""

    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    note: str = "—"  # shown when value is None
    weights_sha256: str | None = None  # of the run behind the value: a committed number names its weights

    def text(self) -> str:
        if self.value is None:
            return self.note
        if self.ci_low is None or self.ci_high is None:
            return f"{100 * self.value:.1f}"
        return f"{100 * self.value:.1f} [{100 * self.ci_low:.1f}, {100 * self.ci_high:.1f}]"


def compose_config(overrides: Sequence[str]) -> DictConfig:
    """The composed config; an unknown model, dataset or key is one line (``config: ...``)."""
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        try:
            return compose("config", list(overrides), return_hydra_config=True)
        except COMPOSITION_ERRORS as error:
            raise InputError("config", None, composition_message(error)) from None


def trained_on(model_cfg: DictConfig) -> set[str]:
    """Dataset ids whose test split a model saw in training: the external corpora in its checkpoint's
    manifest. The first corpus of a manifest is the training data's own train split (its test split held
    out), so it is not counted."""
    checkpoint = model_cfg.get("checkpoint")
    record = read_train_record(resolve(checkpoint)) if isinstance(checkpoint, str) else None
    return set(record.seen_test_splits) if record is not None else set()


def run_cell(model: str, data: str, extra: Sequence[str]) -> tuple[dict[str, SuiteCell], Run | None]:
    """The cells of one (model, dataset) pair, and the run behind them (None when the model trained on it)."""
    cfg = compose_config([f"model={model}", f"data={data}", *extra])
    cfg.model_id = model  # a composed config has no Hydra runtime to interpolate the choice from
    tasks = list(cfg.data.tasks)
    if data in trained_on(cfg.model):
        return {task: SuiteCell(note=TRAINED_ON) for task in tasks}, None
    config = OmegaConf.create(OmegaConf.to_container(cfg, resolve=False))
    del config["hydra"]
    finished = load_run(run(config))
    weights = finished.manifest.model.weights_sha256
    cells = {}
    for task in tasks:
        entry = finished.headline.get(TASK_METRICS[task])
        if entry is not None:
            cells[task] = SuiteCell(entry["value"], entry.get("ci_low"), entry.get("ci_high"), "—", weights)
    return cells, finished


def run_suite(
    models: Sequence[str], datasets: Sequence[str], extra: Sequence[str]
) -> tuple[dict, dict[tuple[str, str], float]]:
    """The grid of cells, and each (dataset, task) column's power against the first model."""
    grid: dict[tuple[str, str], dict[str, SuiteCell]] = {}
    runs: dict[tuple[str, str], Run] = {}
    cells = [(m, d) for m in models for d in datasets]
    for model, data in tqdm(cells, desc="suite", unit="cell", file=sys.stderr, disable=None):  # None: no bar
        grid[model, data], finished = run_cell(model, data, extra)
        if finished is not None:
            runs[model, data] = finished
    return grid, column_power(runs, models, datasets)


def column_power(runs: dict[tuple[str, str], Run], models: Sequence[str], datasets: Sequence[str]) -> dict:
    """(dataset, task) -> the median MDD of the other models against the first (the table's reference row),
    from the same paired bootstrap the tables use."""
    power: dict[tuple[str, str], float] = {}
    for data in datasets:
        reference = runs.get((models[0], data))
        others = [runs[m, data] for m in models[1:] if (m, data) in runs]
        if reference is None or not others:
            continue
        metrics = {metric: task for task, metric in TASK_METRICS.items() if metric in reference.headline}
        comparisons = compare_to_reference(reference, others, list(metrics))
        mdd = mdd_by_column(comparisons, metrics, reference.manifest.eval.confidence)
        power.update({(data, metrics[metric]): value for metric, value in mdd.items()})
    return power


def columns(grid: dict, datasets: Sequence[str]) -> list[tuple[str, str]]:
    """(dataset, task) pairs that some model has a cell for, in dataset order."""
    return [
        (d, t) for d in datasets for t in TASK_METRICS if any(t in grid[m, d] for m, dd in grid if dd == d)
    ]


def to_markdown(
    grid: dict, models: Sequence[str], datasets: Sequence[str], level: str, power: dict | None = None
) -> str:
    cols = columns(grid, datasets)
    head = (
        "| model | "
        + " | ".join(f"{d} {spec(TASK_METRICS[t]).short} {spec(TASK_METRICS[t]).arrow}" for d, t in cols)
        + " |"
    )
    lines = [head, "|---|" + "---:|" * len(cols)]
    for model in models:
        row = [grid[model, d].get(t, SuiteCell()).text() for d, t in cols]
        lines.append(f"| {model} | " + " | ".join(row) + " |")
    note = (f"Test splits. Strict entity micro F1 and hedged F1, ×100, with {level} bootstrap intervals over "
            f"articles; —: not annotated by the dataset; {TRAINED_ON}: the model saw it.")  # fmt: skip
    headers = {(d, t): f"{d} {spec(TASK_METRICS[t]).short}" for d, t in cols}
    line = power_line(power or {}, headers, models[0], level)
    return "\n".join([*lines, "", note, "", line, ""])


def to_latex(grid: dict, models: Sequence[str], datasets: Sequence[str]) -> str:
    cols = columns(grid, datasets)
    escape = lambda s: s.replace("_", r"\_")  # noqa: E731
    short = {t: spec(name).short.split()[0].lower() for t, name in TASK_METRICS.items()}  # "ent", "hedge"
    head = " & ".join(["model", *(f"{escape(d)} {short[t]}" for d, t in cols)])
    body = []
    for model in models:
        cells = [grid[model, d].get(t, SuiteCell()).value for d, t in cols]
        shown = ["--" if v is None else f"{100 * v:.1f}" for v in cells]
        body.append(" & ".join([escape(model), *shown]) + r" \\")
    return "\n".join([r"\begin{tabular}{l" + "r" * len(cols) + "}", r"\toprule", head + r" \\", r"\midrule",
                      *body, r"\bottomrule", r"\end{tabular}", ""])  # fmt: skip


def to_csv(grid: dict, models: Sequence[str], datasets: Sequence[str], power: dict | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["model", "dataset", "metric", "value", "ci_low", "ci_high", "note", "column_mdd_80"]
    writer.writerow([*header, "weights_sha256"])
    for model in models:
        for data, task in columns(grid, datasets):
            cell = grid[model, data].get(task, SuiteCell())
            note = "" if cell.value is not None else cell.note
            mdd, weights = (power or {}).get((data, task), ""), cell.weights_sha256 or ""
            row = [model, data, TASK_METRICS[task], cell.value, cell.ci_low, cell.ci_high, note, mdd, weights]
            writer.writerow(row)
    return out.getvalue()


def _list(value: str, what: str) -> list[str]:
    items = [item for item in value.split(",") if item]
    if not items:
        raise InputError("command line", None, f"{what}= names nothing")
    return items


def requested_datasets(given: dict[str, str]) -> list[str]:
    """The datasets named by ``data=``, or else every ``conf/data/*.yaml``."""
    return _list(given["data"], "data") if "data" in given else list(dataset_ids())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.suite", description=__doc__.splitlines()[0])
    parser.add_argument(
        "choices",
        nargs="+",
        help="model=<id>[,<id>...], optionally data=<id>,...; other key=value overrides apply to every run",
    )
    parser.add_argument("--out", type=Path, help="write PREFIX.md, PREFIX.tex and PREFIX.csv")
    args = parser.parse_args(argv)

    def action() -> int:
        given = dict(c.split("=", 1) for c in args.choices if c.startswith(("model=", "data=")))
        extra = [c for c in args.choices if not c.startswith(("model=", "data="))]
        if "model" not in given:
            raise InputError("command line", None, "name the models: model=<id>[,<id>...]")
        models, datasets = _list(given["model"], "model"), requested_datasets(given)
        for choice in [*(f"model={m}" for m in models), *(f"data={d}" for d in datasets)]:
            compose_config([choice, *extra])  # every name and key checked before the first run
        grid, power = run_suite(models, datasets, extra)
        level = compose_config(extra).eval.confidence
        text = to_markdown(grid, models, datasets, f"{level * 100:.10g}%", power)
        print(text)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            for suffix, body in (
                (".md", text),
                (".tex", to_latex(grid, models, datasets)),
                (".csv", to_csv(grid, models, datasets, power)),
            ):
                path = resolve(args.out.with_name(args.out.name + suffix))
                write_text_atomic(path, body)
                print(f"wrote {path}{tracked_note(path)}", file=sys.stderr)
        return 0

    run_command(action)
