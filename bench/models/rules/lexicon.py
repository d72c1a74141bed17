"""The rule baseline: hedge-cue lexicon for certainty, capitalisation + gazetteer for entities."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path

from bench.core.paths import resolve
from bench.models.rules.hedge_lexicon import HedgeLexicon
from bench.models.rules.name_heuristics import NameHeuristics
from bench.schema import Article, Prediction


class LexiconModel:
    """No training, no weights: the floor every results table shows.

    Args:
        cues: hedge-cue lexicon (``cue<TAB>weight``), relative to the project root.
        gazetteer: names with labels (``name<TAB>label``), relative to the project root.
        prior_hedged: P(hedged) of a claim with no lexicon cue.
    """

    def __init__(self, cues: str, gazetteer: str, prior_hedged: float = 0.1) -> None:
        self.cues_path = resolve(cues)
        self.gazetteer_path = resolve(gazetteer)
        self.certainty = HedgeLexicon(self.cues_path, prior_hedged)
        self.names = NameHeuristics(self.gazetteer_path)

    def placement(self) -> dict[str, str] | None:
        return None  # computes on the CPU, in no torch dtype

    def use_threads(self, threads: int) -> int | None:
        return None  # no torch here

    def weights_files(self) -> list[Path]:
        # The rules live in code, so the code files count as weights: editing them invalidates the cache.
        modules = [inspect.getfile(type(part)) for part in (self, self.certainty, self.names)]
        return [self.cues_path, self.gazetteer_path, *map(Path, modules)]

    def predict(self, articles: Sequence[Article]) -> list[Prediction]:
        return [
            Prediction(
                article.id, self.names.predict_entities(article.text), self.certainty.predict_claims(article)
            )
            for article in articles
        ]
