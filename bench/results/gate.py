"""Regression gate for CI: ``python -m bench.gate RUN_DIR --baseline results/baselines/<data>-<split>/<m>``.

A metric *regresses* when the candidate is worse than the committed baseline by more than ``--tolerance``
(absolute) AND the paired bootstrap over articles says the difference is real (Holm-corrected p below
``--alpha`` across the gated metrics). Both conditions, because on a 20-article test split a one-point drop is
often noise, and on a large split a significant drop of 0.01 points is not worth failing a build for.

Exit status: 0 no regression, 1 regression, 2 the two runs cannot be compared (other data or metric version).
Baselines are run directories copied by ``scripts/update_baseline.py``; they are never edited by hand.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.errors import InputError, reported_input_errors
from bench.metrics import holm, paired_tests
from bench.run.runs import Run, check_comparable, gold_articles, load_run

GATED_METRICS = ("entities.strict.micro.f1", "claims.hedged.f1", "claims.macro.f1")
# Calibration errors: a smaller value is better.
LOWER_IS_BETTER = frozenset({"claims.ece", "claims.brier"})


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
    return delta if metric in LOWER_IS_BETTER else -delta


def judge(
    candidate: Run, baseline: Run, metrics: Sequence[str], tolerance: float, alpha: float
) -> list[Verdict]:
    check_comparable([baseline, candidate])
    shared = [m for m in metrics if m in candidate.headline and m in baseline.headline]
    if not shared:
        raise InputError(baseline.path, None, f"none of the gated metrics {list(metrics)} is in both runs")
    _, gold = gold_articles(baseline)
    eval_cfg = baseline.config.eval
    results = paired_tests(
        gold, candidate.predictions(), baseline.predictions(), shared,
        resamples=eval_cfg.resamples, seed=baseline.config.seed, confidence=eval_cfg.confidence,
        ece_bins=eval_cfg.ece_bins,
    )  # fmt: skip
    adjusted = holm({m: r.p_bootstrap for m, r in results.items()})
    return [
        Verdict(m, r.b, r.a, r.delta, r.ci_low, r.ci_high, adjusted[m],
                _worse_by(m, r.delta) > tolerance and adjusted[m] < alpha)
        for m, r in results.items()
    ]  # fmt: skip


def report(verdicts: Sequence[Verdict], tolerance: float, alpha: float) -> str:
    rows = [
        f"{'metric':<28} {'baseline':>9} {'candidate':>9} {'delta':>8}  "
        f"{'95% CI of delta':>19} {'p(Holm)':>8}"
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
    with reported_input_errors():
        candidate, baseline = load_run(args.run_dir), load_run(args.baseline)
        verdicts = judge(candidate, baseline, args.metric or GATED_METRICS, args.tolerance, args.alpha)
    print(
        f"candidate {args.run_dir} ({candidate.model_id}) vs baseline {args.baseline} ({baseline.model_id})"
    )
    print(report(verdicts, args.tolerance, args.alpha))
    raise SystemExit(1 if any(v.regressed for v in verdicts) else 0)


if __name__ == "__main__":
    main()
