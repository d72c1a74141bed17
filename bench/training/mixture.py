"""What training reads: the train split, capped external corpora, and the dev split that picks the epoch.

The configuration lives in ``conf/train.yaml`` (``extra_data``, ``extra_max_articles``,
``attribution_unmarked``, ``select_on``); a model's recipe file may set them (``minilm_real`` does).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from omegaconf import DictConfig, OmegaConf

from bench.core.paths import CONFIG_DIR
from bench.data import load as data_module
from bench.errors import InputError
from bench.schema import Article

TRAIN_CONFIG = "conf/train.yaml"


@dataclass(frozen=True)
class Corpus:
    """Training articles from one dataset, the tasks it annotates, and whether its attribution is trusted.

    ``attribution_unmarked``: the corpus does not annotate attribution to an unnamed source as a hedge (as
    the benchmark's guidelines do), so its claims that carry an attribution word teach no certainty.
    """

    loaded: data_module.LoadedData
    articles: list[Article]
    attribution_unmarked: bool = False

    def describe(self) -> dict[str, Any]:
        loaded = self.loaded
        return {
            "id": loaded.id,
            "version": loaded.version,
            "fingerprint": loaded.fingerprint,
            "tasks": list(loaded.tasks),
            "articles": len(self.articles),
            "attribution_unmarked": self.attribution_unmarked,
        }


@dataclass(frozen=True)
class DevSet:
    """The articles that pick the epoch, and where they come from (recorded in the train manifest)."""

    data_id: str
    fingerprint: str
    articles: list[Article]

    def describe(self) -> dict[str, Any]:
        return {"id": self.data_id, "split": "dev", "fingerprint": self.fingerprint}


def load_data(data_id: str) -> data_module.LoadedData:
    return data_module.load(OmegaConf.load(CONFIG_DIR / "data" / f"{data_id}.yaml"))


def all_articles(loaded: data_module.LoadedData) -> list[Article]:
    """Every article of every split, by id: external corpora ship one split, none of them ours to hold out."""
    return sorted((a for name in loaded.splits for a in loaded.splits[name]), key=lambda a: a.id)


def cap_of(caps: Mapping[str, int], data_id: str) -> int:
    # A per-corpus cap, never a shared default: corpora differ by 10x in size, and a silent default would let
    # a newly added one drown the benchmark's own train split.
    if data_id not in caps:
        raise InputError(
            TRAIN_CONFIG, None, f"extra_data {data_id!r} needs a cap: set extra_max_articles.{data_id}"
        )
    return int(caps[data_id])


def training_corpora(cfg: DictConfig) -> tuple[list[Corpus], DevSet]:
    """The train split and the capped external corpora (``extra_data``), and the dev set for selection."""
    loaded = data_module.load(cfg.data)
    splits = {name: list(loaded.splits[name]) for name in loaded.splits}
    if not splits.get("train"):
        raise InputError(
            f"conf/data/{loaded.id}.yaml", None, "the train split is empty or missing: nothing to train on"
        )
    unmarked = set(cfg.attribution_unmarked)
    corpora = [Corpus(loaded, splits["train"], loaded.id in unmarked)]
    caps = OmegaConf.to_container(cfg.extra_max_articles, resolve=True)
    assert isinstance(caps, dict)
    for data_id in cfg.extra_data:
        if data_id == cfg.select_on:
            raise InputError(TRAIN_CONFIG, None, f"{data_id!r} cannot be both training data and select_on")
        extra = load_data(data_id)
        corpora.append(Corpus(extra, all_articles(extra)[: cap_of(caps, data_id)], data_id in unmarked))
    own_dev = DevSet(loaded.id, loaded.fingerprint, splits.get("dev", []))
    return corpora, selection_dev(cfg.select_on, own_dev)


def selection_dev(select_on: str | None, own_dev: DevSet) -> DevSet:
    """``select_on``'s dev split (null: the training data's own, possibly empty). Only ever a dev split: a
    test split that picked the epoch would no longer be a test."""
    if select_on is None or select_on == own_dev.data_id:
        return own_dev
    loaded = load_data(select_on)
    where = f"conf/data/{select_on}.yaml"
    if "dev" not in loaded.splits or len(loaded.splits["dev"]) == 0:
        raise InputError(where, None, "select_on needs a dataset with a dev split; test splits never select")
    missing = {"entities", "claims"} - set(loaded.tasks)
    if missing:
        # The selection score averages entity and hedged F1; a dataset without one would score it as 0.
        raise InputError(where, None, f"select_on needs both tasks annotated; missing {sorted(missing)}")
    return DevSet(loaded.id, loaded.fingerprint, list(loaded.splits["dev"]))
