"""Canonical JSON for scores: sorted keys, floats rounded to 6 decimals, two-space indent, trailing newline.

The same scores always give the same bytes, so ``scores.json`` files can be compared and hashed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

DECIMALS = 6


def _float(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"scores must be finite, got {value!r}")
    return round(value, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def plain(value: Any) -> Any:
    """Scores as JSON-ready Python values (numpy scalars converted, floats rounded)."""
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return _float(float(value))
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"cannot write {type(value).__name__} into scores")


def dumps_scores(scores: Mapping[str, Any]) -> str:
    return json.dumps(plain(scores), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
