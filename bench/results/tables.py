"""Results tables from many runs: Markdown, LaTeX and CSV, with confidence intervals and significance.

    python -m bench.tables --latest results/runs/news-test          # newest run of each model
    python -m bench.tables RUN_DIR RUN_DIR ... [--metric M ...] [--reference lexicon] [--out PREFIX]

Every cell is the metric with its bootstrap CI (articles resampled). Each model is compared with the reference
model (default: the ``lexicon`` floor) by a paired bootstrap over articles; the p-values of the whole grid
(models x metrics) are Holm-corrected, and a cell is marked when the corrected p is below ``--alpha``.
Runs on different data or metric versions are refused.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.core.jsonl import write_text_atomic
from bench.core.paths import resolve
from bench.core.provenance import tracked_note
from bench.errors import InputError, run_command
from bench.metrics.specs import DEFAULT_METRICS, spec
from bench.results.compare import compare_to_reference
from bench.results.power_line import mdd_by_column, power_line
from bench.results.rescore import verified_run
from bench.run.rundir import Run, Selection, latest_runs, not_a_result

MARK = "*"
DAGGER = "†"


@dataclass(frozen=True)
class Cell:
    value: float
    ci_low: float | None
    ci_high: float | None
    p_holm: float | None  # None for the reference row
    better: bool | None = None  # better than the reference (by the metric's direction); None: reference row


@dataclass(frozen=True)
class Table:
    title: str
    metrics: tuple[str, ...]
    models: tuple[str, ...]
    cells: dict[tuple[str, str], Cell | None]  # (model, metric) -> cell; None when not scored
    reference: str
    alpha: float
    level: str  # the confidence of the intervals, as printed, e.g. "90%"
    mdd: dict[str, float]  # metric -> median minimum detectable difference against the reference (power_line)
    dirty: dict[str, str] = field(default_factory=dict)  # model -> what was uncommitted, for its dagger
    weights: dict[str, str] = field(default_factory=dict)  # model -> sha256 of the weights behind its row

    def label(self, model: str) -> str:
        return f"{model}{DAGGER}" if model in self.dirty else model


def _cell(run: Run, metric: str, test: tuple[float, float] | None) -> Cell | None:
    """``test``: (Holm-corrected p, delta run - reference), or None for the reference row."""
    entry = run.headline.get(metric)
    if entry is None:
        return None
    if test is None:
        return Cell(entry["value"], entry.get("ci_low"), entry.get("ci_high"), None)
    p_holm, delta = test
    better = (delta > 0) == spec(metric).higher_is_better if delta != 0 else None
    return Cell(entry["value"], entry.get("ci_low"), entry.get("ci_high"), p_holm, better)


def build_table(runs: Sequence[Run], metrics: Sequence[str], reference_id: str, alpha: float) -> Table:
    for metric in metrics:
        spec(metric)  # a misspelt metric is an error, not a column of dashes
    for run in runs:
        reason = not_a_result(run.manifest)
        if reason:
            raise InputError(run.path, None, f"{reason} is not a result")
    _check_same_confidence(runs)
    models = [run.row_label for run in runs]
    if len(set(models)) != len(models):
        raise InputError(runs[0].path, None, f"two runs of the same model in one table: {models}")
    by_model = dict(zip(models, runs, strict=True))
    if reference_id not in by_model:
        raise InputError(
            runs[0].path, None, f"reference model {reference_id!r} is not among the runs {models}"
        )
    reference = by_model[reference_id]
    models = [reference_id] + [m for m in models if m != reference_id]  # the floor is the first row
    comparisons = compare_to_reference(reference, runs, metrics)
    tests = {(c.run.row_label, c.metric): (c.p_holm, c.result.delta) for c in comparisons}
    mdd = mdd_by_column(comparisons, metrics, reference.manifest.eval.confidence)
    cells = {
        (run.row_label, m): _cell(run, m, tests.get((run.row_label, m))) for run in runs for m in metrics
    }
    data = reference.manifest.data
    title = f"{data.id} v{data.version} / {data.split} ({data.articles} articles)"
    dirty = {run.row_label: _uncommitted(run) for run in runs if run.manifest.git.get("dirty") is not False}
    weights = {run.row_label: run.manifest.model.weights_sha256 for run in runs}
    level = reference.manifest.eval.level
    return Table(title, tuple(metrics), tuple(models), cells, reference_id, alpha, level, mdd, dirty, weights)


def _uncommitted(run: Run) -> str:
    git = run.manifest.git
    if git.get("dirty") is None:
        return "no git commit recorded"
    count = git.get("uncommitted_files")
    files = f"{count} uncommitted file{'s' * (count != 1)}" if count is not None else "uncommitted changes"
    return f"{files} at {str(git.get('commit'))[:10]}"


def _check_same_confidence(runs: Sequence[Run]) -> None:
    """One table, one confidence: its note names one level for every interval in it."""
    first = runs[0]
    for run in runs[1:]:
        mine, theirs = run.manifest.eval.confidence, first.manifest.eval.confidence
        if mine != theirs:
            message = (
                f"eval.confidence is {mine} here but {theirs} in {first.path}: one table, one confidence"
            )
            raise InputError(run.path / "manifest.json", None, message)


def _significant(cell: Cell, alpha: float) -> bool:
    return cell.p_holm is not None and cell.p_holm < alpha


def _best(table: Table, metric: str) -> float | None:
    values = [c.value for m in table.models if (c := table.cells[m, metric]) is not None]
    if not values:
        return None
    return max(values) if spec(metric).higher_is_better else min(values)


def _text(cell: Cell | None, table: Table, metric: str, marks: tuple[str, str], bold: tuple[str, str]) -> str:
    """Value ×100, a direction mark when it differs significantly from the reference, bold when best."""
    if cell is None:
        return "–"
    value = f"{100 * cell.value:.1f}"
    if cell.value == _best(table, metric):
        value = bold[0] + value + bold[1]
    if _significant(cell, table.alpha) and cell.better is not None:
        value += marks[0] if cell.better else marks[1]
    if cell.ci_low is None or cell.ci_high is None:
        return value
    return f"{value} [{100 * cell.ci_low:.1f}, {100 * cell.ci_high:.1f}]"


def _note(table: Table, math: bool = False) -> str:
    p = f"$p < {table.alpha}$" if math else f"p < {table.alpha}"
    up, down = (r"$\blacktriangle$", r"$\blacktriangledown$") if math else ("▲", "▼")
    return (
        f"Scores ×100 with {table.level} bootstrap CIs over articles; ↑/↓: higher/lower is better; "
        "bold: best. "
        f"{up}/{down}: significantly better/worse than {table.reference} (paired bootstrap, Holm-corrected "
        f"over the table, {p})." + _dirty_note(table, math)
    )


def _dirty_note(table: Table, latex: bool) -> str:
    """The dagger's footnote: which rows were made from a working tree with uncommitted changes."""
    if not table.dirty:
        return ""
    rows = "; ".join(f"{model}: {what}" for model, what in sorted(table.dirty.items()))
    rows = _latex_escape(rows) if latex else rows
    return f" {DAGGER} run made from a working tree with uncommitted changes ({rows})."


