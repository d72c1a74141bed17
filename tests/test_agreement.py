"""Inter-annotator agreement: kappa by hand, alignment checks, and the committed report is reproducible."""

from __future__ import annotations

import pytest

from bench.corpus.agreement import REPORT, SECOND_DIR, agreement_scores, as_prediction, cohen_kappa, report
from bench.corpus.build import compile_all, compile_source
from bench.errors import InputError
from bench.schema import Article, Claim, Span


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
