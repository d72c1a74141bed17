"""Articles -> per-token encoder outputs, through windows batched by length.

Windows are batched only with windows of exactly the same length, so nothing is ever padded. Padding is not
free here: it changes a window's outputs in the last float bits (measured on MiniLM, ~1e-6), which would
make an article's prediction depend on which other articles shared its batch, and a run resumed from the
prediction cache differ from an uninterrupted one. Equal-length batches gave bit-identical outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from bench.models.transformers.token_spans import Tokens
from bench.models.transformers.windows import Window, plan_windows

# (input_ids, attention_mask) -> per-position outputs [batch, length, features]
Forward = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class Encoded:
    """A tokenized article: subword ids without special tokens, and their alignment to the text."""

    ids: tuple[int, ...]
    tokens: Tokens


@dataclass(frozen=True)
class Specials:
    """The special-token ids a tokenizer puts before and after a single sequence."""

    prefix: tuple[int, ...]
    suffix: tuple[int, ...]

    @classmethod
    def of(cls, tokenizer: Any) -> Specials:
        probe = tokenizer("a", add_special_tokens=True, return_special_tokens_mask=True)
        ids, mask = probe["input_ids"], probe["special_tokens_mask"]
        content = [i for i, special in enumerate(mask) if not special]
        return cls(tuple(ids[: content[0]]), tuple(ids[content[-1] + 1 :]))

    def __len__(self) -> int:
        return len(self.prefix) + len(self.suffix)


def tokenize(tokenizer: Any, text: str) -> Encoded:
    encoding = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, truncation=False)
    word_ids = encoding.word_ids()
    # A token without a word (none in BERT-style tokenizers) is given its own word, never merged with others.
    words = tuple(-1 - i if w is None else w for i, w in enumerate(word_ids))
    offsets = tuple((int(s), int(e)) for s, e in encoding["offset_mapping"])
    return Encoded(tuple(encoding["input_ids"]), Tokens(offsets, words))


@dataclass(frozen=True)
class WindowedEncoder:
    """Runs ``forward`` over every window of every article and reassembles one output row per token."""

    specials: Specials
    max_length: int
    stride: int
    batch_size: int

    def __call__(self, forward: Forward, articles: Sequence[Encoded]) -> list[torch.Tensor]:
        size = self.max_length - len(self.specials)
        plans = [plan_windows(len(article.ids), size, self.stride) for article in articles]
        jobs = [(a, w) for a, plan in enumerate(plans) for w in range(len(plan))]
        # Longest first; equal lengths keep (article, window) order, so batches are a function of the input.
        jobs.sort(key=lambda job: -len(plans[job[0]][job[1]]))
        outputs: dict[tuple[int, int], torch.Tensor] = {}
        for batch in _equal_length_batches(jobs, plans, self.batch_size):
            ids = torch.tensor([self._window_ids(articles[a], plans[a][w]) for a, w in batch])
            out = forward(ids, torch.ones_like(ids))
            for row, job in enumerate(batch):
                outputs[job] = out[row, len(self.specials.prefix) : out.shape[1] - len(self.specials.suffix)]
        return [_assemble(plan, [outputs[(a, w)] for w in range(len(plan))]) for a, plan in enumerate(plans)]

    def _window_ids(self, article: Encoded, window: Window) -> list[int]:
        return [*self.specials.prefix, *article.ids[window.begin : window.end], *self.specials.suffix]


def _equal_length_batches(
    jobs: list[tuple[int, int]], plans: list[list[Window]], batch_size: int
) -> list[list[tuple[int, int]]]:
    batches: list[list[tuple[int, int]]] = []
    for job in jobs:
        length = len(plans[job[0]][job[1]])
        last = batches[-1] if batches else None
        if last and len(last) < batch_size and len(plans[last[0][0]][last[0][1]]) == length:
            last.append(job)
        else:
            batches.append([job])
    return batches


def _assemble(plan: list[Window], window_outputs: list[torch.Tensor]) -> torch.Tensor:
    """Concatenate each window's kept rows: one row per article token, in token order."""
    parts = [
        out[w.keep_begin - w.begin : w.keep_end - w.begin]
        for w, out in zip(plan, window_outputs, strict=True)
    ]
    return torch.cat(parts)  # a plan always has a window, even for an empty article
