"""A checkpoint's ``train_manifest.json`` as a typed view, for its readers (the suite's "trained on" cells).

Training writes the file (``bench.training.train.train_manifest``); readers take the fields they need from
``TrainRecord`` instead of indexing the JSON with string keys, and a file of the wrong shape is one
``InputError`` naming it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.errors import InputError
from bench.models.transformers.multitask import TRAIN_MANIFEST


@dataclass(frozen=True)
class TrainRecord:
    """``corpora``: the dataset ids of the training data in order, the first being the training set's own
    train split (its test split held out), with their article counts. Only what a reader uses is parsed, so
    a field it does not need cannot make a manifest unreadable; add a field here when a reader needs one."""

    corpora: tuple[tuple[str, int], ...]

    @property
    def seen_test_splits(self) -> frozenset[str]:
        """Dataset ids whose test split training saw: every corpus but the first one's own."""
        ids = [corpus for corpus, _ in self.corpora]
        return frozenset(ids[1:]) - frozenset(ids[:1])

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> TrainRecord:
        return cls(corpora=tuple((str(d["id"]), int(d["articles"])) for d in obj["data"]))


def read_train_record(checkpoint: Path) -> TrainRecord | None:
    """The record of the checkpoint folder, or None where it has no ``train_manifest.json`` (not ours)."""
    path = checkpoint / TRAIN_MANIFEST
    if not path.is_file():
        return None
    try:
        return TrainRecord.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(path, None, f"not a training manifest: {type(exc).__name__}: {exc}") from None
