"""Per-article prediction cache, so an interrupted run resumes and a rerun skips inference.

An entry is keyed by (model key, article content hash), where the model key hashes the weights files and the
resolved model config. Entries are written atomically (temp file + rename): a run killed mid-write leaves
either a complete entry or none.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.core.fingerprints import sha256_json, sha256_text
from bench.core.jsonl import canonical_line, write_atomic
from bench.schema import Article, Prediction


def model_key(weights_sha256: str, model_config: dict) -> str:
    return sha256_json({"weights": weights_sha256, "config": model_config})


def article_key(article: Article) -> str:
    return sha256_text(canonical_line(article.to_json()))


class PredictionCache:
    def __init__(self, root: Path, model_key: str) -> None:
        self.folder = root / model_key[:32]

    def _path(self, article: Article) -> Path:
        return self.folder / f"{article_key(article)}.json"

    def get(self, article: Article) -> Prediction | None:
        path = self._path(article)
        try:
            obj = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None  # absent or unreadable: predict again rather than trust it
        return Prediction.from_json(obj)

    def put(self, article: Article, prediction: Prediction) -> None:
        write_atomic(self._path(article), [canonical_line(prediction.to_json())])
