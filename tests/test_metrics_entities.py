"""Entity scores on small hand-computed cases: partial credit, type attribution, one-to-one matching,
document-level macro, and refusal of malformed spans. Spans are half-open ``[start, end)``."""

from __future__ import annotations

from typing import Any

import pytest

from bench.metrics import score_run
from bench.metrics.settings import EvalSettings
from bench.schema import Article, Entity, Prediction

TEXT = "x" * 40


def _score(gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]]) -> dict[str, Any]:
    article = Article("a", "", TEXT, "t", entities=tuple(Entity(*e) for e in gold))
    prediction = Prediction("a", entities=tuple(Entity(*e) for e in pred))
    return score_run([article], [prediction], ["entities"], EvalSettings(resamples=0))["entities"]


def _categories(scores: dict[str, Any]) -> tuple[int, ...]:
    return tuple(scores[k] for k in ("correct", "incorrect", "partial", "missed", "spurious"))


def test_boundary_overlap_earns_half_credit_under_partial() -> None:
    scores = _score([(0, 10, "PER")], [(0, 5, "PER")])
    assert _categories(scores["partial"]["micro"]) == (0, 0, 1, 0, 0)
    assert (scores["partial"]["micro"]["precision"], scores["partial"]["micro"]["recall"]) == (0.5, 0.5)
    assert _categories(scores["strict"]["micro"]) == (0, 1, 0, 0, 0)
    assert scores["strict"]["micro"]["f1"] == 0.0
    assert _categories(scores["type"]["micro"]) == (1, 0, 0, 0, 0)


def test_wrong_type_is_charged_to_each_side_once() -> None:
    scores = _score([(0, 6, "LOC")], [(0, 6, "ORG")])
    assert _categories(scores["strict"]["micro"]) == (0, 1, 0, 0, 0)
    assert _categories(scores["exact"]["micro"]) == (1, 0, 0, 0, 0)
    assert _categories(scores["type"]["micro"]) == (0, 1, 0, 0, 0)
    by_type = scores["strict"]["by_type"]
    assert (by_type["ORG"]["fp"], by_type["ORG"]["fn"], by_type["ORG"]["spurious"]) == (1.0, 0.0, 1)
    assert (by_type["LOC"]["fp"], by_type["LOC"]["fn"], by_type["LOC"]["missed"]) == (0.0, 1.0, 1)
    assert scores["types"] == ["PER", "ORG", "LOC", "MISC"]  # macro runs over the declared labels
    assert scores["strict"]["macro"]["f1"] == 0.0


def test_one_prediction_takes_at_most_one_gold_span() -> None:
    scores = _score([(0, 3, "PER"), (4, 7, "PER")], [(0, 7, "PER")])
    assert _categories(scores["strict"]["micro"]) == (0, 1, 0, 1, 0)
    assert _categories(scores["partial"]["micro"]) == (0, 0, 1, 1, 0)


def test_a_gold_span_is_taken_at_most_once() -> None:
    scores = _score([(0, 10, "PER")], [(0, 3, "PER"), (5, 8, "PER")])
    assert _categories(scores["partial"]["micro"]) == (0, 0, 1, 0, 1)
    assert scores["partial"]["micro"]["tp"] == 0.5


def test_type_scheme_takes_the_closest_same_type_gold() -> None:
    scores = _score([(0, 4, "PER"), (5, 9, "PER")], [(3, 9, "PER")])
    assert _categories(scores["type"]["micro"]) == (1, 0, 0, 1, 0)


def test_nested_predictions_each_take_their_own_gold_span() -> None:
    # The nested prediction [2, 6) is processed after [2, 4); each takes its own gold span.
    scores = _score([(2, 4, "PER"), (4, 6, "LOC")], [(2, 4, "PER"), (2, 6, "LOC")])
    assert _categories(scores["strict"]["micro"]) == (1, 1, 0, 0, 0)


