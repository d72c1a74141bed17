"""Entity scores against independent references on generated data: seqeval (BIO tags) and nervaluate (spans).

Span convention in every fixture here: half-open ``[start, end)`` code-point offsets, as in ``bench.schema``.
nervaluate uses inclusive ends, so spans are handed to it as ``end - 1``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from helpers import examples
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench.core.tags import token_chunks
from bench.metrics import score_run
from bench.metrics.matching import CORRECT, INCORRECT, PARTIAL, SPURIOUS, match
from bench.metrics.settings import EvalSettings
from bench.metrics.span_arrays import flatten, span_arrays
from bench.schema import Article, Entity, Prediction

TYPES = ("LOC", "ORG", "PER")
SETTINGS = settings(max_examples=examples(150), deadline=None)
# seqeval averages empty per-type arrays when a sequence set has no entities at all; its numbers are still 0.
QUIET_SEQEVAL = pytest.mark.filterwarnings("ignore::RuntimeWarning")
NERVALUATE_SCHEMES = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}


def _entity_scores(articles: list[Article], predictions: list[Prediction]) -> dict[str, Any]:
    return score_run(articles, predictions, ["entities"], EvalSettings(resamples=0), None)["entities"]


# ---- seqeval: BIO sequences -> chunks -> character spans --------------------------------------------------


def _chunk_spans(tags: list[str]) -> tuple[Entity, ...]:
    """Tokens are one character each, joined by single spaces: token i covers [2i, 2i + 1)."""
    return tuple(Entity(2 * first, 2 * last - 1, kind) for first, last, kind in token_chunks(tags))


def _articles(gold: list[list[str]], pred: list[list[str]]) -> tuple[list[Article], list[Prediction]]:
    articles = [
        Article(f"s{i}", "", " ".join("a" * len(tags)), "t", entities=_chunk_spans(tags))
        for i, tags in enumerate(gold)
    ]
    predictions = [Prediction(f"s{i}", entities=_chunk_spans(tags)) for i, tags in enumerate(pred)]
    return articles, predictions


@st.composite
def iob2(draw: st.DrawFn, length: int) -> list[str]:
    """A valid IOB2 sequence: I-X only continues B-X or I-X."""
    tags: list[str] = []
    for _ in range(length):
        options = ["O", *(f"B-{t}" for t in TYPES)]
        if tags and tags[-1] != "O":
            options.append("I-" + tags[-1][2:])
        tags.append(draw(st.sampled_from(options)))
    return tags


@st.composite
def tag_pairs(draw: st.DrawFn, valid: bool) -> tuple[list[list[str]], list[list[str]]]:
    lengths = draw(st.lists(st.integers(1, 12), min_size=1, max_size=5))
    any_tag = st.sampled_from(["O", *(f"{p}-{t}" for p in "BI" for t in TYPES)])
    make = (lambda n: iob2(n)) if valid else (lambda n: st.lists(any_tag, min_size=n, max_size=n))
    gold = [draw(make(n)) for n in lengths]
    pred = [draw(make(n)) for n in lengths]
    return gold, pred


def _check_against_seqeval(gold: list[list[str]], pred: list[list[str]], **mode: Any) -> None:
    from seqeval.metrics import classification_report  # see _evaluator

    ours = _entity_scores(*_articles(gold, pred))["strict"]
    report = classification_report(gold, pred, output_dict=True, zero_division=0, **mode)
    assert ours["micro"]["f1"] == pytest.approx(report["micro avg"]["f1-score"], abs=1e-12)
    assert ours["micro"]["precision"] == pytest.approx(report["micro avg"]["precision"], abs=1e-12)
    assert ours["micro"]["recall"] == pytest.approx(report["micro avg"]["recall"], abs=1e-12)
    types = sorted(k for k in report if k not in ("micro avg", "macro avg", "weighted avg"))
    scored = [t for t in ours["by_type"] if ours["by_type"][t]["possible"] + ours["by_type"][t]["actual"]]
    assert scored == types
    for kind in types:
        assert ours["by_type"][kind]["f1"] == pytest.approx(report[kind]["f1-score"], abs=1e-12), kind
    if types:
        assert ours["macro"]["f1"] == pytest.approx(report["macro avg"]["f1-score"], abs=1e-12)


@QUIET_SEQEVAL
@SETTINGS
@given(tag_pairs(valid=True))
def test_strict_f1_equals_seqeval_strict_iob2(pair: tuple[list[list[str]], list[list[str]]]) -> None:
    from seqeval.scheme import IOB2

    _check_against_seqeval(*pair, mode="strict", scheme=IOB2)


@QUIET_SEQEVAL
@SETTINGS
@given(tag_pairs(valid=False))
def test_strict_f1_equals_seqeval_conlleval_mode_on_any_tags(
    pair: tuple[list[list[str]], list[list[str]]],
) -> None:
    _check_against_seqeval(*pair)


# ---- nervaluate: span sets, including overlapping and duplicate predictions --------------------------------


@st.composite
def gold_spans(draw: st.DrawFn) -> list[Entity]:
    """Disjoint gold spans, at most 8 characters long (so nervaluate's 1% overlap floor never bites)."""
    spans, cursor = [], 0
    for _ in range(draw(st.integers(0, 6))):
        cursor += draw(st.integers(0, 4))
        length = draw(st.integers(1, 8))
        spans.append(Entity(cursor, cursor + length, draw(st.sampled_from(TYPES))))
        cursor += length
    return spans


@st.composite
def documents(draw: st.DrawFn) -> tuple[list[Entity], list[Entity], int]:
    gold = draw(gold_spans())
    size = max([60, *(e.end for e in gold)])
    near = [e.start for e in gold] + [e.end for e in gold] + [0]

    def point() -> int:  # mostly near gold boundaries, so that exact and partial matches are common
        if draw(st.booleans()):
            return min(size, max(0, draw(st.sampled_from(near)) + draw(st.integers(-1, 1))))
        return draw(st.integers(0, size))

    pred = []
    for _ in range(draw(st.integers(0, 8))):
        a, b = point(), point()
        if a != b:
            pred.append(Entity(min(a, b), max(a, b), draw(st.sampled_from(TYPES))))
    if gold and draw(st.booleans()):  # copies of gold spans, sometimes relabelled
        pred += [
            Entity(e.start, e.end, draw(st.sampled_from(TYPES))) for e in gold[: draw(st.integers(0, 3))]
        ]
    return gold, pred, size


def _evaluator() -> Any:
    """nervaluate's ``Evaluator``, imported where it is used: it and seqeval bring pandas and scikit-learn
    (~2 s), which every test worker would otherwise pay at collection."""
    from nervaluate import Evaluator

    return Evaluator


def _nervaluate_docs(docs: list[list[Entity]]) -> list[list[dict[str, Any]]]:
    return [[{"label": e.label, "start": e.start, "end": e.end - 1} for e in sorted(doc)] for doc in docs]


def _categories(result: Any) -> dict[str, int]:
    names = ("correct", "incorrect", "partial", "missed", "spurious", "possible", "actual")
    return {name: getattr(result, name) for name in names}


@SETTINGS
@given(st.lists(documents(), min_size=1, max_size=4))
def test_counts_equal_nervaluate(docs: list[tuple[list[Entity], list[Entity], int]]) -> None:
    articles = [
        Article(f"d{i}", "", "x" * size, "t", entities=tuple(g)) for i, (g, _, size) in enumerate(docs)
    ]
    predictions = [Prediction(f"d{i}", entities=tuple(p)) for i, (_, p, _) in enumerate(docs)]
    ours = _entity_scores(articles, predictions)
    theirs = _evaluator()(
        _nervaluate_docs([g for g, _, _ in docs]),
        _nervaluate_docs([p for _, p, _ in docs]),
        list(TYPES),
        loader="dict",
    ).evaluate()
    for scheme, name in NERVALUATE_SCHEMES.items():
        expected = theirs["overall"][name]
        assert {k: ours[scheme]["micro"][k] for k in _categories(expected)} == _categories(expected), scheme
        assert ours[scheme]["micro"]["f1"] == pytest.approx(expected.f1, abs=1e-12)
        for kind, results in theirs["entities"].items():
            mine = ours[scheme]["by_type"][kind]
            assert {k: mine[k] for k in _categories(results[name])} == _categories(results[name]), (
                scheme,
                kind,
            )
            assert mine["precision"] == pytest.approx(results[name].precision, abs=1e-12)
            assert mine["recall"] == pytest.approx(results[name].recall, abs=1e-12)


PREDICTION_CATEGORIES = {"correct": CORRECT, "incorrect": INCORRECT, "partial": PARTIAL, "spurious": SPURIOUS}


def _by_article(doc: Any, where: Any) -> set[tuple[int, int]]:
    """Global indices -> (article, index within the article), as nervaluate reports them."""
    local = np.arange(len(doc)) - np.searchsorted(doc, doc)
    return set(zip(doc[where].tolist(), local[where].tolist(), strict=True))


@SETTINGS
@given(st.lists(documents(), min_size=1, max_size=4))
@example([([Entity(0, 3, "PER"), Entity(7, 10, "PER")], [Entity(0, 10, "PER")], 60)])  # a tie: first wins
@example([([Entity(0, 3, "PER"), Entity(7, 10, "PER")], [Entity(0, 10, "PER"), Entity(8, 9, "LOC")], 60)])
def test_each_span_has_nervaluates_outcome(docs: list[tuple[list[Entity], list[Entity], int]]) -> None:
    """Not just the counts: which prediction is correct / incorrect / partial / spurious, and which gold span
    is missed (so also which gold a prediction took)."""
    ids, lengths = [f"d{i}" for i in range(len(docs))], [size for _, _, size in docs]
    codes = {label: code for code, label in enumerate(TYPES)}
    gold = span_arrays(flatten([sorted(g) for g, _, _ in docs]), codes, ids, lengths)
    pred = span_arrays(flatten([sorted(p) for _, p, _ in docs]), codes, ids, lengths)
    indices = _evaluator()(
        _nervaluate_docs([g for g, _, _ in docs]),
        _nervaluate_docs([p for _, p, _ in docs]),
        list(TYPES),
        loader="dict",
    ).evaluate()["overall_indices"]
    for scheme, (category, matched) in match(gold, pred).items():
        theirs = indices[NERVALUATE_SCHEMES[scheme]]
        assert _by_article(gold.doc, ~matched) == set(theirs.missed_indices), scheme
        for name, code in PREDICTION_CATEGORIES.items():
            expected = set(getattr(theirs, f"{name}_indices"))
            assert _by_article(pred.doc, category == code) == expected, (scheme, name)
