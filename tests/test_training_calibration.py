"""The claim-bias calibration: its F1 agrees with scikit-learn's, it picks the best shift of its grid (the
smallest among equals), and it moves a head's output by exactly that shift."""

from __future__ import annotations

import pytest
import torch
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import f1_score

from bench.schema import Article, Claim
from bench.training.calibration import SHIFTS, best_shift, calibrate, claim_logits, hedged_f1, hedged_labels

claims = st.lists(
    st.tuples(st.floats(-8, 8, allow_nan=False, width=32), st.booleans()), min_size=1, max_size=60
)


def reference_f1(logits: list[float], hedged: list[bool], shift: float) -> float:
    # The labels are the product's decision (checked against inference end to end in test_train_tiny);
    # the F1 over them is scikit-learn's.
    said = hedged_labels(logits, shift)
    return float(f1_score(hedged, said, pos_label=True, zero_division=0))


def test_the_labels_are_the_shifted_logit_against_the_half_way_cut() -> None:
    assert hedged_labels([-3.0, -0.5, 0.5, 3.0], 0.0) == [False, False, True, True]
    assert hedged_labels([-3.0, -0.5, 0.5, 3.0], -1.0) == [False, False, False, True]
    assert hedged_labels([-3.0, -0.5, 0.5, 3.0], 1.0) == [False, True, True, True]


@settings(max_examples=examples(200), deadline=None)
@given(claims)
def test_hedged_f1_is_scikit_learns(pairs: list[tuple[float, bool]]) -> None:
    logits, hedged = [p[0] for p in pairs], [p[1] for p in pairs]
    for shift in (-2.0, 0.0, 1.5):
        assert hedged_f1(logits, hedged, shift) == pytest.approx(reference_f1(logits, hedged, shift))


@settings(max_examples=examples(200), deadline=None)
@given(claims)
def test_the_shift_is_the_grids_best_and_the_smallest_of_equals(pairs: list[tuple[float, bool]]) -> None:
    logits, hedged = [p[0] for p in pairs], [p[1] for p in pairs]
    scores = {shift: reference_f1(logits, hedged, shift) for shift in SHIFTS}
    best = max(scores.values())
    chosen = best_shift(logits, hedged)
    assert scores[chosen] == pytest.approx(best)
    assert abs(chosen) == min(abs(s) for s, f in scores.items() if f == pytest.approx(best))


def test_no_evidence_means_no_shift() -> None:
    assert best_shift([-3.0, -1.0, 2.0], [False, False, True]) == 0.0  # already perfect
    assert best_shift([-1.0, -2.0], [False, False]) == 0.0  # nothing hedged: every shift scores 0


def test_an_over_eager_model_is_moved_down() -> None:
    # Four confirmed claims with logits 1..2 and two hedged ones at 4 and 5: cutting above 2 is perfect.
    logits, hedged = [1.0, 1.5, 2.0, 2.0, 4.0, 5.0], [False] * 4 + [True] * 2
    shift = best_shift(logits, hedged)
    assert hedged_f1(logits, hedged, shift) == 1.0 and -4.0 < shift < -2.0


def test_calibrate_adds_the_shift_to_the_heads_output() -> None:
    torch.manual_seed(0)
    head = torch.nn.Linear(3, 1)
    states = torch.randn(6, 3)
    before = head(states).squeeze(-1).detach()
    hedged = [False, True, False, True, False, False]
    result = calibrate(head, before.tolist(), hedged)
    after = head(states).squeeze(-1).detach()
    assert torch.allclose(after - before, torch.full_like(before, result.shift), atol=1e-6)
    assert result.dev_hedged_f1_after == pytest.approx(reference_f1(before.tolist(), hedged, result.shift))
    assert result.dev_hedged_f1_after >= result.dev_hedged_f1_before


def test_claim_logits_refuse_a_count_that_does_not_fit_the_gold() -> None:
    text = "It may rain. It rained."
    claims = (Claim(0, 12, "hedged"), Claim(13, 23, "confirmed"))
    article = Article("a", "A title", text, "weather", claims=claims)
    assert claim_logits([torch.tensor([0.5, -0.5])], [article]) == ([0.5, -0.5], [True, False])
    with pytest.raises(ValueError, match="1 claim logits for 2 gold claims"):
        claim_logits([torch.tensor([0.5])], [article])
