"""Training data and model selection without training: select_on, per-corpus caps, attribution masking,
and the checkpoint guard (issue 12)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from helpers import requires_shared
from hydra import compose, initialize_config_dir
from omegaconf import DictConfig

from bench.core.paths import CONFIG_DIR, resolve
from bench.errors import InputError
from bench.models.transformers.encoding import Specials, WindowedEncoder
from bench.models.transformers.multitask import MultiTaskTagger
from bench.models.transformers.token_spans import ENTITY_TAGS
from bench.schema import Article, Claim, Span
from bench.training.bases import TinyBase
from bench.training.examples import IGNORE, make_example
from bench.training.loop import batch_loss
from bench.training.mixture import DevSet, cap_of, selection_dev, training_corpora
from bench.training.train import require_own_checkpoint

TEXT = "Officials said the bridge collapsed. The dam may fail. The road reopened."


def train_config(*overrides: str) -> DictConfig:
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        return compose("train", overrides=list(overrides), return_hydra_config=True)


def claims_article() -> Article:
    may = TEXT.index("may")
    first, second = TEXT.index("The dam"), TEXT.index("The road")
    return Article(
        "s",
        "t",
        TEXT,
        "wikipedia",
        (),
        (
            Claim(0, first - 1, "confirmed"),  # "Officials said ...": hedged under this project's guidelines
            Claim(first, second - 1, "hedged", (Span(may, may + 3),)),
            Claim(second, len(TEXT), "confirmed"),
        ),
    )


@pytest.fixture(scope="module")
def tokenizer():
    from bench.training.wordpiece import build_tokenizer

    return build_tokenizer([TEXT], vocab_size=200)


def test_default_selection_is_the_training_datas_own_dev() -> None:
    cfg = train_config("model=minilm")
    assert cfg.select_on is None and list(cfg.extra_data) == []
    own = DevSet("news", "f" * 64, [])
    assert selection_dev(None, own) is own and selection_dev("news", own) is own


def test_minilm_real_selects_on_real_news_and_has_its_own_checkpoint() -> None:
    cfg = train_config("model=minilm_real")
    assert cfg.select_on == "news_real"
    assert list(cfg.extra_data) == ["wikigold", "bioscope", "szeged_wiki"]
    assert set(cfg.attribution_unmarked) == {"bioscope", "szeged_wiki"}
    assert all(cap_of(cfg.extra_max_articles, data_id) > 0 for data_id in cfg.extra_data)
    assert resolve(cfg.model.checkpoint) == resolve("results/checkpoints/minilm_real")
    # minilm's recipe, on more data, selected and calibrated on real-news dev (results/ablation.md, row (h)).
    assert cfg.train == train_config("model=minilm").train
    assert cfg.calibrate_certainty is True and train_config("model=minilm").calibrate_certainty is False


def test_checkpoint_of_another_model_is_refused() -> None:
    cfg = train_config("model=minilm_real", "model.checkpoint=results/checkpoints/minilm")
    cfg.model_id = "minilm_real"  # as Hydra resolves it from the model choice at run time
    with pytest.raises(InputError, match="minilm.yaml's checkpoint"):
        require_own_checkpoint(cfg)
    own = train_config("model=minilm")
    own.model_id = "minilm"
    require_own_checkpoint(own)  # retraining a model into its own folder is what training is for


def test_external_corpus_without_a_cap_is_refused() -> None:
    with pytest.raises(InputError, match="extra_max_articles.uner_pud"):
        cap_of({"wikigold": 10}, "uner_pud")


@requires_shared("gum")  # news_real rebuilds its text from GUM and re3d
def test_select_on_reads_a_dev_split_never_a_test_split() -> None:
    own = DevSet("news", "f" * 64, [])
    dev = selection_dev("news_real", own)
    assert dev.data_id == "news_real" and len(dev.articles) == 31
    assert dev.describe()["split"] == "dev"


@requires_shared("wikigold")
def test_select_on_a_dataset_without_dev_is_refused() -> None:
    with pytest.raises(InputError, match="dev split"):
        selection_dev("wikigold", DevSet("news", "f" * 64, []))


@requires_shared("wikigold")
def test_select_on_a_training_corpus_is_refused() -> None:
    cfg = train_config("model=minilm", "extra_data=[wikigold]", "select_on=wikigold")
    with pytest.raises(InputError, match="both training data and select_on"):
        training_corpora(cfg)


def test_unmarked_attribution_masks_confirmed_certainty_and_cues(tokenizer) -> None:
    example = make_example(tokenizer, claims_article(), ("claims",), attribution_unmarked=True)
    assert example.trusted.tolist() == [False, True, True]
    assert (example.cue_labels[list(example.claims[0])] == IGNORE).all()
    assert (example.cue_labels[list(example.claims[1])] != IGNORE).all(), "the modal cue is still taught"
    plain = make_example(tokenizer, claims_article(), ("claims",))
    assert plain.trusted.all() and (plain.cue_labels != IGNORE).all()


def test_untrusted_claims_add_nothing_to_the_loss(tokenizer) -> None:
    torch.manual_seed(0)
    token_model, _ = TinyBase(hidden_size=16, intermediate_size=32).build([TEXT], ENTITY_TAGS)
    model = MultiTaskTagger(token_model).eval()  # eval: no dropout, so two passes give the same logits
    windowed = WindowedEncoder(Specials.of(tokenizer), 64, 16, 4)
    weights = {"entities": 0.0, "cues": 0.0, "claims": 1.0}
    masked = make_example(tokenizer, claims_article(), ("claims",), attribution_unmarked=True)
    flipped = replace(masked, hedged=torch.tensor([1.0, 1.0, 0.0]))  # the masked claim's label flipped
    plain = make_example(tokenizer, claims_article(), ("claims",))
    with torch.no_grad():
        loss = batch_loss(model, windowed, [masked], weights).item()
        assert batch_loss(model, windowed, [flipped], weights).item() == loss
        assert batch_loss(model, windowed, [plain], weights).item() != loss
