"""``model=predictions``: score a ``predictions.jsonl`` written by any other program.

The file has the format of ``predictions.jsonl`` in a run directory (one JSON object per article, see the
README). It is read once, one line at a time, the first time a prediction is asked for, and strictly
(``bench.core.predictions``): spans out of range, labels outside the closed set and probabilities outside
[0, 1] are one-line errors naming the file and line; so are a ``certainty`` that ``p_hedged`` contradicts (by
``certainty_label``, the rule of every adapter), cues given for some claims and ``null`` for others, and,
once the whole split has been asked for, a prediction for an article the split does not have.
Its sha256 is the run's "weights" hash. The file is its own cache: nothing of it is copied into the
prediction cache, so an error found late in a run leaves no cache entries behind.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from functools import cached_property
from pathlib import Path

from bench.core.jsonl import read_records
from bench.core.paths import resolve
from bench.core.predictions import parse_prediction, prediction_problems
from bench.errors import InputError
from bench.models.base import HEDGED_THRESHOLD, certainty_label
from bench.schema import Article, Prediction


class PredictionsFile:
    """Args: path: the ``predictions.jsonl`` to score (absolute, or relative to the project root)."""

    def __init__(self, path: str = "") -> None:
        if not isinstance(path, str):
            raise ValueError(f"model.path must be a file path, got {path!r}")
        self.path = resolve(path) if path else None

    def placement(self) -> dict[str, str] | None:
        return None  # computes on the CPU, in no torch dtype

    def use_threads(self, threads: int) -> int | None:
        return None

    def weights_files(self) -> list[Path]:
        if self.path is None:
            raise InputError("config", None, "model.path: name the predictions.jsonl to score")
        if not self.path.is_file():
            raise InputError(self.path, None, "no such predictions file")
        return [self.path]

    def cacheable(self, article: Article) -> bool:
        return False  # the file is its own cache

    def predict(self, articles: Sequence[Article]) -> list[Prediction]:
        return [self._checked(article) for article in articles]

    def check_split(self, article_ids: Set[str]) -> None:
        """After the whole split: a prediction for an article it does not have is an error at its line."""
        for article_id, (line, _) in self._by_id.items():
            if article_id not in article_ids:
                raise InputError(self.path, line, f"article {article_id!r} is not in the gold split")

    @cached_property
    def _by_id(self) -> dict[str, tuple[int, Prediction]]:
        assert self.path is not None  # weights_files ran first and refused a missing path
        by_id: dict[str, tuple[int, Prediction]] = {}
        cues_given: tuple[int, bool] | None = None  # the first claim's line, and whether it has cues
        for line, prediction in read_records(self.path, parse_prediction):
            if prediction.article_id in by_id:
                raise InputError(self.path, line, f"second prediction for {prediction.article_id!r}")
            cues_given = self._same_cues(line, prediction, cues_given)
            by_id[prediction.article_id] = (line, prediction)
        return by_id

    def _same_cues(
        self, line: int, prediction: Prediction, first: tuple[int, bool] | None
    ) -> tuple[int, bool] | None:
        """Cue spans are scored only when every claim has them: ``cues: null`` beside a list is refused."""
        for claim in prediction.claims:
            given = claim.cues is not None
            first = first or (line, given)
            if given != first[1]:
                what, other = ("null", "a list") if not given else ("a list", "null")
                message = (f"claim [{claim.start}, {claim.end}) has cues {what} where line {first[0]} has "
                           f"{other}: give cues for every claim or for none")  # fmt: skip
                raise InputError(self.path, line, message, article_id=prediction.article_id)
        return first

    def _checked(self, article: Article) -> Prediction:
        if article.id not in self._by_id:
            raise InputError(self.path, None, f"no prediction for article {article.id!r}")
        line, prediction = self._by_id[article.id]
        problem = next(prediction_problems(prediction, article), None) or _contradiction(prediction)
        if problem:
            raise InputError(self.path, line, problem, article_id=article.id)
        return prediction


def _contradiction(prediction: Prediction) -> str | None:
    for claim in prediction.claims:
        if claim.certainty != certainty_label(claim.p_hedged):
            return (f"claim [{claim.start}, {claim.end}) has certainty {claim.certainty!r} but p_hedged "
                    f"{claim.p_hedged}, which is {certainty_label(claim.p_hedged)!r} "
                    f"(hedged when p_hedged >= {HEDGED_THRESHOLD})")  # fmt: skip
    return None
