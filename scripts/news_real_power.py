"""How finely news_real test ranks models: paired intervals and detectable differences, written to a file.

    python scripts/news_real_power.py [--model minilm_real] [--reference lexicon]

Runs (or reuses, through the prediction cache) ``--model`` and ``--reference`` on news_real test, compares
them by the paired bootstrap the tables use (1,000 resamples of articles, 95 %), and writes
results/news_real_power.md: per headline metric of the two tasks the difference, its interval, the interval's
half-width and the minimum detectable difference at 80 % power (``bench.metrics.power``), beside the same
figures on version 1 of the split (57 articles) as the README quoted them before version 2.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from bench.core.jsonl import write_text_atomic
from bench.core.paths import PROJECT_ROOT
from bench.metrics.power import detectable_difference
from bench.results.compare import compare_to_reference
from bench.run.rundir import latest_runs, load_run

OUT = PROJECT_ROOT / "results" / "news_real_power.md"
ROOT = PROJECT_ROOT / "results" / "runs" / "news_real_power"
METRICS = ("entities.strict.micro.f1", "claims.hedged.f1")
# Version 1 (57 test articles), minilm_real against lexicon, as README and results/ablation.md gave them.
HEAD = ["| metric | difference | interval | half-width | MDD |", "|---|---:|---:|---:|---:|"]
VERSION_1 = {"claims.hedged.f1": (0.114, 0.035, 0.196)}


def run(model: str) -> None:
    command = [sys.executable, "-m", "bench", f"model={model}", "data=news_real", f"run.root={ROOT}"]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[2:])} failed: {done.stderr.strip().splitlines()[-1:]}")


def row(metric: str, delta: float, low: float, high: float, confidence: float) -> str:
    mdd = detectable_difference(low, high, confidence)
    interval = f"[{100 * low:+.1f}, {100 * high:+.1f}]"
    return f"| {metric} | {100 * delta:+.1f} | {interval} | ±{50 * (high - low):.1f} | {100 * mdd:.1f} |"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="minilm_real")
    parser.add_argument("--reference", default="lexicon")
    args = parser.parse_args(argv)
    for model in (args.reference, args.model):
        run(model)
    runs = {done.row_label: done for done in map(load_run, latest_runs(ROOT / "news_real-test").chosen)}
    reference, candidate = runs[args.reference], runs[args.model]
    confidence = reference.manifest.eval.confidence
    data = reference.manifest.data
    lines = [f"# How finely news_real test ranks models: {args.model} against {args.reference}", "",
             "Written by `python scripts/news_real_power.py`. Paired bootstrap over articles (1,000",
             f"resamples, {100 * confidence:.0f} %); MDD: the smallest true difference found significant",
             "with 80 % power.", "",
             f"## news_real v{data.version} test ({data.articles} articles)", "",
             *HEAD]  # fmt: skip
    for c in compare_to_reference(reference, [candidate], list(METRICS)):
        lines.append(row(c.metric, c.result.delta, c.result.ci_low, c.result.ci_high, confidence))
    lines += ["", "## news_real v1 test (57 articles), as reported before version 2", "",
              *HEAD]  # fmt: skip
    lines += [row(metric, *values, 0.95) for metric, values in VERSION_1.items()]
    write_text_atomic(OUT, "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
