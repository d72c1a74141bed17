"""Claim certainty from a weighted hedge-cue lexicon (the rule baseline's certainty half)."""

from __future__ import annotations

import math
import re
from functools import cached_property
from pathlib import Path

from bench.core.tsv import tsv_rows
from bench.errors import InputError
from bench.models.base import certainty_label
from bench.schema import Article, ClaimPrediction, Span


def read_weighted_lexicon(path: Path) -> dict[str, float]:
    """Read ``cue<TAB>weight`` lines into lower-cased cue -> weight."""
    weights: dict[str, float] = {}
    for number, (entry, weight) in tsv_rows(path, 2):
        try:
            value = float(weight)
        except ValueError:
            value = math.nan
        if not 0.0 <= value <= 1.0:
            raise InputError(path, number, f"weight {weight!r} is not a number in [0, 1]")
        weights[entry.lower()] = value
    return weights


class HedgeLexicon:
    """Finds lexicon cues inside each gold claim and turns their weights into P(hedged)."""

    def __init__(self, path: Path, prior_hedged: float) -> None:
        self.path = path
        self.prior_hedged = prior_hedged

    @cached_property
    def _weights(self) -> dict[str, float]:
        return read_weighted_lexicon(self.path)

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        # Longest cues first so that "could not be verified" wins over "could".
        alternatives = sorted(self._weights, key=lambda cue: (-len(cue), cue))
        return re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in alternatives) + r")\b", re.IGNORECASE)

    def predict_claims(self, article: Article) -> tuple[ClaimPrediction, ...]:
        return tuple(self._predict_claim(article.text, claim.span) for claim in article.claims)

    def _predict_claim(self, text: str, claim: Span) -> ClaimPrediction:
        matches = list(self._pattern.finditer(text, claim.start, claim.end))
        p_confirmed = 1.0
        for match in matches:
            p_confirmed *= 1.0 - self._weights[match.group().lower()]
        p_hedged = 1.0 - p_confirmed if matches else self.prior_hedged
        cues = tuple(Span(m.start(), m.end()) for m in matches)
        return ClaimPrediction(claim.start, claim.end, certainty_label(p_hedged), round(p_hedged, 6), cues)
