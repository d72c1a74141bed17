"""Regression gate for CI: ``python -m bench.gate RUN_DIR --baseline results/baselines/<data>-<split>/<m>``.

A metric *regresses* when the candidate is worse than the committed baseline by more than ``--tolerance``
(absolute) AND the paired bootstrap over articles says the difference is real (Holm-corrected p below
``--alpha`` across the gated metrics). Both conditions, because on a 20-article test split a one-point drop is
often noise, and on a large split a significant drop of 0.01 points is not worth failing a build for.

Exit status: 0 no regression, 1 regression, 2 anything else (bad input, runs that cannot be compared, a
crash): CI reads 1 as "the model got worse", so nothing but a real regression may exit 1.
Baselines are run directories copied by ``scripts/update_baseline.py``; they are never edited by hand.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

from bench.errors import InputError, exit_bad_input, run_command
from bench.metrics.settings import EvalSettings
from bench.metrics.specs import GATED_METRICS, spec
from bench.results.compare import compare_to_reference
from bench.run.rundir import Run, load_run, not_a_result

EVAL_FIELDS = tuple(f.name for f in fields(EvalSettings))


@dataclass(frozen=True)
class Verdict:
    metric: str
    baseline: float
    candidate: float
    delta: float  # candidate - baseline
    ci_low: float
    ci_high: float
    p_holm: float
    regressed: bool


def _worse_by(metric: str, delta: float) -> float:
    """How much worse the candidate is (positive = worse), whatever the metric's direction."""
    return -delta if spec(metric).higher_is_better else delta


def judge(
    candidate: Run, baseline: Run, metrics: Sequence[str], tolerance: float, alpha: float
) -> list[Verdict]:
    for metric in metrics:
        spec(metric)  # an unknown metric is an error, not a silent skip
    for run in (candidate, baseline):
        reason = not_a_result(run.manifest)
        if reason:
            raise InputError(run.path, None, f"{reason} cannot be gated")
    check_same_statistics(candidate, baseline)
    shared = [m for m in metrics if m in candidate.headline and m in baseline.headline]
    if not shared:
        raise InputError(baseline.path, None, f"none of the gated metrics {list(metrics)} is in both runs")
    return [
        Verdict(c.metric, c.result.b, c.result.a, c.result.delta, c.result.ci_low, c.result.ci_high, c.p_holm,
                _worse_by(c.metric, c.result.delta) > tolerance and c.p_holm < alpha)
        for c in compare_to_reference(baseline, [candidate], shared)
    ]  # fmt: skip


def check_same_statistics(candidate: Run, baseline: Run) -> None:
    """The paired test runs on the candidate's settings (made by this CI's own config), which must equal the
    baseline's: a baseline edited to ``eval.resamples: 2`` turned a regression (p 0.003) into a pass."""
    mine, theirs = candidate.manifest, baseline.manifest
    pairs = {f"eval.{key}": (getattr(mine.eval, key), getattr(theirs.eval, key)) for key in EVAL_FIELDS}
    pairs["data.entity_labels"] = (list(mine.data.entity_labels), list(theirs.data.entity_labels))
    for key, (own, recorded) in pairs.items():
        if own != recorded:
            where = baseline.path / "manifest.json"
            raise InputError(where, None, f"{key} is {recorded!r} here but {own!r} in the candidate "
                             f"{candidate.path}: not compared")  # fmt: skip


def report(verdicts: Sequence[Verdict], tolerance: float, alpha: float, level: str) -> str:
    rows = [
        f"{'metric':<28} {'baseline':>9} {'candidate':>9} {'delta':>8}  "
        f"{level + ' CI of delta':>19} {'p(Holm)':>8}"
    ]
    for v in verdicts:
        interval = f"[{v.ci_low:+.4f}, {v.ci_high:+.4f}]"
        status = "REGRESSION" if v.regressed else "ok"
        rows.append(
            f"{v.metric:<28} {v.baseline:>9.4f} {v.candidate:>9.4f} {v.delta:>+8.4f}  {interval:>19} "
            f"{v.p_holm:>8.4f}  {status}"
        )
    failed = [v.metric for v in verdicts if v.regressed]
    rule = f"worse by > {tolerance} and Holm-corrected paired-bootstrap p < {alpha}"
    rows.append(f"regression ({rule}): {', '.join(failed)}" if failed else f"no regression ({rule})")
    return "\n".join(rows)


@contextmanager
def _any_error_exits_2() -> Iterator[None]:
    try:
        yield
    except (InputError, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 -- a crash must not read as a regression (exit 1)
        exit_bad_input(f"gate could not compare the runs: {type(exc).__name__}: {exc}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.gate", description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path, help="the candidate run directory")
    parser.add_argument("--baseline", type=Path, required=True, help="the committed baseline run directory")
    parser.add_argument(
        "--metric", action="append", help=f"metric to gate (repeatable; default {GATED_METRICS})"
    )
    parser.add_argument(
        "--tolerance", type=float, default=0.01, help="absolute drop tolerated (default 0.01)"
    )
    parser.add_argument("--alpha", type=float, default=0.05)
    args = parser.parse_args(argv)

    def action() -> int:
        with _any_error_exits_2():
            candidate, baseline = load_run(args.run_dir), load_run(args.baseline)
            verdicts = judge(candidate, baseline, args.metric or GATED_METRICS, args.tolerance, args.alpha)
        versus = f"vs baseline {args.baseline} ({baseline.model_id})"
        print(f"candidate {args.run_dir} ({candidate.model_id}) {versus}")
        print(report(verdicts, args.tolerance, args.alpha, baseline.manifest.eval.level))
        return 1 if any(v.regressed for v in verdicts) else 0

    run_command(action)


if __name__ == "__main__":
    main()
