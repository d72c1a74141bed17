"""``model=predictions``: score a ``predictions.jsonl`` written by any other program.

The file has the format of ``predictions.jsonl`` in a run directory (one JSON object per article, see the
README). It is read strictly (``bench.core.predictions``): unknown ids, missing articles, spans out of range,
labels outside the closed set and probabilities outside [0, 1] are one-line errors naming the file and line.
Its sha256 is the run's "weights" hash, so a changed file is a new cache key.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench.core.jsonl import read_records
from bench.core.paths import resolve
from bench.core.predictions import parse_prediction, prediction_problems
from bench.errors import InputError
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

    def predict(self, articles: Sequence[Article]) -> list[Prediction]:
        by_id: dict[str, tuple[int, Prediction]] = {}
        assert self.path is not None  # weights_files ran first and refused a missing path
        for line, prediction in read_records(self.path, parse_prediction):
            if prediction.article_id in by_id:
                raise InputError(self.path, line, f"second prediction for {prediction.article_id!r}")
            by_id[prediction.article_id] = (line, prediction)
        return [self._checked(article, by_id) for article in articles]

    def _checked(self, article: Article, by_id: dict[str, tuple[int, Prediction]]) -> Prediction:
        if article.id not in by_id:
            raise InputError(self.path, None, f"no prediction for article {article.id!r}")
        line, prediction = by_id[article.id]
        problem = next(prediction_problems(prediction, article), None)
        if problem:
            raise InputError(self.path, line, problem, article_id=article.id)
        return prediction
