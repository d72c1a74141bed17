"""The benchmark's metrics as a Hugging Face ``evaluate`` module, loadable offline by local path:

    import evaluate
    from bench.hf_metric import METRIC_PATH
    metric = evaluate.load(str(METRIC_PATH))

The module is a thin adapter over ``bench.metrics.score_run``; it has no scoring code of its own.
"""

from pathlib import Path

METRIC_PATH = Path(__file__).resolve().parent / "bench_scores"
