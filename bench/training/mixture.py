"""What training reads: the train split, capped external corpora, and the dev split that picks the epoch.

The configuration lives in ``conf/train.yaml`` (``extra_data``, ``extra_max_articles``, ``extra_per_epoch``,
``entity_fraction``, ``attribution_unmarked``, ``select_on``); a model's recipe file may set them
(``minilm_real`` and ``minilm_wide`` do).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from omegaconf import DictConfig, OmegaConf

from bench.core.configs import data_config
from bench.data import load as data_module
from bench.errors import InputError
from bench.schema import Article

TRAIN_CONFIG = "conf/train.yaml"


@dataclass(frozen=True)
class Corpus:
    """Training articles from one dataset, the tasks it annotates, and whether its attribution is trusted.

    ``attribution_unmarked``: the corpus does not annotate attribution to an unnamed source as a hedge (as
    the benchmark's guidelines do), so its claims that carry an attribution word teach no certainty.
    ``available``: how many articles the corpus has; ``articles`` are those kept (cap, then fraction);
    ``per_epoch``: how many of them each epoch draws (None: all of them, every epoch).
    """

    loaded: data_module.LoadedData
    articles: list[Article]
    attribution_unmarked: bool = False
    available: int | None = None  # None: the articles are the whole split (the train split's own corpus)
    per_epoch: int | None = None
    licence: str | None = None

    def describe(self) -> dict[str, Any]:
        loaded = self.loaded
        return {
            "id": loaded.id,
            "version": loaded.version,
            "fingerprint": loaded.fingerprint,
            "tasks": list(loaded.tasks),
            "entity_labels": list(loaded.entity_labels),
            "articles": len(self.articles),
            "available": len(self.articles) if self.available is None else self.available,
            "per_epoch": self.per_epoch,
            "attribution_unmarked": self.attribution_unmarked,
            "licence": self.licence,
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
    return data_module.load(data_config(data_id))


def all_articles(loaded: data_module.LoadedData) -> list[Article]:
    """Every article of every split, by id: external corpora ship one split, none of them ours to hold out."""
    return sorted((a for name in loaded.splits for a in loaded.splits[name]), key=lambda a: a.id)


def cap_of(caps: Mapping[str, int | None], data_id: str) -> int | None:
    """The corpus's cap (None: all of it)."""
    # A per-corpus cap, never a shared default: corpora differ by 10x in size, and a silent default would let
    # a newly added one drown the benchmark's own train split. ``null`` says "all of it" on purpose.
    if data_id not in caps:
        raise InputError(
            TRAIN_CONFIG, None, f"extra_data {data_id!r} needs a cap: set extra_max_articles.{data_id}"
        )
    cap = caps[data_id]
    return None if cap is None else int(cap)


def stable_order(articles: list[Article]) -> list[Article]:
    """Articles in the order of their ids' sha256: a fixed shuffle, so a fraction of a corpus spreads over
    its genres instead of taking the first ones by id (GUM's ids start with the genre)."""
    return sorted(articles, key=lambda a: hashlib.sha256(a.id.encode("utf-8")).hexdigest())


def kept_articles(loaded: data_module.LoadedData, cap: int | None, entity_fraction: float) -> list[Article]:
    """The first ``cap`` articles by id, then, for an entity corpus, ``entity_fraction`` of them (the
    learning curve's data sizes; 1.0 keeps all, in id order as before)."""
    capped = all_articles(loaded)[:cap]
    if entity_fraction >= 1.0 or "entities" not in loaded.tasks:
        return capped
    return sorted(stable_order(capped)[: round(len(capped) * entity_fraction)], key=lambda a: a.id)


def extra_corpus(cfg: DictConfig, data_id: str, caps: Mapping[str, Any], fraction: float) -> Corpus:
    """One external corpus as ``cfg`` asks for it: capped, a fraction of it, and sampled per epoch."""
    if data_id == cfg.select_on:
        raise InputError(TRAIN_CONFIG, None, f"{data_id!r} cannot be both training data and select_on")
    data_cfg = data_config(data_id)
    extra = data_module.load(data_cfg)
    articles = kept_articles(extra, cap_of(caps, data_id), fraction)
    per_epoch = cfg.extra_per_epoch.get(data_id)
    if per_epoch is not None and not 0 < int(per_epoch) <= len(articles):
        message = f"extra_per_epoch.{data_id} is {per_epoch}; {data_id} has {len(articles)} articles"
        raise InputError(TRAIN_CONFIG, None, message)
    return Corpus(
        extra,
        articles,
        data_id in set(cfg.attribution_unmarked),
        available=len(all_articles(extra)),
        per_epoch=None if per_epoch is None else int(per_epoch),
        licence=data_cfg.get("licence"),
    )


def training_corpora(cfg: DictConfig) -> tuple[list[Corpus], DevSet]:
    """The train split and the capped external corpora (``extra_data``), and the dev set for selection."""
    loaded = data_module.load(cfg.data)
    splits = {name: list(loaded.splits[name]) for name in loaded.splits}
    if not splits.get("train"):
        raise InputError(
            f"conf/data/{loaded.id}.yaml", None, "the train split is empty or missing: nothing to train on"
        )
    own = Corpus(
        loaded, splits["train"], loaded.id in set(cfg.attribution_unmarked), licence=cfg.data.get("licence")
    )
    caps = OmegaConf.to_container(cfg.extra_max_articles, resolve=True)
    assert isinstance(caps, dict)
    fraction = float(cfg.entity_fraction)
    if not 0.0 < fraction <= 1.0:
        raise InputError(TRAIN_CONFIG, None, f"entity_fraction {fraction} is not in (0, 1]")
    corpora = [own, *(extra_corpus(cfg, data_id, caps, fraction) for data_id in cfg.extra_data)]
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
