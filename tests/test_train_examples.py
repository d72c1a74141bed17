"""Training pieces without training: the tiny tokenizer, examples per task, losses, configs, selection."""

from __future__ import annotations

import inspect

import pytest
import torch
from hydra import compose, initialize_config_dir
from hydra.utils import get_class
from omegaconf import OmegaConf

from bench.core.paths import CONFIG_DIR
from bench.models.transformers.encoding import Specials, tokenize
from bench.models.transformers.token_spans import CUE_TAGS, ENTITY_TAGS
from bench.schema import Article, Claim, Entity, Prediction, Span
from bench.training.examples import IGNORE, allowed_tags, make_example
from bench.training.loop import Recipe, _annotated_only, _token_loss
from bench.training.selection import dev_scores
from bench.training.wordpiece import build_tokenizer, build_vocab, count_words

TEXT = "Peter Novak may visit Lagos. Harbor Bank opened an office."


def article() -> Article:
    may = TEXT.index("may")
    return Article(
        "a",
        "t",
        TEXT,
        "business",
        (Entity(0, 11, "PER"), Entity(22, 27, "LOC"), Entity(29, 40, "ORG")),
        (Claim(0, 28, "hedged", (Span(may, may + 3),)), Claim(29, len(TEXT), "confirmed")),
    )


@pytest.fixture(scope="module")
def tokenizer():
    return build_tokenizer([TEXT, "Lagos and Oslo."], vocab_size=200)


def test_vocabulary_is_deterministic_cased_and_falls_back_to_characters(tokenizer) -> None:
    counts = count_words([TEXT, "Lagos and Oslo."])
    assert build_vocab(counts, 200) == build_vocab(counts, 200)
    vocab = build_vocab(counts, 200)
    assert list(vocab)[:5] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    assert "Lagos" in vocab and "lagos" not in vocab
    pieces = tokenizer.tokenize("Lagosian")  # unseen word: whole-word piece, then continuation characters
    assert pieces[0] == "Lagos" and all(piece.startswith("##") for piece in pieces[1:])


def test_tiny_tokenizer_gives_offsets_and_bert_specials(tokenizer) -> None:
    encoded = tokenize(tokenizer, TEXT)
    assert [TEXT[s:e] for s, e in encoded.tokens.offsets[:3]] == ["Peter", "Novak", "may"]
    specials = Specials.of(tokenizer)
    assert specials.prefix == (tokenizer.cls_token_id,) and specials.suffix == (tokenizer.sep_token_id,)


def test_example_labels_every_task_the_dataset_annotates(tokenizer) -> None:
    example = make_example(tokenizer, article(), ("entities", "claims"))
    entity_tags = [ENTITY_TAGS[i] for i in example.entity_labels.tolist() if i != IGNORE]
    assert entity_tags[:5] == ["B-PER", "I-PER", "O", "O", "B-LOC"]
    assert [CUE_TAGS[i] for i in example.cue_labels.tolist() if i != IGNORE][:3] == ["O", "O", "B-CUE"]
    assert len(example.claims) == 2 and example.hedged.tolist() == [1.0, 0.0]


def test_a_dataset_without_claims_teaches_no_certainty(tokenizer) -> None:
    example = make_example(tokenizer, article(), ("entities",))  # as Wikigold
    assert example.claims == () and example.hedged.numel() == 0
    assert (example.cue_labels == IGNORE).all(), "missing cue annotation must not read as 'no cue'"
    assert (example.entity_labels != IGNORE).any()


def test_a_dataset_without_entities_teaches_no_entities(tokenizer) -> None:
    example = make_example(tokenizer, article(), ("claims",))  # as BioScope
    assert (example.entity_labels == IGNORE).all(), "missing entity annotation must not read as 'no entity'"
    assert len(example.claims) == 2


