"""The audit counts a claim label as changed exactly when the decoder's label changes."""

from __future__ import annotations

import torch

from bench.models.transformers.encoder import claim_certainties
from bench.run.audit import compare


def _claims(*logits: float) -> list[dict[str, torch.Tensor]]:
    return [{"claims": torch.tensor(logits, dtype=torch.float32)}]


def test_a_logit_just_below_zero_is_hedged_in_the_audit_as_in_the_decoder() -> None:
    # sigmoid(-1e-6) rounds to 0.5, and certainty_label(0.5) is hedged: both sides decode the same label,
    # which ``logit >= 0`` counted as a change
    assert claim_certainties(torch.tensor([-1e-6, 1e-6])) == ["hedged", "hedged"]
    largest, changed, total = compare(_claims(-1e-6, 2.0), _claims(1e-6, 2.0))
    assert (changed, total) == (0, 2)
    assert largest == torch.tensor(2e-6).item()


def test_a_real_flip_of_a_claim_label_is_counted() -> None:
    assert compare(_claims(-0.1, 3.0), _claims(0.1, 3.0))[1:] == (1, 2)


def test_token_heads_count_argmax_tags() -> None:
    a = {"entities": torch.tensor([[0.0, 1.0], [2.0, 0.0], [0.0, 3.0]])}
    b = {"entities": torch.tensor([[1.0, 0.0], [2.0, 0.0], [0.0, 3.0]])}
    assert compare([a], [b])[1:] == (1, 3)
