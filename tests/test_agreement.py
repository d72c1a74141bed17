"""Inter-annotator agreement: kappa by hand, alignment checks, and the committed report is reproducible."""

from __future__ import annotations

import pytest

from bench.corpus import agreement_news_real
from bench.corpus.agreement import REPORT, SECOND_DIR, agreement_scores, as_prediction, cohen_kappa, report
from bench.corpus.build import compile_all, compile_source
from bench.errors import InputError
from bench.metrics import score_run
from bench.metrics.settings import DEFAULT_EVAL
from bench.schema import Article, Claim, Entity, Prediction, Span


def test_kappa_matches_a_hand_computed_table() -> None:
    # observed 35/50 = 0.7; expected 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / 0.5
    assert cohen_kappa([[20, 5], [10, 15]]) == pytest.approx(0.4)
    assert cohen_kappa([[10, 0], [0, 10]]) == pytest.approx(1.0)


def test_second_annotation_must_keep_text_and_claim_segmentation() -> None:
    first = Article("a", "t", "It may rain.", "x", (), (Claim(0, 12, "hedged", (Span(3, 6),)),))
    with pytest.raises(InputError, match="text differs"):
        as_prediction(first, Article("a", "t", "It may snow.", "x", (), first.claims))
    with pytest.raises(InputError, match="claim segmentation"):
        as_prediction(first, Article("a", "t", first.text, "x", (), (Claim(0, 11, "confirmed"),)))


def test_committed_agreement_report_is_what_the_command_writes() -> None:
    second = [compile_source(path) for path in sorted(SECOND_DIR.glob("*.txt"))]
    if not second:
        pytest.fail("data/agreement/ holds no second annotations")
    corpus = compile_all()
    scores = agreement_scores([corpus[a.id] for a in second], second)
    assert REPORT.read_text(encoding="utf-8") == report(scores, [a.id for a in second]), (
        "results/agreement.md is stale: run python -m bench.agreement"
    )


Spans = list[tuple[int, int, str]]


def _record(article_id: str, entities: Spans, claims: Spans) -> dict:
    return {
        "id": article_id,
        "topic": "t",
        "entities": [{"start": s, "end": e, "label": label} for s, e, label in entities],
        "claims": [{"start": s, "end": e, "certainty": c, "cues": []} for s, e, c in claims],
    }


def test_news_real_agreement_on_nothing_is_the_scorer_s_zero_not_one() -> None:
    """Two annotators who mark no entity and no cue: F1 0 by the scorer's one zero-division rule (the
    module's own F1 said 1.0)."""
    first = second = _record("gum-news-a", [], [(0, 10, "confirmed")])
    items = [agreement_news_real.compare(first, second)]
    scores = agreement_news_real.measures(items)
    assert scores["entity F1 (strict: span and label)"] == 0.0
    assert scores["cue F1 (exact span)"] == 0.0
    assert scores["claim boundary F1 (identical spans)"] == 1.0


def test_news_real_agreement_intervals_are_the_scorer_s_bootstrap() -> None:
    """Entity F1 with its interval is exactly the scorer's strict micro F1 of the second annotation read as
    predictions, interval included (the same statistic, the same resampled articles)."""
    text = "x" * 60
    spans = [[(0, 5, "PER"), (10, 20, "ORG")], [(0, 4, "LOC")], [], [(30, 35, "MISC"), (40, 44, "PER")]]
    others = [[(0, 5, "PER"), (10, 19, "ORG")], [(0, 4, "ORG")], [(5, 9, "PER")], [(30, 35, "MISC")]]
    first = [_record(f"gum-news-{i}", s, []) for i, s in enumerate(spans * 3)]
    second = [_record(f"gum-news-{i}", s, []) for i, s in enumerate(others * 3)]
    items = [agreement_news_real.compare(a, b) for a, b in zip(first, second, strict=True)]
    value, low, high = agreement_news_real.with_intervals(items)["entity F1 (strict: span and label)"]
    gold = [Article(r["id"], "", text, "t", tuple(Entity(**e) for e in r["entities"])) for r in first]
    predicted = [Prediction(r["id"], tuple(Entity(**e) for e in r["entities"])) for r in second]
    headline = score_run(gold, predicted, ["entities"], DEFAULT_EVAL)["headline"]["entities.strict.micro.f1"]
    assert (value, low, high) == (headline["value"], headline["ci_low"], headline["ci_high"])
