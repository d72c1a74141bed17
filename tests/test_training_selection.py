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


# --- issue 28: all of the large corpora, sampled per epoch; fractions for the learning curve --------------


def test_minilm_wide_is_minilm_reals_recipe_on_the_licence_clean_human_annotation() -> None:
    cfg = train_config("model=minilm_wide")
    real = train_config("model=minilm_real")
    assert cfg.train == real.train and cfg.select_on == real.select_on and cfg.calibrate_certainty
    assert set(cfg.extra_data) == {"wikigold", "uner_ewt", "gum_other", "bioscope", "szeged_wiki"}
    assert "gum_other_nc" not in cfg.extra_data, "non-commercial texts are opt-in"
    assert all(cap_of(cfg.extra_max_articles, data_id) is None for data_id in cfg.extra_data)
    assert set(cfg.extra_per_epoch) == {"bioscope", "szeged_wiki"} and cfg.entity_fraction == 1.0


@requires_shared("gum_other")
def test_an_entity_fraction_is_nested_spans_the_genres_and_leaves_claim_corpora_whole() -> None:
    import hashlib

    from bench.training.mixture import kept_articles, load_data

    gum = load_data("gum_other")
    quarter, half, whole = (kept_articles(gum, None, f) for f in (0.25, 0.5, 1.0))
    assert (len(quarter), len(half), len(whole)) == (16, 32, 65)  # round(65 f)
    assert {a.id for a in quarter} < {a.id for a in half} < {a.id for a in whole}
    assert {a.topic for a in quarter} == {"academic", "bio", "court", "voyage"}
    assert [a.id for a in quarter] == sorted(a.id for a in quarter)
    first = min(whole, key=lambda a: hashlib.sha256(a.id.encode()).hexdigest())
    assert first in quarter  # the fixed shuffle is the ids' sha256 order
    assert kept_articles(gum, 10, 1.0) == whole[:10]


@requires_shared("bioscope")
def test_a_per_epoch_sample_larger_than_its_corpus_is_one_line() -> None:
    cfg = train_config("model=minilm_wide", "extra_data=[bioscope]", "extra_max_articles.bioscope=30")
    with pytest.raises(InputError, match=r"extra_per_epoch.bioscope is 40; bioscope has 30 articles"):
        training_corpora(cfg)


@requires_shared("uner_ewt")
def test_the_manifest_records_each_corpus_its_share_its_sample_and_its_licence() -> None:
    cfg = train_config("model=minilm_wide", "extra_data=[uner_ewt,bioscope]", "entity_fraction=0.5")
    corpora, _ = training_corpora(cfg)
    described = {c.loaded.id: c.describe() for c in corpora}
    uner, bioscope = described["uner_ewt"], described["bioscope"]
    assert (uner["articles"], uner["available"], uner["per_epoch"]) == (159, 318, None)
    assert uner["entity_labels"] == ["PER", "ORG", "LOC"] and uner["licence"].startswith("CC BY-SA 4.0")
    assert (bioscope["articles"], bioscope["available"], bioscope["per_epoch"]) == (1273, 1273, 40)
    assert described["news"]["articles"] == 69  # the benchmark's own train split is never a fraction
