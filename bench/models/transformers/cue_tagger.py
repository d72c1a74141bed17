"""Hedge-cue spans from any Hugging Face token-classification checkpoint (``model.cues_checkpoint``).

Each article is tagged whole (windowed like the entities), the tags whose type ``model.cues_label`` names
become character spans (``token_spans.decode_spans``: whole words, conlleval's chunk rules), and each claim
gets the spans that lie wholly inside it. A span that crosses a claim boundary is dropped, not clipped: the
project's own encoders (``MultiTaskPredictor``) do the same, so cue scores of ``hf`` and ``tiny``/``minilm``
mean the same thing, and a clipped piece would be a span the model never predicted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import torch

from bench.core.tags import OUTSIDE, split_tag
from bench.errors import InputError
from bench.models.transformers.hub import CONFIG_FILE
from bench.models.transformers.token_classifier import TokenClassifier, argmax_tags
from bench.models.transformers.token_spans import CUE, decode_spans
from bench.schema import Article, ClaimPrediction, Span


class CueTagger:
    """Args:
    tagger: the cue checkpoint.
    cue_types: its tag types that mean "cue" (``CUE`` for ``B-CUE``/``I-CUE``); every one must exist.
    """

    def __init__(self, tagger: TokenClassifier, cue_types: Sequence[str]) -> None:
        self.tagger = tagger
        self.cue_types = tuple(cue_types)

    def weights_files(self) -> list[Path]:
        return self.tagger.weights_files()

    @cached_property
    def _tags(self) -> list[str]:
        return cue_tags(self.tagger.labels(), self.cue_types)

    def cues(self, articles: Sequence[Article]) -> list[list[Span]]:
        """Per article, its predicted cue spans, in text order."""
        tags = self._tags
        encoded, logits = self.tagger.logits(articles)
        return [
            [Span(start, end) for start, end, _ in decode_spans(a.text, e.tokens, argmax_tags(scores, tags))]
            for a, e, scores in zip(articles, encoded, logits, strict=True)
        ]

    def logits(self, articles: Sequence[Article]) -> list[torch.Tensor]:
        return [scores.float() for scores in self.tagger.logits(articles)[1]]


def cue_tags(labels: Sequence[str], cue_types: Sequence[str]) -> list[str]:
    """The checkpoint's tags -> ``B-CUE``-style tags (``B``/``I``/``E``/``S`` kept) for the cue types, else
    ``O``. A cue type the checkpoint does not have is a mistyped config, not "no cues": it is refused."""
    split = [_split(label) for label in labels]
    kinds = sorted({kind for _, kind in split if kind})
    unknown = [kind for kind in cue_types if kind not in kinds]
    if unknown:
        message = f"model.cues_label {unknown} not among the cue checkpoint's tag types {kinds}"
        raise InputError(CONFIG_FILE, None, message)
    return [f"{prefix}-{CUE}" if kind in cue_types else OUTSIDE for prefix, kind in split]


def _split(label: str) -> tuple[str, str]:
    try:
        return split_tag(label)
    except ValueError:
        message = f"cue checkpoint label {label!r} is not O or B-/I-/E-/S-TYPE"
        raise InputError(CONFIG_FILE, None, message) from None


def with_cues(claims: Sequence[ClaimPrediction], cues: Sequence[Span]) -> tuple[ClaimPrediction, ...]:
    """Each claim with the cues wholly inside it; a cue outside all claims or across a boundary is dropped."""
    return tuple(
        replace(claim, cues=tuple(cue for cue in cues if Span(claim.start, claim.end).contains(cue)))
        for claim in claims
    )
