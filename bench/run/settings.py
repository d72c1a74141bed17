"""``RunSettings``: every run-level config value, checked before any data is read or model loaded.

A bad value is one line naming the key (``error: config: threads must be an integer >= 1, got 'x'``), so a
typo never costs a whole inference pass, and never ends in a traceback after the cache was filled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from bench.core.paths import resolve
from bench.errors import InputError
from bench.metrics.settings import EvalSettings

KNOWN_KEYS = {"defaults", "data", "model", "model_id", "split", "seed", "threads", "eval", "run", "limit",
              "hydra"}  # fmt: skip
RUN_KEYS = {"root", "cache", "chunk_articles", "max_failed_requests"}
EVAL_KEYS = {"resamples", "confidence", "ece_bins"}


@dataclass(frozen=True)
class RunSettings:
    split: str
    threads: int
    eval: EvalSettings
    root: Path
    cache: Path | None  # None: predictions are not cached (the run cannot resume)
    chunk_articles: int
    limit: int | None  # score only the first N articles of the split (a smoke run)
    max_failed_requests: int = 0  # more failed model requests (an LLM endpoint's outage): the run fails


def _bad(key: str, message: str) -> InputError:
    return InputError("config", None, f"{key}: {message}")


def _positive_int(value: Any, key: str, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _bad(key, f"must be an integer >= 1, got {value!r}")
    return value


def _unknown(section: Any, known: set[str], prefix: str) -> None:
    extra = sorted(set(section) - known) if isinstance(section, (dict, DictConfig)) else []
    if extra:
        raise _bad(f"{prefix}{extra[0]}", f"unknown key; known keys: {sorted(known - {'defaults', 'hydra'})}")


def _prior_hedged(model: Any) -> None:
    """``model.prior_hedged`` (lexicon, spacy_sm, hf) becomes a prediction's P(hedged) as it is: check it
    before any prediction is made and cached."""
    prior = model.get("prior_hedged") if isinstance(model, DictConfig) else None
    if prior is not None and (isinstance(prior, bool) or not isinstance(prior, (int, float))
                              or not 0.0 <= prior <= 1.0):  # fmt: skip
        raise _bad("model.prior_hedged", f"must be a number in [0, 1], got {prior!r}")


def _names(cfg: DictConfig) -> None:
    """``model_id``, ``data.id`` and ``split`` name the run's folder: ``../`` in one would put the run outside
    ``run.root``."""
    data = cfg.get("data")
    for key, value in (("model_id", cfg.get("model_id")), ("data.id", data.get("id") if data else None),
                       ("split", cfg.get("split"))):  # fmt: skip
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", value):
            raise _bad(key, f"must be a name of letters, digits, '_' and '-', got {value!r}")


def run_settings(cfg: DictConfig) -> RunSettings:
    """Check the run-level values of a composed config; raise ``InputError`` naming the first bad key."""
    _unknown(cfg, KNOWN_KEYS, "")
    _prior_hedged(cfg.get("model"))
    _unknown(cfg.get("run"), RUN_KEYS, "run.")
    _unknown(cfg.get("eval"), EVAL_KEYS, "eval.")
    _names(cfg)
    try:
        evaluation = EvalSettings.from_config(cfg.get("eval") or {}, cfg.get("seed"))
    except ValueError as exc:
        raise InputError("config", None, str(exc)) from None
    run = cfg.get("run") or {}
    for key in ("root", "cache"):
        if key == "cache" and run.get(key) is None:
            continue  # run.cache=null: no prediction cache (a fast model over millions of articles)
        if not isinstance(run.get(key), str) or not run.get(key):
            raise _bad(f"run.{key}", f"must be a folder path, got {run.get(key)!r}")
    return RunSettings(
        split=cfg.split,
        threads=_positive_int(cfg.get("threads"), "threads"),  # type: ignore[arg-type]
        eval=evaluation,
        root=resolve(run.root),
        cache=resolve(run.cache) if run.get("cache") is not None else None,
        chunk_articles=_positive_int(run.get("chunk_articles"), "run.chunk_articles"),  # type: ignore[arg-type]
        limit=_positive_int(cfg.get("limit"), "limit", allow_none=True),
        max_failed_requests=_count(run.get("max_failed_requests", 0), "run.max_failed_requests"),
    )


def _count(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _bad(key, f"must be an integer >= 0, got {value!r}")
    return value
