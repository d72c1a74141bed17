"""Alignment between character spans and subword tokens, in both directions.

Tokens come from a fast tokenizer: ``offsets`` are half-open character ranges into the article text (the
project's one span convention) and ``word_ids`` say which pre-tokenizer word each subword belongs to. A word
is labelled through its first subword only; the other subwords are ignored in training and in decoding, so
a predicted span always covers whole words and never starts or ends inside one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.core.tags import OUTSIDE, token_chunks
from bench.schema import ENTITY_LABELS, Entity, Span

# Tag inventories. Index order is the order of the classifier outputs in every checkpoint: never reorder.
ENTITY_TAGS: tuple[str, ...] = (OUTSIDE, *(f"{p}-{label}" for label in ENTITY_LABELS for p in ("B", "I")))
CUE = "CUE"
CUE_TAGS: tuple[str, ...] = (OUTSIDE, f"B-{CUE}", f"I-{CUE}")


@dataclass(frozen=True)
class Tokens:
    """An article's subword tokens without special tokens: character offsets and the word of each."""

    offsets: tuple[tuple[int, int], ...]
    word_ids: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.offsets)

    def first_subwords(self) -> list[int]:
        """Indices of the tokens that start a word."""
        return [i for i, word in enumerate(self.word_ids) if i == 0 or word != self.word_ids[i - 1]]

    def word_range(self, first: int) -> tuple[int, int]:
        """Character range of the word that starts at token ``first`` (all its subwords)."""
        last = first
        while last + 1 < len(self) and self.word_ids[last + 1] == self.word_ids[first]:
            last += 1
        return self.offsets[first][0], self.offsets[last][1]

    def overlapping(self, span: Span) -> list[int]:
        """Indices of the tokens that share at least one character with ``span``."""
        return [i for i, (start, end) in enumerate(self.offsets) if start < span.end and span.start < end]


def decode_spans(text: str, tokens: Tokens, tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Per-token tags -> ``(start, end, type)`` character spans.

    Only each word's first-subword tag counts. Ill-formed sequences are repaired with conlleval's rule (an
    ``I-X`` that does not continue an X chunk opens one), and each span is trimmed of surrounding whitespace,
    which some tokenizers include in their offsets.
    """
    firsts = tokens.first_subwords()
    words = [tokens.word_range(i) for i in firsts]
    spans = []
    for begin, stop, kind in token_chunks([tags[i] for i in firsts]):
        start, end = trim(text, words[begin][0], words[stop - 1][1])
        if start < end:
            spans.append((start, end, kind))
    return spans


def decode_entities(text: str, tokens: Tokens, tags: Sequence[str]) -> tuple[Entity, ...]:
    return tuple(Entity(start, end, kind) for start, end, kind in decode_spans(text, tokens, tags))


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def encode_spans(tokens: Tokens, spans: Sequence[tuple[int, int, str]]) -> list[str | None]:
    """Gold ``(start, end, type)`` spans -> one BIO tag per token; ``None`` for non-first subwords.

    A word belongs to a span when its first character lies inside it; the span's first word gets ``B-``.
    """
    tags: list[str | None] = [None] * len(tokens)
    previous = None
    for index in tokens.first_subwords():
        start = tokens.offsets[index][0]
        span = next((s for s in spans if s[0] <= start < s[1]), None)
        tags[index] = OUTSIDE if span is None else f"{'I' if span == previous else 'B'}-{span[2]}"
        previous = span
    return tags
