"""Where an external corpus comes from, and where a run finds its files.

The data config of an external corpus names its pinned file list (``sources:``: each file's public URL at a
pinned commit and its sha256, ``python -m bench.fetch <id>`` downloads them) and its ``licence``; a reader of
one file also names the corpus ``file`` under a sources root. A run finds the files in this order:

1. an explicit path given to the reader (``data.source.path=…``; ``data.source.roots=[…]`` for news_real);
2. this project's byte copies in ``../shared/data`` (beside the checkout; absent on a user's machine);
3. the fetch cache, ``$BENCH_SOURCES`` (default ``~/.cache/bench/sources``).

A corpus found in none of them is one line naming the fetch command and the licence.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from bench.core.paths import CONFIG_DIR, SHARED_DATA, resolve
from bench.errors import InputError


@dataclass(frozen=True)
class SourceFile:
    """One file of a source corpus: where it lives under a sources root, where to download it, its sha256."""

    path: str  # relative to a sources root, e.g. "gum/GUM_news_asylum.conllu"
    url: str
    sha256: str


def read_source_list(path: Path) -> list[SourceFile]:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["files"]
        return [SourceFile(e["path"], e["url"], e["sha256"]) for e in entries]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(path, None, f"not a source list: {exc}") from None


CACHE_VARIABLE = "BENCH_SOURCES"
DEFAULT_CACHE = "~/.cache/bench/sources"


@dataclass(frozen=True)
class Corpus:
    """An external dataset's pinned source files and the licence they come under."""

    dataset: str
    licence: str
    files: tuple[SourceFile, ...]

    def fetch_hint(self) -> str:
        return f"run `python -m bench.fetch {self.dataset}` to download it (licence: {self.licence})"


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_VARIABLE) or DEFAULT_CACHE).expanduser()


def roots() -> list[Path]:
    """Where pinned files are looked for, first to last (an explicit path comes before all of them)."""
    return [SHARED_DATA, cache_root()]


def corpus(cfg: DictConfig) -> Corpus | None:
    """The pinned sources of a data config; ``None`` for a dataset of this project's own."""
    if cfg.get("sources") is None:
        return None
    files = read_source_list(resolve(cfg.sources))
    return Corpus(str(cfg.id), str(cfg.get("licence") or "not stated"), tuple(files))


def fetchable() -> dict[str, DictConfig]:
    """Every data config with pinned sources, by dataset id."""
    from omegaconf import OmegaConf

    configs = {path.stem: OmegaConf.load(path) for path in sorted((CONFIG_DIR / "data").glob("*.yaml"))}
    return {name: cfg for name, cfg in configs.items() if cfg.get("sources") is not None}


def find_root(found: Corpus) -> Path:
    """The first root that holds every pinned file of ``found``."""
    for root in roots():
        if all((root / f.path).is_file() for f in found.files):
            return root
    looked = " and ".join(str(root) for root in roots())
    where = CONFIG_DIR / "data" / f"{found.dataset}.yaml"
    raise InputError(where, None, f"corpus {found.dataset!r} not found in {looked}; {found.fetch_hint()}")


def reader_arguments(cfg: DictConfig) -> dict[str, Any]:
    """What points a data config's reader at its corpus when the config gives no explicit location."""
    found = corpus(cfg)
    if found is None:
        return {}
    if "file" in cfg:
        return {} if cfg.source.get("path") is not None else {"path": str(find_root(found) / cfg.file)}
    return {} if cfg.source.get("roots") is not None else {"roots": [str(find_root(found))]}
