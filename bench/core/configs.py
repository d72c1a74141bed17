"""The config files that exist, found in ``conf/`` rather than listed by hand: a new ``conf/data/<id>.yaml``
is a dataset of ``bench.suite`` and ``--help`` with no other edit, and a new ``conf/model/<id>.yaml`` a model.
"""

from __future__ import annotations

from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from bench.core import paths
from bench.errors import InputError


def _folder(group: str, config_dir: Path | None) -> Path:
    return (config_dir if config_dir is not None else paths.CONFIG_DIR) / group


def model_ids(config_dir: Path | None = None) -> tuple[str, ...]:
    """The ids of ``conf/model/*.yaml``, sorted."""
    return tuple(sorted(path.stem for path in _folder("model", config_dir).glob("*.yaml")))


def dataset_ids(config_dir: Path | None = None) -> tuple[str, ...]:
    """The ids of the evaluation datasets of ``conf/data/*.yaml`` in the order their ``order`` keys give
    (the suite's column order; a config without one comes last), ties by id. A config with ``suite: false``
    is training data only (``corpus_ids``)."""
    ranked = []
    for path in _folder("data", config_dir).glob("*.yaml"):
        cfg = OmegaConf.load(path)
        if cfg.get("suite", True) is False:
            continue
        order = cfg.get("order")
        ranked.append((order is None, order if isinstance(order, int) else 0, path.stem))
    return tuple(name for _, _, name in sorted(ranked))


def data_config(data_id: str, config_dir: Path | None = None) -> DictConfig:
    """``conf/data/<data_id>.yaml``, unresolved; a missing one is one line naming it."""
    path = _folder("data", config_dir) / f"{data_id}.yaml"
    if not path.is_file():
        raise InputError(
            path, None, f"no data config {data_id!r} (conf/data/*.yaml: {', '.join(corpus_ids())})"
        )
    cfg = OmegaConf.load(path)
    assert isinstance(cfg, DictConfig)
    return cfg


def corpus_ids(config_dir: Path | None = None) -> tuple[str, ...]:
    """The ids of every ``conf/data/*.yaml``, training-only corpora included, sorted."""
    return tuple(sorted(path.stem for path in _folder("data", config_dir).glob("*.yaml")))
