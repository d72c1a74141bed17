"""Word-shape features for the uncased encoder's entity head, and the optional head that reads them."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from bench.models.transformers.multitask import MultiTaskTagger
from bench.models.transformers.orthography import FEATURES, shape_features
from bench.models.transformers.token_spans import ENTITY_TAGS, Tokens


def word_tokens(text: str, words: list[tuple[int, int, int]]) -> Tokens:
    """Tokens from (start, end, word id) triples, as a fast tokenizer would give them."""
    return Tokens(tuple((s, e) for s, e, _ in words), tuple(w for _, _, w in words))


def test_each_subword_gets_the_shape_of_its_whole_word() -> None:
    text = 'Shares fell. "NASA and iPhone 15 rose" in Boston'
    # "Shares" split in two subwords, "iPhone" in two: both halves carry the word's features.
    tokens = word_tokens(
        text,
        [(0, 3, 0), (3, 6, 0), (7, 11, 1), (11, 12, 2), (13, 14, 3), (14, 18, 4), (19, 22, 5),
         (23, 24, 6), (24, 29, 6), (30, 32, 7), (33, 37, 8), (37, 38, 9), (39, 41, 10), (42, 48, 11)],
    )  # fmt: skip
    rows = shape_features(text, tokens).tolist()
    named = {text[s:e]: row for (s, e), row in zip(tokens.offsets, rows, strict=True)}
    assert FEATURES == ("capitalised", "all_caps", "has_digit", "sentence_start")
    assert rows[0] == rows[1] == [1.0, 0.0, 0.0, 1.0]  # Sha|res: capitalised, starts the text
    assert named["NASA"] == [1.0, 1.0, 0.0, 1.0]  # after '. "': a sentence start
    assert rows[7] == rows[8] == [0.0, 0.0, 0.0, 0.0]  # i|Phone: the word starts lower-case
    assert named["15"] == [0.0, 0.0, 1.0, 0.0]
    assert named["Boston"] == [1.0, 0.0, 0.0, 0.0]  # mid-sentence capital: the name signal


def test_no_tokens_give_an_empty_matrix() -> None:
    assert shape_features("", Tokens((), ())).shape == (0, len(FEATURES))


def tiny_bert() -> Any:
    # Imported here: transformers takes ~5 s to import, which every test worker would pay at collection.
    from transformers import BertConfig, BertForTokenClassification

    torch.manual_seed(0)
    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, num_labels=len(ENTITY_TAGS))  # fmt: skip
    return BertForTokenClassification(config).eval()


def test_the_shape_head_starts_as_the_model_without_it_and_then_changes_the_logits() -> None:
    plain, shaped = (
        MultiTaskTagger(tiny_bert()).eval(),
        MultiTaskTagger(tiny_bert(), shape_features=True).eval(),
    )
    states = torch.randn(5, 16)
    shapes = torch.tensor([[1.0, 0, 0, 0]] * 5)
    assert torch.equal(plain.heads(states, []).entities, shaped.heads(states, [], shapes).entities)
    with torch.no_grad():
        shaped.shape_head.weight.fill_(1.0)  # type: ignore[union-attr]
    assert not torch.equal(plain.heads(states, []).entities, shaped.heads(states, [], shapes).entities)
    with pytest.raises(ValueError, match="needs the tokens' shape features"):
        shaped.heads(states, [])
    assert "shape_head.weight" in shaped.certainty_state() and "shape_head.weight" not in plain.state_dict()
