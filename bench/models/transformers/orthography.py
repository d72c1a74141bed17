"""What an uncased encoder cannot see: the shape of each word in the original text.

All-MiniLM-L6-v2 lower-cases its input, so "Apple" and "apple", "US" and "us" reach it as the same tokens. An
optional linear entity head over a few orthographic features of each token's word, added to the encoder's
entity logits (the same as concatenating the features to the token states before a linear classifier), gives
the entity tagger that signal back.
"""

from __future__ import annotations

import torch

from bench.models.transformers.token_spans import Tokens

FEATURES = ("capitalised", "all_caps", "has_digit", "sentence_start")
_OPENERS = " \t\"'“‘([«"  # skipped when looking back for a sentence boundary
_BOUNDARY = ".!?:\n"


def shape_features(text: str, tokens: Tokens) -> torch.Tensor:
    """``[tokens, len(FEATURES)]`` float32: each token gets the features of its whole word."""
    rows: list[list[float]] = []
    word: list[float] = []
    for index in range(len(tokens)):
        if index == 0 or tokens.word_ids[index] != tokens.word_ids[index - 1]:
            start, end = tokens.word_range(index)
            word = _word_shape(text, start, end)
        rows.append(word)
    return torch.tensor(rows, dtype=torch.float32).reshape(len(tokens), len(FEATURES))


def _word_shape(text: str, start: int, end: int) -> list[float]:
    surface = text[start:end]
    letters = [c for c in surface if c.isalpha()]
    return [
        float(surface[:1].isupper()),
        float(len(letters) >= 2 and all(c.isupper() for c in letters)),
        float(any(c.isdigit() for c in surface)),
        float(_starts_sentence(text, start)),
    ]


def _starts_sentence(text: str, start: int) -> bool:
    """True when only spaces and opening quotes or brackets separate ``start`` from the text's start, a
    line break or sentence-final punctuation: there a capital says nothing about a name."""
    position = start - 1
    while position >= 0 and text[position] in _OPENERS:
        position -= 1
    return position < 0 or text[position] in _BOUNDARY