def test_token_loss_of_an_unlabelled_batch_is_zero_not_nan() -> None:
    logits = torch.randn(4, 3, requires_grad=True)
    loss = _token_loss(logits, torch.full((4,), IGNORE))
    assert loss.item() == 0.0
    loss.backward()  # still part of the graph
    assert _token_loss(logits, torch.tensor([0, 1, IGNORE, 2])).item() > 0


@pytest.mark.parametrize("model_id", sorted(p.stem for p in (CONFIG_DIR / "train").glob("*.yaml")))
def test_every_training_recipe_composes_and_binds(model_id: str) -> None:
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("train", overrides=[f"model={model_id}"])
    assert cfg.model._target_ == "bench.models.transformers.encoder.EncoderModel"
    recipe = OmegaConf.to_container(cfg.train, resolve=True)
    base = recipe.pop("base")
    Recipe(**recipe)
    base_cls = get_class(base.pop("_target_"))
    inspect.signature(base_cls).bind(**base)
    assert set(recipe["loss_weights"]) == {"entities", "cues", "claims"}


def test_dev_selection_score_is_the_mean_of_entity_and_hedged_f1() -> None:
    gold = article()
    right = Prediction("a", gold.entities[:2], ())
    from bench.schema import ClaimPrediction

    claims = (ClaimPrediction(0, 28, "hedged", 0.9), ClaimPrediction(29, len(TEXT), "hedged", 0.8))
    scores = dev_scores([gold], [Prediction("a", right.entities, claims)])
    assert scores["entity_f1"] == pytest.approx(2 * 2 / (2 * 2 + 0 + 1))
    assert scores["hedged_f1"] == pytest.approx(2 * 1 / (2 * 1 + 1 + 0))
    assert scores["selection"] == pytest.approx((scores["entity_f1"] + scores["hedged_f1"]) / 2)


# --- issue 28: a corpus teaches only the entity types it annotates ----------------------------------------


def test_a_corpus_without_misc_allows_every_tag_but_misc() -> None:
    allowed = allowed_tags(("PER", "ORG", "LOC"))
    assert allowed is not None
    assert [tag for tag, ok in zip(ENTITY_TAGS, allowed.tolist(), strict=True) if not ok] == [
        "B-MISC",
        "I-MISC",
    ]
    assert allowed_tags(("PER", "ORG", "LOC", "MISC")) is None and allowed_tags(None) is None


def test_misc_is_neither_taught_nor_punished_where_a_corpus_does_not_annotate_it(tokenizer) -> None:
    """The masked loss equals a cross-entropy over the annotated tags only, computed here by hand, and the
    MISC logits get no gradient; an example of a fully annotated corpus keeps the plain loss."""
    uner_like = make_example(tokenizer, article(), ("entities",), entity_labels=("PER", "ORG", "LOC"))
    full = make_example(tokenizer, article(), ("entities",))
    tokens = len(uner_like.entity_labels)
    logits = torch.randn(tokens, len(ENTITY_TAGS), generator=torch.Generator().manual_seed(3))
    logits.requires_grad_(True)
    masked = _token_loss(_annotated_only([logits], [uner_like]), uner_like.entity_labels)
    keep = [i for i, tag in enumerate(ENTITY_TAGS) if not tag.endswith("MISC")]
    labelled = uner_like.entity_labels != IGNORE
    by_hand = -torch.log_softmax(logits[:, keep], dim=-1)[labelled, uner_like.entity_labels[labelled]].mean()
    assert masked.item() == pytest.approx(by_hand.item(), rel=1e-6)
    masked.backward()
    misc = [i for i, tag in enumerate(ENTITY_TAGS) if tag.endswith("MISC")]
    assert (logits.grad[:, misc] == 0).all() and (logits.grad[:, keep] != 0).any()
    plain = _token_loss(_annotated_only([logits], [full]), full.entity_labels)
    assert plain.item() == pytest.approx(_token_loss(logits, full.entity_labels).item())
    assert plain.item() != pytest.approx(masked.item())
