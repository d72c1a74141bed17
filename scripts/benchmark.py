"""Performance suite for the benchmark itself (issue 16): every measurement in one process, one command.

    python scripts/benchmark.py [--checkpoint results/checkpoints/minilm] [--sizes 10000,100000,1000000]
        [--corpora FOLDER] [--quick] [--only PART ...] [--out NAME]

- inference: the runner (``EncoderModel.predict``) on the news test split against raw forward passes of the
  same windows, and its achieved FLOP/s as a fraction of an fp32 matmul measured in the same run; fp32 at
  batch 8 and batch 1 (predictions asserted identical) against dynamic int8 at batch 1
  (``model.quantize=int8``), with the speed-up and the change in strict entity F1 and hedged F1; the top of
  a cProfile of the runner;
- scorer: ``bench`` against seqeval and nervaluate on ~1M tokens, numbers asserted identical
  (scripts/bench_scorer_speed.py);
- scale: ``python -m bench model=lexicon`` on N synthetic articles (scripts/synthetic_corpus.py, written to a
  temporary folder or read from --corpora, never committed): wall and CPU seconds and peak RSS for each N;
- start-up: a complete lexicon run of the news test split.

Writes results/perf/latest.json and results/perf/latest.md (date, machine, load average before and after);
``--only scale --out NAME`` measures one part into results/perf/NAME.{json,md}.
Ratios are measured side by side in this one run: on a shared machine only they are comparable.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import torch
from omegaconf import OmegaConf

sys.path.insert(0, str(Path(__file__).parent))  # the sibling scripts below are not a package

import bench_scorer_speed  # noqa: E402
import synthetic_corpus  # noqa: E402
from bench_scorer_speed import best_time  # noqa: E402

from bench.core.jsonl import write_text_atomic  # noqa: E402
from bench.core.paths import CONFIG_DIR, PROJECT_ROOT  # noqa: E402
from bench.data import load as data_module  # noqa: E402
from bench.metrics import score_run  # noqa: E402
from bench.metrics.settings import EvalSettings  # noqa: E402
from bench.models.transformers.encoder import EncoderModel  # noqa: E402
from bench.models.transformers.encoding import tokenize  # noqa: E402
from bench.models.transformers.windows import plan_windows  # noqa: E402
from bench.schema import Article, Prediction  # noqa: E402

OUTPUT = PROJECT_ROOT / "results" / "perf"
WINDOW = {"max_length": 320, "stride": 64}  # conf/model/minilm.yaml
ENTITY, HEDGED = "entities.strict.micro.f1", "claims.hedged.f1"


# ---- inference ---------------------------------------------------------------------------------------------


def encoder_flops(model: Any, lengths: Sequence[int]) -> float:
    """FLOPs of a BERT encoder over windows of these lengths: per layer, the four attention projections and
    the two feed-forward matrices (2 FLOPs per multiply-add) plus the two attention products."""
    config = model.token_model.config
    hidden, inner, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    per_layer = sum(2 * n * (4 * hidden * hidden + 2 * hidden * inner) + 4 * n * n * hidden for n in lengths)
    return float(layers * per_layer)


def matmul_rate(rows: int, hidden: int, inner: int, repeats: int = 20) -> float:
    """fp32 FLOP/s of one feed-forward-shaped matmul ([rows, hidden] x [hidden, inner]) on this CPU now."""
    a, b = torch.randn(rows, hidden), torch.randn(hidden, inner)
    seconds, _ = best_time(lambda: a @ b, repeats)
    return 2 * rows * hidden * inner / seconds


def window_lengths(encoder: EncoderModel, texts: Sequence[str]) -> list[int]:
    predictor = encoder._predictor  # noqa: SLF001 -- the script measures the adapter's own parts
    specials = predictor.windowed.specials
    size = encoder.max_length - len(specials)
    lengths = []
    for text in texts:
        ids = tokenize(predictor.tokenizer, text).ids
        lengths += [len(w) + len(specials) for w in plan_windows(len(ids), size, encoder.stride)]
    return lengths


def raw_forward_seconds(encoder: EncoderModel, articles: Sequence[Article], repeats: int) -> float:
    predictor = encoder._predictor  # noqa: SLF001
    encoded = [tokenize(predictor.tokenizer, a.text) for a in articles]

    def forward() -> Any:
        with torch.inference_mode():
            return predictor.windowed(predictor.model.encode, encoded)

    return best_time(forward, repeats)[0]


def headline(gold: Sequence[Article], predictions: Sequence[Prediction]) -> dict[str, float]:
    scores = score_run(gold, predictions, ["entities", "claims"], EvalSettings(resamples=0))["headline"]
    return {ENTITY: scores[ENTITY]["value"], HEDGED: scores[HEDGED]["value"]}


def profile_top(work: Callable[[], Any], lines: int = 12) -> list[str]:
    profiler = cProfile.Profile()
    profiler.runcall(work)
    stats = pstats.Stats(profiler).sort_stats("tottime")
    rows = []
    for (path, line, name), (_, calls, tottime, cumtime, _) in list(stats.stats.items()):  # type: ignore[attr-defined]
        rows.append((tottime, cumtime, calls, f"{Path(path).name}:{line}({name})"))
    rows.sort(reverse=True)
    return [f"{t:8.3f} {c:8.3f} {n:8d}  {where}" for t, c, n, where in rows[:lines]]


def inference(checkpoint: str, repeats: int) -> dict[str, Any]:
    loaded = data_module.load(OmegaConf.load(CONFIG_DIR / "data" / "news.yaml"))
    gold = data_module.split_articles(loaded, "test")
    fp32 = EncoderModel(checkpoint, batch_size=8, device="cpu", **WINDOW)
    fp32_b1 = EncoderModel(checkpoint, batch_size=1, device="cpu", **WINDOW)
    int8 = EncoderModel(checkpoint, batch_size=1, device="cpu", quantize="int8", **WINDOW)
    timed = {}
    for name, model in (("fp32 batch 8", fp32), ("fp32 batch 1", fp32_b1), ("int8 batch 1", int8)):
        model.predict(gold[:1])  # load and warm up outside the timing
        timed[name] = best_time(lambda m=model: m.predict(gold), repeats)
    assert timed["fp32 batch 1"][1] == timed["fp32 batch 8"][1], "batching changed an fp32 prediction"
    lengths = window_lengths(fp32, [a.text for a in gold])
    config = fp32._predictor.model.token_model.config  # noqa: SLF001
    rate = matmul_rate(2560, config.hidden_size, config.intermediate_size)
    flops = encoder_flops(fp32._predictor.model, lengths)  # noqa: SLF001
    runner = timed["fp32 batch 8"][0]
    return {
        "checkpoint": checkpoint,
        "articles": len(gold),
        "windows": len(lengths),
        "window_tokens": sum(lengths),
        "seconds": {name: round(seconds, 4) for name, (seconds, _) in timed.items()},
        "raw_forward_seconds": round(raw_forward_seconds(fp32, gold, repeats), 4),
        "encoder_gflop": round(flops / 1e9, 3),
        "matmul_gflops": round(rate / 1e9, 2),
        "runner_gflops": round(flops / runner / 1e9, 2),
        "runner_fraction_of_matmul": round(flops / runner / rate, 3),
        "int8_speedup_over_fp32_batch_1": round(timed["fp32 batch 1"][0] / timed["int8 batch 1"][0], 3),
        "int8_speedup_over_fp32_batch_8": round(runner / timed["int8 batch 1"][0], 3),
        "scores": {
            name: headline(gold, preds) for name, (_, preds) in timed.items() if name != "fp32 batch 1"
        },
        "profile_top": profile_top(lambda: fp32.predict(gold)),
        "versus_pipeline": versus_pipeline(checkpoint, gold, repeats),
    }


def paragraphs(articles: Sequence[Article], tokenizer: Any, limit: int) -> list[Article]:
    """The articles' paragraphs of at most ``limit`` tokens, as articles without annotations: inputs that fit
    one window, so the runner and a pipeline read exactly the same tokens in the same context."""
    pieces = []
    for article in articles:
        for number, text in enumerate(t for t in article.text.split("\n") if t.strip()):
            if len(tokenize(tokenizer, text).ids) <= limit:
                pieces.append(Article(f"{article.id}-p{number}", "", text, "test"))
    return pieces


def runner_token_tags(encoder: EncoderModel, pieces: Sequence[Article]) -> list[list[tuple[int, int, str]]]:
    """Each token's (start, end, entity tag) from the runner's own entity logits."""
    predictor = encoder._predictor  # noqa: SLF001
    tags = predictor.model.token_model.config.id2label
    return [
        [(s, e, tags[int(i)]) for (s, e), i in zip(tokenize(predictor.tokenizer, piece.text).tokens.offsets,
                                                   logits["entities"].argmax(-1).tolist(), strict=True)]
        for piece, logits in zip(pieces, predictor.logits(pieces), strict=True)
    ]  # fmt: skip


def versus_pipeline(checkpoint: str, gold: Sequence[Article], repeats: int) -> dict[str, Any]:
    """The runner against ``transformers.pipeline("token-classification")`` over the same checkpoint (its
    entity half is a standard token-classification folder) on the same one-window inputs, batch 8 both.
    Per-token entity tags asserted identical; the runner also runs the cue head and decodes spans."""
    from transformers import pipeline

    encoder = EncoderModel(checkpoint, batch_size=8, device="cpu", **WINDOW)
    predictor = encoder._predictor  # noqa: SLF001
    pieces = paragraphs(gold, predictor.tokenizer, WINDOW["max_length"] - len(predictor.windowed.specials))
    texts = [piece.text for piece in pieces]
    tagger = pipeline(
        "token-classification", model=str(encoder.checkpoint), device="cpu", aggregation_strategy="none",
        ignore_labels=[], batch_size=8,
    )  # fmt: skip
    tagger(texts[:1])  # warm up outside the timing
    runner_seconds, _ = best_time(lambda: encoder.predict(pieces), repeats)
    pipeline_seconds, tagged = best_time(lambda: tagger(texts), repeats)
    ours = runner_token_tags(encoder, pieces)
    theirs = [[(t["start"], t["end"], t["entity"]) for t in tokens] for tokens in tagged]
    assert ours == theirs, "the runner and the pipeline tag some token differently"
    return {
        "inputs": len(pieces),
        "tokens": sum(len(tokens) for tokens in ours),
        "runner_seconds": round(runner_seconds, 4),
        "pipeline_seconds": round(pipeline_seconds, 4),
        "runner_speedup_over_pipeline": round(pipeline_seconds / runner_seconds, 3),
    }


# ---- scale and start-up -----------------------------------------------------------------------------------


# Run by a small fresh interpreter: a child forked from this process (torch and a model loaded) would start
# with this process's pages counted in its peak RSS.
_MEASURE = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - started
sys.stderr.write(child.stderr.read().decode()[-2000:] if status else "")
print(seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
sys.exit(1 if status else 0)
"""


