"""The checked arguments of ``model=llm`` (``conf/model/llm.yaml``): types and ranges only, no I/O.

A bad value raises ``ValueError("model.<key>: ...")``; the runner turns it into one ``InputError`` line naming
the config file. Whether the prompt files exist and the model is named is checked later, in
``weights_files``, which the runner calls before anything is predicted.
"""

from __future__ import annotations

import math
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.core.paths import resolve
from bench.models.llm.answers import TASKS
from bench.models.llm.spans import OCCURRENCES


def _bad(key: str, message: str, value: Any) -> ValueError:
    return ValueError(f"model.{key}: {message}, got {value!r}")


def number(value: Any, key: str, low: float, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise _bad(key, f"must be a number in [{low}, {high}]", value)
    return float(value)


def whole(value: Any, key: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _bad(key, f"must be an integer >= {low}", value)
    return value


def text(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise _bad(key, "must be a string", value)
    return value


def variable_name(value: Any) -> str:
    # Never echo the value: a key pasted here by mistake must not end up in a log.
    if not isinstance(value, str) or not re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)?", value):
        raise ValueError(
            "model.api_key_env: must be the name of an environment variable (e.g. OPENAI_API_KEY), "
            "not the key itself"
        )
    return value


# The templates shipped with the benchmark (conf/model/llm.yaml names them too).
DEFAULT_PROMPTS = {"entities": "conf/prompts/entities.v1.txt", "certainty": "conf/prompts/certainty.v1.txt"}


def prompt_paths(value: Any) -> dict[str, Path]:
    value = DEFAULT_PROMPTS if value is None else value
    if not isinstance(value, Mapping) or set(value) != set(TASKS):
        raise _bad("prompts", f"must map exactly {list(TASKS)} to template files", value)
    return {task: resolve(text(value[task], f"prompts.{task}")) for task in TASKS}


@dataclass(frozen=True)
class LlmConfig:
    base_url: str
    model: str
    api_key_env: str
    prompts: dict[str, Path]
    temperature: float
    max_tokens: int | None
    structured_output: bool
    timeout_s: float
    max_retries: int
    backoff_s: float
    max_wait_s: float
    concurrency: int
    occurrence: str
    cache_dir: Path

    @property
    def url(self) -> str:
        return self.base_url.rstrip("/") + "/chat/completions"


def checked(args: dict[str, Any]) -> LlmConfig:
    """``args``: the adapter's constructor arguments by name."""
    if isinstance(args["base_url"], str) and "@" in urllib.parse.urlsplit(args["base_url"]).netloc:
        # Never echo it: ``user:password@`` would be printed, and written into config.yaml and the manifest.
        raise ValueError("model.base_url: must not hold a user or password (user:password@): put the key in "
                         "the variable that model.api_key_env names")  # fmt: skip
    if not text(args["base_url"], "base_url").startswith(("http://", "https://")):
        raise _bad(
            "base_url",
            "must be an http:// or https:// URL such as http://localhost:8000/v1",
            args["base_url"],
        )
    if args["occurrence"] not in OCCURRENCES:
        raise _bad("occurrence", f"must be one of {list(OCCURRENCES)}", args["occurrence"])
    if not isinstance(args["structured_output"], bool):
        raise _bad("structured_output", "must be true or false", args["structured_output"])
    max_tokens = args["max_tokens"]
    return LlmConfig(
        base_url=args["base_url"],
        model=text(args["model"], "model"),
        api_key_env=variable_name(args["api_key_env"]),
        prompts=prompt_paths(args["prompts"]),
        temperature=number(args["temperature"], "temperature", 0.0, 2.0),
        max_tokens=None if max_tokens is None else whole(max_tokens, "max_tokens", 1),
        structured_output=args["structured_output"],
        timeout_s=number(args["timeout_s"], "timeout_s", 0.001),
        max_retries=whole(args["max_retries"], "max_retries", 0),
        backoff_s=number(args["backoff_s"], "backoff_s", 0.0),
        max_wait_s=number(args["max_wait_s"], "max_wait_s", 0.0),
        concurrency=whole(args["concurrency"], "concurrency", 1),
        occurrence=args["occurrence"],
        cache_dir=resolve(text(args["cache_dir"], "cache_dir")),
    )
