"""Per-article prediction cache, so an interrupted run resumes and a rerun skips inference.

An entry is keyed by (model key, article content hash). The model key covers everything that determines a
prediction (``ModelIdentity``): the weights and resource files, the resolved model config, device and dtype,
the adapter's code with every ``bench`` module it imports, and the versions of the numeric libraries. An
entry carries the sha256 of its own prediction and is validated against the article when read: an edited,
truncated or ill-fitting entry is a miss (predicted again), never used. Entries are written atomically (temp
file, rename) but not fsynced: an entry torn by a power cut fails its checks when read and is predicted again.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.core.fingerprints import sha256_json, sha256_text
from bench.core.jsonl import canonical_line, write_atomic
from bench.core.predictions import parse_prediction, prediction_problems
from bench.schema import Article, Prediction


@dataclass(frozen=True)
class ModelIdentity:
    """What a prediction depends on; recorded in the manifest and hashed into the cache key."""

    weights_sha256: str
    config: dict[str, Any]
    code_sha256: str
    libraries: dict[str, str | None]
    placement: dict[str, str] | None  # resolved device and dtype (``device: auto`` differs by machine)

    def key(self) -> str:
        return sha256_json(asdict(self))


def article_key(article: Article) -> str:
    return sha256_text(canonical_line(article.to_json()))


class PredictionCache:
    def __init__(self, root: Path, model_key: str) -> None:
        self.folder = root / model_key[:32]
        self.rejected = 0  # entries present but unusable (edited, corrupt, not fitting the article)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, article: Article, key: str | None = None) -> Prediction | None:
        """The cached prediction of ``article`` (``key``: its ``article_key``, if already computed)."""
        path = self._path(key or article_key(article))
        if not path.exists():
            return None
        prediction = self._read(path, article)
        if prediction is None:
            self.rejected += 1
            print(f"warning: {path}: cache entry does not check out; predicting again", file=sys.stderr)
        return prediction

    @staticmethod
    def _read(path: Path, article: Article) -> Prediction | None:
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            body = entry["prediction"]
            if entry["sha256"] != sha256_text(canonical_line(body)):
                return None
            prediction = parse_prediction(body)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError):
            return None
        return None if next(prediction_problems(prediction, article), None) else prediction

    def put(self, article: Article, prediction: Prediction, key: str | None = None) -> None:
        body = prediction.to_json()
        entry = {"sha256": sha256_text(canonical_line(body)), "prediction": body}
        # Not fsynced: an entry torn by a power cut fails its sha256 or its article check when read, and is
        # predicted again; the fsync per article was a third of a lexicon run's time.
        write_atomic(self._path(key or article_key(article)), [canonical_line(entry)], durable=False)