def timed_process(args: Sequence[str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of ``python -m <args>``, from its own
    rusage (os.wait4). CPU seconds are the fair measure of work on a shared machine: other jobs stretch the
    wall time, hardly the CPU time."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, sys.executable, "-m", *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"failed: python -m {' '.join(args)}\n{done.stderr}")
    seconds, max_rss_kb, cpu_seconds = done.stdout.split()
    return float(seconds), int(max_rss_kb) / 1024, float(cpu_seconds)  # ru_maxrss is in KB on Linux


def lexicon_run(test_file: Path | None, scratch: Path, *options: str) -> tuple[float, float, float]:
    data = [f"data.source.splits.test={test_file}"] if test_file else []
    where = [f"run.root={scratch / 'runs'}", f"run.cache={scratch / 'cache'}"]
    return timed_process(["bench", "model=lexicon", *data, *where, *options])


def synthetic(size: int, scratch: Path, corpora: Path | None) -> tuple[Path, bool]:
    """The corpus of ``size`` articles: from ``corpora`` if written there before (the same seeded bytes;
    a million articles take half an hour to write), else written now; and whether to delete it after."""
    if corpora is not None and (corpora / f"synthetic-{size}.jsonl").is_file():
        return corpora / f"synthetic-{size}.jsonl", False
    return synthetic_corpus.write(scratch / f"synthetic-{size}.jsonl", size), True


def scale(sizes: Sequence[int], scratch: Path, corpora: Path | None) -> list[dict[str, Any]]:
    """Lexicon runs over growing corpora, without the prediction cache (``run.cache=null``): a million
    per-article cache files would measure the file system (about 1 ms and 4 KB of disk per article)."""
    rows = []
    for size in sizes:
        corpus, temporary = synthetic(size, scratch, corpora)
        seconds, rss, cpu = lexicon_run(corpus, scratch / str(size), "run.cache=null")
        shutil.rmtree(scratch / str(size), ignore_errors=True)  # its predictions.jsonl: 2.5 KB an article
        if temporary:
            corpus.unlink()
        load = round(os.getloadavg()[0], 2)
        rows.append({"articles": size, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                     "peak_rss_mb": round(rss, 1), "load_average_after": load})  # fmt: skip
    for key in ("seconds", "cpu_seconds"):
        base = rows[0][key] / rows[0]["articles"]
        for row in rows:
            row[f"{key}_per_article_vs_smallest"] = round(row[key] / row["articles"] / base, 3)
    return rows


# ---- report ------------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    return {
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": version("transformers"),
        "processor": platform.processor() or platform.machine(),
    }


def render_header(result: dict[str, Any]) -> list[str]:
    m, load = result["machine"], result["load_average"]
    return [
        "# Performance of the benchmark",
        "",
        "Written by `python scripts/benchmark.py`; do not edit by hand. Ratios are measured side by side",
        "in one run.",
        "",
        f"- {m['date_utc']} UTC; {m['cpus']} CPUs ({m['processor']}), {m['torch_threads']} torch threads; "
        f"python {m['python']}, torch {m['torch']}, transformers {m['transformers']}",
        f"- 1-minute load average: {load['before'][0]:.2f} before, {load['after'][0]:.2f} after "
        "(a shared machine)",
        f"- parts measured: {', '.join(part for part in PARTS if part in result)}",
    ]


def render_inference(inf: dict[str, Any]) -> list[str]:
    lines = [
        f"## Inference: {inf['checkpoint']} on the news test split ({inf['articles']} articles, "
        f"{inf['windows']} windows, {inf['window_tokens']:,} tokens)",
        "",
        "| path | seconds | strict entity F1 | hedged F1 |",
        "|---|---:|---:|---:|",
    ]
    for name, seconds in inf["seconds"].items():
        score = inf["scores"].get(name, inf["scores"]["fp32 batch 8"])
        lines.append(f"| {name} | {seconds:.3f} | {100 * score[ENTITY]:.2f} | {100 * score[HEDGED]:.2f} |")
    return lines + [
        "",
        f"- raw forward passes of the same windows: {inf['raw_forward_seconds']:.3f} s (the runner adds "
        f"tokenisation, heads and decoding: runner / forward = "
        f"{inf['seconds']['fp32 batch 8'] / inf['raw_forward_seconds']:.2f})",
        f"- encoder work {inf['encoder_gflop']} GFLOP; runner {inf['runner_gflops']} GFLOP/s against an fp32 "
        f"matmul at {inf['matmul_gflops']} GFLOP/s measured now: "
        f"**{100 * inf['runner_fraction_of_matmul']:.0f} %** of the matmul rate",
        f"- int8 (dynamic, batch 1): **{inf['int8_speedup_over_fp32_batch_1']:.2f}x** fp32 at batch 1, "
        f"{inf['int8_speedup_over_fp32_batch_8']:.2f}x fp32 at batch 8; fp32 batch 1 and batch 8 "
        "predictions are identical (asserted)",
        *render_versus_pipeline(inf.get("versus_pipeline")),
        "",
        "Top of a cProfile of the fp32 runner (tottime, cumtime, calls):",
        "",
        "```",
        *inf["profile_top"],
        "```",
    ]


def render_versus_pipeline(v: dict[str, Any] | None) -> list[str]:
    if v is None:
        return []
    return [
        f'- against `transformers.pipeline("token-classification")` over the same checkpoint, on the '
        f"{v['inputs']} paragraphs of the split that fit one window ({v['tokens']:,} tokens, batch 8 both): "
        f"runner {v['runner_seconds']:.3f} s, pipeline {v['pipeline_seconds']:.3f} s: the runner is "
        f"**{v['runner_speedup_over_pipeline']:.2f}x** as fast, with every token's entity tag identical "
        "(asserted; the runner also runs the cue head and decodes spans)"
    ]


def render_scorer(sc: dict[str, Any]) -> list[str]:
    lines = [
        f"## Scorer: {sc['tokens']:,} tokens, {sc['gold']:,} gold entities (numbers asserted identical)",
        "",
        "| scorer | seconds | bench is faster by |",
        "|---|---:|---:|",
    ]
    ours = sc["timings"]["bench"]
    for name, seconds in sc["timings"].items():
        lines.append(
            f"| {name} | {seconds:.3f} | {'' if name.startswith('bench') else f'{seconds / ours:.1f}x'} |"
        )
    return lines


def render_scale(rows: list[dict[str, Any]]) -> list[str]:
    return [
        "## Scale: `python -m bench model=lexicon` on synthetic articles",
        "",
        "About 390 words, 40 entities and 20 claims each (scripts/synthetic_corpus.py).",
        "",
        "Without the prediction cache (`run.cache=null`). CPU seconds (user + system) are the work done;",
        "wall seconds also count waiting for the shared cores (the load average as each run ended is given).",
        "",
        "| articles | wall s | CPU s | CPU s per article vs the smallest | peak RSS (MB) | load |",
        "|---:|---:|---:|---:|---:|---:|",
    ] + [
        f"| {r['articles']:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} "
        f"| {r['cpu_seconds_per_article_vs_smallest']:.3f} | {r['peak_rss_mb']:.0f} "
        f"| {r['load_average_after']} |"
        for r in rows
    ]


def render_startup(s: dict[str, Any]) -> list[str]:
    return [f"Start-up: a complete lexicon run of the news test split takes {s['seconds']:.2f} s "
            f"(peak RSS {s['peak_rss_mb']:.0f} MB)."]  # fmt: skip


RENDER: dict[str, Callable[[Any], list[str]]] = {
    "inference": render_inference,
    "scorer": render_scorer,
    "scale": render_scale,
    "startup": render_startup,
}
PARTS = tuple(RENDER)


def render(result: dict[str, Any]) -> str:
    lines = render_header(result)
    for part in PARTS:
        if part in result:
            lines += ["", *RENDER[part](result[part])]
    return "\n".join(lines) + "\n"


def measure(part: str, args: argparse.Namespace, scratch: Path) -> Any:
    repeats = 1 if args.quick else 3
    if part == "inference":
        return inference(args.checkpoint, repeats)
    if part == "scorer":
        return bench_scorer_speed.measure(200_000 if args.quick else 1_000_000, 0, repeats)
    if part == "scale":
        return scale([int(n) for n in args.sizes.split(",")], scratch, args.corpora)
    seconds, rss, cpu = lexicon_run(None, scratch / "startup")
    return {"seconds": seconds, "peak_rss_mb": rss, "cpu_seconds": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", default="results/checkpoints/minilm")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="synthetic corpus sizes (scale rows)")
    parser.add_argument("--quick", action="store_true", help="1 repeat, 200k scorer tokens (a smoke run)")
    parser.add_argument(
        "--corpora",
        type=Path,
        default=None,
        help="folder of synthetic-<N>.jsonl from scripts/synthetic_corpus.py",
    )
    parser.add_argument(
        "--only", choices=PARTS, action="append", help="measure only these parts (repeatable)"
    )
    parser.add_argument("--out", default="latest", help="results/perf/<OUT>.json and .md (default: latest)")
    args = parser.parse_args()
    before = os.getloadavg()
    result: dict[str, Any] = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="bench-perf-") as scratch:
        for part in args.only or PARTS:
            result[part] = measure(part, args, Path(scratch))
    result["load_average"] = {
        "before": [round(x, 2) for x in before],
        "after": [round(x, 2) for x in os.getloadavg()],
    }
    OUTPUT.mkdir(parents=True, exist_ok=True)
    write_text_atomic(OUTPUT / f"{args.out}.json", json.dumps(result, indent=2, sort_keys=True) + "\n")
    text = render(result)
    write_text_atomic(OUTPUT / f"{args.out}.md", text)
    print(text, end="")


if __name__ == "__main__":
    main()
