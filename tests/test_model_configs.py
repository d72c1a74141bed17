"""Every ``conf/model/<id>.yaml`` composes and its arguments bind to its adapter's constructor.

The adapter's signature is the config's schema (README, "Developing"): a misspelt, missing or extra key fails
here, not in a user's run.
"""

from __future__ import annotations

import inspect

import pytest
from hydra import compose, initialize_config_dir
from hydra.utils import get_class, instantiate
from omegaconf import OmegaConf

from bench.core.paths import CONFIG_DIR
from bench.models.base import Model

MODEL_IDS = sorted(path.stem for path in (CONFIG_DIR / "model").glob("*.yaml"))


def compose_model(model_id: str, *overrides: str):
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        return compose("config", overrides=[f"model={model_id}", *overrides])


def test_the_expected_models_are_configured() -> None:
    assert {"lexicon", "spacy_sm", "tiny", "minilm", "hf"} <= set(MODEL_IDS)


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_config_binds_to_the_adapter_signature(model_id: str) -> None:
    cfg = compose_model(model_id)
    args = OmegaConf.to_container(cfg.model, resolve=False)
    assert isinstance(args, dict)
    cls = get_class(args.pop("_target_"))
    inspect.signature(cls).bind(**args)  # raises TypeError on a missing, unknown or misspelt argument


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_constructing_an_adapter_loads_nothing(model_id: str) -> None:
    # Constructors only store arguments, so this is fast and works without checkpoints (tiny, minilm).
    cfg = compose_model(model_id)
    model = instantiate(cfg.model)
    assert isinstance(model, Model)


def test_a_broken_config_fails_to_bind() -> None:
    # The check above must be able to fail: an unknown key does not bind.
    args = OmegaConf.to_container(compose_model("minilm").model, resolve=False)
    cls = get_class(args.pop("_target_"))
    with pytest.raises(TypeError):
        inspect.signature(cls).bind(**args, max_lenght=128)


def test_spacy_label_map_targets_are_benchmark_labels() -> None:
    from bench.schema import ENTITY_LABELS

    label_map = compose_model("spacy_sm").model.label_map
    assert set(label_map.values()) <= set(ENTITY_LABELS)
    assert label_map["PERSON"] == "PER" and label_map["GPE"] == "LOC" and label_map["NORP"] == "MISC"
    assert "DATE" not in label_map and "CARDINAL" not in label_map
