"""Speed of the entity scorer against seqeval and nervaluate on ~1M tokens / ~100k entities (not a test).

Generates a seeded corpus (gold IOB2 tags and predictions with realistic errors: wrong type, shifted
boundaries, misses, splits, spurious entities), scores it with ``bench.metrics.score_run`` (character spans,
all four schemes, per type, per article), seqeval (strict/IOB2 and conlleval mode) and nervaluate (tag lists),
checks that the numbers agree, and writes the timings to ``results/scorer_speed.md``.

    python scripts/bench_scorer_speed.py [--tokens 1000000] [--seed 0] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import numpy as np
from nervaluate import Evaluator
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from bench.core.paths import PROJECT_ROOT
from bench.metrics import score_run
from bench.metrics.settings import EvalSettings
from bench.schema import Article, Entity, Prediction

TYPES = ("LOC", "MISC", "ORG", "PER")
TOKENS_PER_ARTICLE = 500
OUTPUT = PROJECT_ROOT / "results" / "scorer_speed.md"
TokenSpan = tuple[int, int, str]  # [first token, one past the last token), type


@dataclass(frozen=True)
class Corpus:
    tokens: list[list[str]]
    gold: list[list[TokenSpan]]
    pred: list[list[TokenSpan]]


def _gold_spans(rng: np.random.Generator, size: int) -> list[TokenSpan]:
    spans, cursor = [], int(rng.integers(0, 8))
    while cursor < size:
        length = min(int(rng.choice([1, 1, 2, 2, 2, 3, 4])), size - cursor)
        spans.append((cursor, cursor + length, TYPES[int(rng.integers(len(TYPES)))]))
        cursor += length + 1 + int(rng.geometric(0.17))
    return spans


def _perturb(rng: np.random.Generator, span: TokenSpan, free: Callable[[int], bool]) -> list[TokenSpan]:
    """One gold entity as a model might predict it: mostly right, sometimes wrong in one way (wrong type,
    extended or shrunk by a token, split in two, missed)."""
    first, last, kind = span
    roll = rng.random()
    if roll < 0.72:
        return [span]
    if roll < 0.80:
        return [(first, last, TYPES[(TYPES.index(kind) + 1 + int(rng.integers(3))) % len(TYPES)])]
    if roll < 0.86 and free(last):
        return [(first, last + 1, kind)]
    if roll < 0.90 and last - first > 1:
        return [(first + 1, last, kind)]
    if roll < 0.95 and last - first > 1:
        middle = first + 1
        return [(first, middle, kind), (middle, last, kind)]
    return []


def _predictions(rng: np.random.Generator, gold: list[TokenSpan], size: int) -> list[TokenSpan]:
    taken = np.zeros(size + 2, dtype=bool)
    for first, last, _ in gold:
        taken[max(first - 1, 0) : last + 1] = True  # keep a gap so predictions stay valid, disjoint IOB2
    pred: list[TokenSpan] = []
    merge = rng.random(len(gold)) < 0.01  # one prediction over this gold entity and the next
    index = 0
    while index < len(gold):
        if merge[index] and index + 1 < len(gold):
            pred.append((gold[index][0], gold[index + 1][1], gold[index][2]))
            taken[gold[index][0] : gold[index + 1][1]] = True
            index += 2
            continue
        pred += _perturb(rng, gold[index], lambda t: t < size and not taken[t + 1])
        index += 1
    for token in np.flatnonzero(rng.random(size) < 0.012):
        if not taken[token]:
            taken[token] = True
            pred.append((int(token), int(token) + 1, TYPES[int(rng.integers(len(TYPES)))]))
    return sorted(pred)


def make_corpus(tokens: int, seed: int) -> Corpus:
    rng = np.random.default_rng(seed)
    words = ["w" * n for n in range(1, 9)]
    corpus = Corpus([], [], [])
    for _ in range(max(1, tokens // TOKENS_PER_ARTICLE)):
        lengths = rng.integers(0, len(words), size=TOKENS_PER_ARTICLE)
        corpus.tokens.append([words[n] for n in lengths])
        gold = _gold_spans(rng, TOKENS_PER_ARTICLE)
        corpus.gold.append(gold)
        corpus.pred.append(_predictions(rng, gold, TOKENS_PER_ARTICLE))
    return corpus


def iob2(spans: list[TokenSpan], size: int) -> list[str]:
    tags = ["O"] * size
    for first, last, kind in spans:
        tags[first:last] = [f"B-{kind}"] + [f"I-{kind}"] * (last - first - 1)
    return tags


def char_entities(tokens: list[str], spans: list[TokenSpan]) -> tuple[Entity, ...]:
    starts = np.concatenate([[0], np.cumsum([len(t) + 1 for t in tokens])])
    return tuple(Entity(int(starts[a]), int(starts[b] - 1), kind) for a, b, kind in spans)


def as_benchmark(corpus: Corpus) -> tuple[list[Article], list[Prediction]]:
    articles, predictions = [], []
    for index, (tokens, gold, pred) in enumerate(zip(corpus.tokens, corpus.gold, corpus.pred, strict=True)):
        articles.append(Article(f"a{index}", "", " ".join(tokens), "t", entities=char_entities(tokens, gold)))
        predictions.append(Prediction(f"a{index}", entities=char_entities(tokens, pred)))
    return articles, predictions


def best_time(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9


def check_seqeval(ours: dict[str, Any], report: dict[str, Any]) -> None:
    micro = ours["strict"]["micro"]
    assert _close(micro["f1"], report["micro avg"]["f1-score"]), (micro["f1"], report["micro avg"])
    for kind in TYPES:
        assert _close(ours["strict"]["by_type"][kind]["f1"], report[kind]["f1-score"]), kind


def check_nervaluate(ours: dict[str, Any], result: dict[str, Any]) -> None:
    names = ("correct", "incorrect", "partial", "missed", "spurious")
    for scheme, theirs in (
        ("strict", "strict"),
        ("exact", "exact"),
        ("partial", "partial"),
        ("type", "ent_type"),
    ):
        got = {n: ours[scheme]["micro"][n] for n in names}
        want = {n: getattr(result["overall"][theirs], n) for n in names}
        assert got == want, (scheme, got, want)
        for kind in TYPES:
            got = {n: ours[scheme]["by_type"][kind][n] for n in names}
            assert got == {n: getattr(result["entities"][kind][theirs], n) for n in names}, (scheme, kind)


def measure(tokens: int, seed: int, repeats: int) -> dict[str, Any]:
    corpus = make_corpus(tokens, seed)
    articles, predictions = as_benchmark(corpus)
    gold_tags = [iob2(g, len(t)) for g, t in zip(corpus.gold, corpus.tokens, strict=True)]
    pred_tags = [iob2(p, len(t)) for p, t in zip(corpus.pred, corpus.tokens, strict=True)]
    timings: dict[str, float] = {}
    timings["bench"], ours = best_time(
        lambda: score_run(articles, predictions, ["entities"], EvalSettings(resamples=0)), repeats
    )
    timings["bench + 1000 bootstrap"], _ = best_time(
        lambda: score_run(articles, predictions, ["entities"], EvalSettings(resamples=1000)), repeats
    )
    timings["seqeval strict (IOB2)"], strict = best_time(
        lambda: classification_report(gold_tags, pred_tags, mode="strict", scheme=IOB2, output_dict=True),
        repeats,
    )
    timings["seqeval default (conlleval)"], default = best_time(
        lambda: classification_report(gold_tags, pred_tags, output_dict=True), repeats
    )
    timings["nervaluate"], nerv = best_time(
        lambda: Evaluator(gold_tags, pred_tags, tags=list(TYPES), loader="list").evaluate(), repeats
    )
    entities = ours["entities"]
    check_seqeval(entities, strict)
    check_seqeval(entities, default)
    check_nervaluate(entities, nerv)
    return {
        "tokens": sum(len(t) for t in corpus.tokens),
        "articles": len(articles),
        "gold": entities["gold"],
        "predicted": entities["predicted"],
        "strict_f1": entities["strict"]["micro"]["f1"],
        "timings": timings,
    }


def render(result: dict[str, Any], seed: int, repeats: int) -> str:
    ours = result["timings"]["bench"]
    lines = [
        "# Entity scorer speed",
        "",
        "Written by `scripts/bench_scorer_speed.py`; timings vary by machine, the counts do not.",
        "",
        f"- corpus: {result['tokens']:,} tokens in {result['articles']:,} articles (seed {seed}), "
        f"{result['gold']:,} gold and {result['predicted']:,} predicted entities; strict micro F1 "
        f"{result['strict_f1']:.4f}",
        "- `bench` = `score_run(..., ['entities'], resamples=0)` from Article/Prediction objects: alignment, "
        "validation, strict/exact/partial/type, micro, macro, per type, per article",
        "- references get their native input (IOB2 tag lists, 500 tokens per document); all numbers agree: "
        "strict micro and per-type F1 with both seqeval modes, all five categories of all four schemes "
        "(overall and per type) with nervaluate",
        f"- best of {repeats} runs; python {platform.python_version()}, numpy {version('numpy')}, "
        f"seqeval {version('seqeval')}, nervaluate {version('nervaluate')}; {os.cpu_count()} CPUs",
        "",
        "| scorer | seconds | bench is faster by |",
        "|---|---:|---:|",
    ]
    for name, seconds in result["timings"].items():
        speedup = "" if name.startswith("bench") else f"{seconds / ours:.1f}x"
        lines.append(f"| {name} | {seconds:.3f} | {speedup} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    text = render(measure(args.tokens, args.seed, args.repeats), args.seed, args.repeats)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
