"""Strict entity scores reproduce the published ``conlleval`` output on its sample file.

The sample is chunk-tagged (``token POS gold pred``; blank lines end sentences). Each sentence becomes one
article whose text is its tokens joined by single spaces; chunks
(``bench.core.tags.token_chunks``, conlleval's rules) become half-open character spans ``[start, end)``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bench.core.paths import PROJECT_ROOT
from bench.core.tags import token_chunks
from bench.metrics import score_run
from bench.metrics.settings import EvalSettings
from bench.schema import Article, Entity, Prediction

DATA = PROJECT_ROOT / ".." / "shared" / "data" / "conlleval"
TYPE_LINE = re.compile(
    r"^\s*(\S+): precision:\s*([\d.]+)%; recall:\s*([\d.]+)%; FB1:\s*([\d.]+)\s+(\d+)$", re.MULTILINE
)


def _sentences(path: Path) -> list[list[list[str]]]:
    sentences: list[list[list[str]]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            sentences[-1].append(line.split())
        elif sentences[-1]:
            sentences.append([])
    return [s for s in sentences if s]


def _spans(tokens: list[str], tags: list[str]) -> tuple[Entity, ...]:
    starts, cursor = [], 0
    for token in tokens:
        starts.append(cursor)
        cursor += len(token) + 1
    return tuple(
        Entity(starts[first], starts[last - 1] + len(tokens[last - 1]), kind)
        for first, last, kind in token_chunks(tags)
    )


@pytest.fixture(scope="module")
def strict() -> dict[str, Any]:
    sample = DATA / "ground_truth.txt"
    if not sample.is_file() or not (DATA / "expected_conlleval_output.txt").is_file():
        pytest.skip(f"conlleval sample data not found under {DATA.resolve()}")
    articles, predictions = [], []
    for index, rows in enumerate(_sentences(sample)):
        tokens = [row[0] for row in rows]
        gold = _spans(tokens, [row[2] for row in rows])
        articles.append(Article(f"s{index}", "", " ".join(tokens), "conll", entities=gold))
        predictions.append(Prediction(f"s{index}", entities=_spans(tokens, [row[3] for row in rows])))
    return score_run(articles, predictions, ["entities"], EvalSettings(resamples=0), None)["entities"][
        "strict"
    ]


def _percent(value: float) -> str:
    return f"{100 * value:.2f}"


def test_totals_match_conlleval(strict: dict[str, Any]) -> None:
    micro = strict["micro"]
    assert (micro["possible"], micro["actual"], micro["tp"]) == (459, 539, 371)
    assert (_percent(micro["precision"]), _percent(micro["recall"]), _percent(micro["f1"])) == (
        "68.83",
        "80.83",
        "74.35",
    )


def test_every_type_line_matches_conlleval(strict: dict[str, Any]) -> None:
    expected = TYPE_LINE.findall((DATA / "expected_conlleval_output.txt").read_text(encoding="utf-8"))
    assert len(expected) == 6
    ours = [
        (kind, _percent(c["precision"]), _percent(c["recall"]), _percent(c["f1"]), str(c["actual"]))
        for kind, c in strict["by_type"].items()
    ]
    assert ours == expected
