"""Claim certainty from any Hugging Face sequence-classification checkpoint.

Each gold claim is classified on its own text, or (``context: true``) as a pair with its article around it, so
that a model trained on sentence pairs sees where the claim sits. P(hedged) is the softmax mass of the
checkpoint labels that ``label_map`` sends to ``hedged``. One claim per forward pass: padding a batch changes
a claim's logits in the last bits, which would make its probability depend on the claims beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import torch

from bench.errors import InputError
from bench.models.base import certainty_label
from bench.models.transformers.encoder import checkpoint_errors
from bench.models.transformers.hub import CONFIG_FILE, locate
from bench.models.transformers.loading import load_model, load_tokenizer
from bench.models.transformers.placement import Placement
from bench.schema import CERTAINTY_LABELS, Article, ClaimPrediction

# Article text kept on each side of the claim in ``context`` mode (characters; the tokenizer truncates).
CONTEXT_CHARS = 600


class SequenceCertainty:
    """Args:
    checkpoint: a local folder or a hub id (with ``revision``) of a sequence-classification model.
    label_map: each of its ``config.id2label`` labels -> ``hedged`` or ``confirmed``; every label is needed.
    context: classify the claim as a pair with the article text around it, not alone.
    """

    def __init__(
        self,
        checkpoint: str,
        label_map: Mapping[str, str],
        placement: Placement,
        revision: str | None = None,
        context: bool = False,
        max_length: int = 256,
    ) -> None:
        bad = {label: target for label, target in label_map.items() if target not in CERTAINTY_LABELS}
        if bad:
            raise ValueError(
                f"model.certainty_label_map sends {bad} to something other than {CERTAINTY_LABELS}"
            )
        self.checkpoint = checkpoint
        self.revision = revision
        self.label_map = dict(label_map)
        self.placement = placement
        self.context = context
        self.max_length = max_length

    @cached_property
    def folder(self) -> Path:
        return locate(self.checkpoint, self.revision, key="model.certainty")

    def weights_files(self) -> list[Path]:
        return sorted(p for p in self.folder.iterdir() if p.is_file())

    @cached_property
    def _loaded(self) -> tuple[Any, Any, torch.Tensor]:
        from transformers import AutoModelForSequenceClassification

        with checkpoint_errors(self.folder):
            model = load_model(AutoModelForSequenceClassification, self.folder)
            tokenizer = load_tokenizer(self.folder)
        model.to(device=self.placement.device, dtype=self.placement.torch_dtype).eval()
        return model, tokenizer, self._hedged_mask(model.config.id2label)

    def _hedged_mask(self, id2label: Mapping[int, str]) -> torch.Tensor:
        labels = [id2label[i] for i in range(len(id2label))]
        missing = [label for label in labels if label not in self.label_map]
        if missing:
            message = f"model.certainty_label_map has no entry for the checkpoint's labels {missing}"
            raise InputError(CONFIG_FILE, None, message)
        return torch.tensor([self.label_map[label] == "hedged" for label in labels])

    def predict_claims(self, article: Article) -> tuple[ClaimPrediction, ...]:
        model, tokenizer, hedged = self._loaded
        out = []
        for claim in article.claims:
            text = article.text[claim.start : claim.end]
            pair = _context(article.text, claim.start, claim.end) if self.context else None
            inputs = tokenizer(text, pair, truncation=True, max_length=self.max_length, return_tensors="pt")
            with torch.inference_mode():
                logits = model(**{k: v.to(self.placement.device) for k, v in inputs.items()}).logits[0]
            p = round(float(torch.softmax(logits.float(), -1)[hedged].sum()), 6)
            out.append(ClaimPrediction(claim.start, claim.end, certainty_label(p), p, None))
        return tuple(out)


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS]
