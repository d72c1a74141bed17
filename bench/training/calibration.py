"""The certainty decision moved to where the selection dev set puts it: a shift of the claim head's bias.

A model trained mostly on written-to-order text is too quick to call real news hedged (first-person hopes,
conditionals, "would" of reported plans). Its P(hedged) is then ranked well but placed badly, and the
cheapest repair is one number chosen on real-news dev: a constant added to the claim logit. It is folded into
the claim head's bias, so the checkpoint stays an ordinary checkpoint, P(hedged) and the label keep agreeing
(``certainty_label`` still makes the cut, here as at inference), and the prediction cache sees new weights.

The shift maximises dev hedged F1 over a coarse grid (half a logit apart: a finer grid would fit the noise
of a few dozen hedged claims); among equal scores the smallest shift wins, so no evidence means no change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from bench.metrics.counts import Counts
from bench.models.transformers.encoder import claim_certainties
from bench.schema import Article

SHIFTS = tuple(step / 2 for step in range(-12, 7))  # -6.0 ... +3.0 logits


@dataclass(frozen=True)
class Calibration:
    shift: float
    dev_hedged_f1_before: float
    dev_hedged_f1_after: float
    dev_claims: int

    def record(self) -> dict[str, float | int]:
        return {
            "claim_bias_shift": self.shift,
            "dev_hedged_f1_before": round(self.dev_hedged_f1_before, 6),
            "dev_hedged_f1_after": round(self.dev_hedged_f1_after, 6),
            "dev_claims": self.dev_claims,
        }


def hedged_labels(logits: Sequence[float], shift: float) -> list[bool]:
    """The labels a model with the shifted bias predicts: the decoder's P(hedged) and ``certainty_label``."""
    shifted = torch.tensor(logits, dtype=torch.float32) + shift
    return [label == "hedged" for label in claim_certainties(shifted)]


def hedged_f1(logits: Sequence[float], hedged: Sequence[bool], shift: float) -> float:
    return Counts.from_pairs(hedged, hedged_labels(logits, shift)).f1


def best_shift(logits: Sequence[float], hedged: Sequence[bool]) -> float:
    # max() keeps the first of equal keys: candidates go from the smallest shift outwards.
    by_size = sorted(SHIFTS, key=lambda s: (abs(s), s))
    return max(by_size, key=lambda shift: hedged_f1(logits, hedged, shift))


def claim_logits(
    per_article: Sequence[torch.Tensor], gold: Sequence[Article]
) -> tuple[list[float], list[bool]]:
    """Flatten each dev article's claim logits next to its gold labels."""
    logits, hedged = [], []
    for article, tensor in zip(gold, per_article, strict=True):
        logits += tensor.tolist()
        hedged += [claim.certainty == "hedged" for claim in article.claims]
    if len(logits) != len(hedged):
        raise ValueError(f"{len(logits)} claim logits for {len(hedged)} gold claims")
    return logits, hedged


def calibrate(claim_head: torch.nn.Linear, logits: Sequence[float], hedged: Sequence[bool]) -> Calibration:
    """Pick the shift on ``logits`` (computed with ``claim_head`` as it is) and add it to the head's bias."""
    shift = best_shift(logits, hedged)
    with torch.no_grad():
        claim_head.bias += shift
    return Calibration(shift, hedged_f1(logits, hedged, 0.0), hedged_f1(logits, hedged, shift), len(logits))