def test_prediction_order_does_not_matter() -> None:
    gold = [(0, 4, "PER"), (6, 12, "ORG"), (14, 20, "LOC")]
    pred = [(2, 8, "ORG"), (0, 4, "PER"), (6, 12, "LOC"), (14, 16, "LOC"), (15, 20, "LOC")]
    assert _score(gold, pred) == _score(gold, list(reversed(pred)))


def test_document_level_macro_averages_articles_with_entities() -> None:
    articles = [
        Article("perfect", "", TEXT, "t", entities=(Entity(0, 4, "PER"),)),
        Article(
            "wrong", "", TEXT, "t", entities=(Entity(0, 4, "PER"), Entity(5, 9, "PER"), Entity(10, 14, "PER"))
        ),
        Article("empty", "", TEXT, "t"),
    ]
    predictions = [
        Prediction("perfect", entities=(Entity(0, 4, "PER"),)),
        Prediction("wrong", entities=(Entity(20, 24, "PER"),)),
        Prediction("empty"),
    ]
    scores = score_run(articles, predictions, ["entities"], EvalSettings(resamples=0))
    assert scores["entities"]["strict"]["doc_macro"] == {"f1": 0.5, "articles": 2}
    assert scores["entities"]["strict"]["micro"]["f1"] == pytest.approx(2 / (2 + 1 + 3))
    assert scores["headline"]["entities.strict.doc_macro.f1"]["value"] == 0.5


@pytest.mark.parametrize("span", [(5, 5), (-1, 3), (30, 41)])
def test_predicted_span_outside_text_or_empty_is_refused(span: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="'a'.*empty or outside"):
        _score([], [(*span, "PER")])


def test_overlapping_gold_spans_are_refused() -> None:
    with pytest.raises(ValueError, match="'a': gold entities overlap"):
        _score([(0, 5, "PER"), (4, 8, "LOC")], [])


def test_headline_micro_equals_report_counts() -> None:
    article = Article("a", "", TEXT, "t", entities=(Entity(0, 4, "PER"), Entity(6, 12, "ORG")))
    prediction = Prediction("a", entities=(Entity(0, 4, "PER"), Entity(6, 10, "ORG"), Entity(20, 25, "MISC")))
    scores = score_run([article], [prediction], ["entities"], EvalSettings(resamples=0))
    for scheme in ("strict", "exact", "partial", "type"):
        assert (
            scores["headline"][f"entities.{scheme}.micro.f1"]["value"]
            == scores["entities"][scheme]["micro"]["f1"]
        )
    assert (
        scores["headline"]["entities.strict.macro.f1"]["value"] == scores["entities"]["strict"]["macro"]["f1"]
    )
    assert scores["headline"]["entities.strict.by_type.ORG.f1"]["value"] == 0.0


def test_undeclared_labels_are_dropped_before_scoring_and_counted() -> None:
    """A PER/ORG/LOC dataset: MISC predictions are not charged as spurious, only counted."""
    article = Article("a", "", TEXT, "t", entities=(Entity(0, 5, "PER"), Entity(10, 15, "LOC")))
    with_misc = Prediction(
        "a", entities=(Entity(0, 5, "PER"), Entity(20, 25, "MISC"), Entity(30, 33, "MISC"))
    )
    without = Prediction("a", entities=(Entity(0, 5, "PER"),))
    labels = ("PER", "ORG", "LOC")
    scored = score_run([article], [with_misc], ["entities"], EvalSettings(resamples=0), labels)["entities"]
    plain = score_run([article], [without], ["entities"], EvalSettings(resamples=0), labels)["entities"]
    assert scored["dropped_predictions"] == {"MISC": 2}
    assert plain["dropped_predictions"] == {}
    assert scored["strict"]["micro"] == plain["strict"]["micro"]
    assert scored["types"] == ["PER", "ORG", "LOC"]
    # and with all four declared, the same MISC predictions are spurious
    four = score_run([article], [with_misc], ["entities"], EvalSettings(resamples=0))["entities"]
    assert four["strict"]["micro"]["spurious"] == 2 and four["dropped_predictions"] == {}