def _header(metric: str) -> str:
    return f"{spec(metric).short} {spec(metric).arrow}"


def to_markdown(table: Table) -> str:
    lines = [f"**{table.title}**", "", "| model | " + " | ".join(map(_header, table.metrics)) + " |"]
    lines.append("|---|" + "---:|" * len(table.metrics))
    for model in table.models:
        row = [_text(table.cells[model, m], table, m, ("▲", "▼"), ("**", "**")) for m in table.metrics]
        lines.append(f"| {table.label(model)} | " + " | ".join(row) + " |")
    return "\n".join([*lines, "", _note(table), "", _power(table), ""])


def _power(table: Table) -> str:
    headers = {m: spec(m).short for m in table.metrics}
    return power_line(table.mdd, headers, table.reference, table.level)


# Every character TeX gives a meaning, replaced in one pass: a label comes from a run's manifest, which anyone
# can edit, and TeX reads ``^^5c`` as a backslash (``x^^5cinput{/etc/hostname}`` put a file into a table).
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "\n": " ",
    "\r": " ",
}


def _latex_escape(text: str) -> str:
    return text.translate(str.maketrans(_LATEX))


def _latex_label(table: Table, model: str) -> str:
    return _latex_escape(table.label(model)).replace(DAGGER, r"$^\dagger$")


