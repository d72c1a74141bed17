"""Claim certainty metrics on a hand-computed table: accuracy, per-class and macro F1, confusion matrix,
ECE, Brier and cue spans. Spans are half-open ``[start, end)``."""

from __future__ import annotations

from typing import Any

import pytest

from bench.metrics import score_run
from bench.metrics.settings import EvalSettings
from bench.schema import Article, Claim, ClaimPrediction, Prediction, Span

# (gold, predicted, p_hedged) per claim; articles "a" (claims 1-3) and "b" (claims 4-8).
TABLE = {
    "a": [("hedged", "hedged", 0.9), ("confirmed", "hedged", 0.65), ("confirmed", "confirmed", 0.05)],
    "b": [
        ("hedged", "confirmed", 0.45),
        ("hedged", "hedged", 1.0),
        ("confirmed", "confirmed", 0.1),
        ("hedged", "confirmed", 0.3),
        ("confirmed", "confirmed", 0.2),
    ],
}


def _run(table: dict[str, list[tuple[str, str, float]]], **options: Any) -> dict[str, Any]:
    articles, predictions = [], []
    for article_id, rows in table.items():
        claims = [
            Claim(2 * i, 2 * i + 1, gold, (Span(2 * i, 2 * i + 1),) if gold == "hedged" else ())
            for i, (gold, _, _) in enumerate(rows)
        ]
        guesses = [ClaimPrediction(2 * i, 2 * i + 1, pred, p) for i, (_, pred, p) in enumerate(rows)]
        articles.append(Article(article_id, "", "c " * len(rows), "t", claims=tuple(claims)))
        predictions.append(Prediction(article_id, claims=tuple(guesses)))
    return score_run(articles, predictions, ["claims"], EvalSettings(resamples=0, **options))


@pytest.fixture(scope="module")
def claims() -> dict[str, Any]:
    return _run(TABLE)["claims"]


def test_accuracy_and_per_class_scores(claims: dict[str, Any]) -> None:
    assert claims["claims"] == 8
    assert claims["accuracy"] == 5 / 8
    hedged, confirmed = claims["by_class"]["hedged"], claims["by_class"]["confirmed"]
    assert (hedged["tp"], hedged["fp"], hedged["fn"], hedged["support"]) == (2, 1, 2, 4)
    assert (hedged["precision"], hedged["recall"]) == pytest.approx((2 / 3, 1 / 2))
    assert hedged["f1"] == pytest.approx(4 / 7)
    assert (confirmed["tp"], confirmed["fp"], confirmed["fn"]) == (3, 2, 1)
    assert confirmed["f1"] == pytest.approx(2 / 3)
    assert claims["macro"]["f1"] == pytest.approx(13 / 21)


def test_confusion_matrix(claims: dict[str, Any]) -> None:
    assert claims["confusion"]["labels"] == ["confirmed", "hedged"]
    assert claims["confusion"]["matrix"] == [[3, 1], [2, 2]]  # rows gold, columns predicted


def test_ece_and_brier(claims: dict[str, Any]) -> None:
    calibration = claims["calibration"]
    # |hedged - sum p| per non-empty bin: .05 + .1 + .2 + .7 + .55 + .65 + |2 - 1.9|, over 8 claims.
    assert calibration["ece"] == pytest.approx(2.35 / 8)
    assert calibration["brier"] == pytest.approx(1.2775 / 8)
    assert [b["claims"] for b in calibration["bins"]] == [1, 1, 1, 1, 1, 0, 1, 0, 0, 2]
    assert calibration["bins"][9]["mean_p_hedged"] == pytest.approx(0.95)


def test_ece_with_two_bins() -> None:
    calibration = _run(TABLE, ece_bins=2)["claims"]["calibration"]
    assert calibration["ece"] == pytest.approx((abs(2 - 1.1) + abs(2 - 2.55)) / 8)
    assert [b["claims"] for b in calibration["bins"]] == [5, 3]


def test_headline_claims_metrics(claims: dict[str, Any]) -> None:
    headline = _run(TABLE)["headline"]
    assert headline["claims.accuracy"]["value"] == 5 / 8
    assert headline["claims.hedged.f1"]["value"] == pytest.approx(4 / 7)
    assert headline["claims.macro.f1"]["value"] == pytest.approx(13 / 21)
    assert headline["claims.ece"]["value"] == pytest.approx(2.35 / 8)
    assert headline["claims.brier"]["value"] == pytest.approx(1.2775 / 8)
    assert "claims.cues.exact.f1" not in headline
    assert claims["cues"]["status"] == "not scored"


CUE_TEXT = "Officials reportedly said the deal may collapse, sources claim."


def _span(phrase: str) -> Span:
    start = CUE_TEXT.index(phrase)
    return Span(start, start + len(phrase))


def _cue_run(predicted: tuple[Span, ...] | None) -> dict[str, Any]:
    gold_cues = (_span("reportedly"), _span("may"), _span("sources claim"))
    article = Article("a", "", CUE_TEXT, "t", claims=(Claim(0, len(CUE_TEXT), "hedged", gold_cues),))
    guess = ClaimPrediction(0, len(CUE_TEXT), "hedged", 0.8, predicted)
    return score_run([article], [Prediction("a", claims=(guess,))], ["claims"], EvalSettings(resamples=0))


def test_cue_exact_and_token_overlap() -> None:
    scores = _cue_run((_span("reportedly"), _span("may collapse"), _span("claim")))
    cues = scores["claims"]["cues"]
    assert (cues["exact"]["tp"], cues["exact"]["fp"], cues["exact"]["fn"]) == (1, 2, 2)
    # tokens: gold {reportedly, may, sources, claim.}; predicted {reportedly, may, collapse,, claim.}
    assert (cues["token"]["tp"], cues["token"]["fp"], cues["token"]["fn"]) == (3, 1, 1)
    assert scores["headline"]["claims.cues.token.f1"]["value"] == 0.75
    assert scores["headline"]["claims.cues.exact.f1"]["value"] == pytest.approx(2 / 6)


def test_empty_cue_prediction_is_scored_as_no_cues() -> None:
    cues = _cue_run(())["claims"]["cues"]
    assert (cues["exact"]["tp"], cues["exact"]["fp"], cues["exact"]["fn"]) == (0, 0, 3)


def test_cues_for_some_claims_only_are_refused() -> None:
    article = Article("a", "", "x y", "t", claims=(Claim(0, 1, "confirmed"), Claim(2, 3, "confirmed")))
    guesses = (ClaimPrediction(0, 1, "confirmed", 0.1, ()), ClaimPrediction(2, 3, "confirmed", 0.1, None))
    with pytest.raises(ValueError, match="some claims but not others"):
        score_run([article], [Prediction("a", claims=guesses)], ["claims"], EvalSettings(resamples=0))


def test_cue_outside_the_text_is_refused() -> None:
    with pytest.raises(ValueError, match="'a': cue"):
        _cue_run((Span(60, 70),))


def test_tokens_are_runs_of_non_whitespace() -> None:
    text = "The so-called deal may fail."
    so_called = Span(4, 13)
    article = Article("h", "", text, "t", claims=(Claim(0, len(text), "hedged", (so_called,)),))
    guess = ClaimPrediction(0, len(text), "hedged", 0.7, (Span(4, 6),))  # "so": inside the same token
    cues = score_run([article], [Prediction("h", claims=(guess,))], ["claims"], EvalSettings(resamples=0))[
        "claims"
    ]["cues"]
    assert (cues["token"]["tp"], cues["token"]["fp"], cues["token"]["fn"]) == (1, 0, 0)
    assert cues["exact"]["tp"] == 0
