"""bench: a reproducible benchmark for named entities and claim certainty in news text.

``bench.load`` and ``bench.evaluate`` are the Python API (``bench/api.py``); they are imported on first use so
that ``python -m bench.<command>`` does not pay for them.
"""

import importlib
from typing import Any

__all__ = ["evaluate", "load"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        # importlib, not an import statement: the cache key's code closure (bench.core.code_identity) reads
        # import statements, and the API is not code that shapes predictions.
        return getattr(importlib.import_module("bench.api"), name)
    raise AttributeError(f"module 'bench' has no attribute {name!r}")