def to_latex(table: Table) -> str:
    """booktabs, scaled to the column width (no overfull box however many models), math-mode marks."""
    arrows = {"↑": r"$\uparrow$", "↓": r"$\downarrow$"}
    header = " & ".join(["model", *(spec(m).short + " " + arrows[spec(m).arrow] for m in table.metrics)])
    marks, bold = (r"$^{\blacktriangle}$", r"$^{\blacktriangledown}$"), (r"\textbf{", "}")
    body = [
        " & ".join([_latex_label(table, model), *(_text(table.cells[model, m], table, m, marks, bold)
                                                  for m in table.metrics)]) + r" \\"
        for model in table.models
    ]  # fmt: skip
    caption = _latex_escape(f"{table.title}. ").replace("×", r"$\times$") + _note(table, math=True).replace(
        "×", r"$\times$").replace("↑/↓", r"$\uparrow$/$\downarrow$").replace("%", r"\%").replace(
        DAGGER, r"$^\dagger$")  # fmt: skip
    caption += " " + _latex_escape(_power(table)).replace("×", r"$\times$")
    return "\n".join([
        r"\begin{table}[t]", r"\centering", r"\resizebox{\columnwidth}{!}{%",
        r"\begin{tabular}{l" + "r" * len(table.metrics) + "}", r"\toprule",
        header + r" \\", r"\midrule", *body, r"\bottomrule", r"\end{tabular}}",
        r"\caption{" + caption + "}", r"\end{table}", "",
    ])  # fmt: skip


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["model", "metric", "value", "ci_low", "ci_high", "p_holm_vs_reference", "significant",
                     "column_mdd_80", "weights_sha256"])  # fmt: skip
    for model in table.models:
        for metric in table.metrics:
            cell = table.cells[model, metric]
            mdd = table.mdd.get(metric, "")
            if cell is None:
                writer.writerow([model, metric, "", "", "", "", "", mdd, table.weights.get(model, "")])
                continue
            p = "" if cell.p_holm is None else f"{cell.p_holm:.6f}"
            low = "" if cell.ci_low is None else cell.ci_low
            high = "" if cell.ci_high is None else cell.ci_high
            significant = _significant(cell, table.alpha)
            weights = table.weights.get(model, "")
            writer.writerow([model, metric, cell.value, low, high, p, significant, mdd, weights])
    return out.getvalue()


def write_tables(table: Table, prefix: Path) -> list[Path]:
    prefix.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, render in ((".md", to_markdown), (".tex", to_latex), (".csv", to_csv)):
        path = prefix.with_name(prefix.name + suffix)
        write_text_atomic(path, render(table))
        paths.append(path)
    return paths


def report_selection(selection: Selection) -> None:
    """Which runs the table uses and, one line each, every run it leaves out and why (on stderr)."""
    for path in selection.chosen:
        print(f"using {path}", file=sys.stderr)
    for path, reason in selection.skipped:
        print(f"skipped {path}: {reason}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tables", description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="*", type=Path, help="run directories")
    parser.add_argument("--latest", type=Path, help="use the newest run of each model under this folder")
    parser.add_argument(
        "--clean-only",
        action="store_true",
        help="--latest leaves out runs made from uncommitted changes (default: used, marked †)",
    )
    parser.add_argument("--allow-dirty", action="store_true", help=argparse.SUPPRESS)  # the old default; kept
    parser.add_argument("--metric", action="append", help="headline metric (repeatable)")
    parser.add_argument("--reference", default="lexicon", help="model every other model is tested against")
    parser.add_argument("--alpha", type=float, default=0.05)
    parser.add_argument("--out", type=Path, help="write PREFIX.md, PREFIX.tex and PREFIX.csv")
    args = parser.parse_args(argv)

    def action() -> None:
        latest = latest_runs(resolve(args.latest), args.clean_only) if args.latest else None
        if latest is not None:
            report_selection(latest)
        paths = list(args.runs) + (latest.chosen if latest else [])
        if not paths:
            parser.error("give run directories or --latest FOLDER")
        table = build_table(
            [verified_run(p) for p in paths], args.metric or DEFAULT_METRICS, args.reference, args.alpha
        )
        print(to_markdown(table))
        if args.out:
            for path in write_tables(table, resolve(args.out)):
                print(f"wrote {path}{tracked_note(path)}")

    run_command(action)


if __name__ == "__main__":
    main()
