"""A Hugging Face token-classification checkpoint run over whole articles, one logit row per subword token.

The entity part and the cue part of ``model=hf`` are both one of these, so both tokenize, window and batch
articles through the same code (``encoding.WindowedEncoder``) and their predictions share its guarantees.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import torch

from bench.models.transformers.encoder import checkpoint_errors, quiet_transformers, windowed_encoder
from bench.models.transformers.encoding import Encoded, WindowedEncoder, tokenize
from bench.models.transformers.hub import locate
from bench.models.transformers.loading import load_model, load_tokenizer
from bench.models.transformers.multitask import TRAIN_MANIFEST
from bench.models.transformers.placement import Placement
from bench.schema import Article


class TokenClassifier:
    """Args:
    checkpoint: a local folder (relative to the project root) or a hub id, fetched at ``revision``.
    key: the config key that names it (``model.checkpoint``, ``model.cues_checkpoint``), for error messages.
    placement, max_length, stride, batch_size: where it computes and how articles are windowed.
    """

    def __init__(
        self,
        checkpoint: str,
        revision: str | None,
        key: str,
        placement: Placement,
        max_length: int,
        stride: int,
        batch_size: int,
    ) -> None:
        self.checkpoint = checkpoint
        self.revision = revision
        self.key = key
        self.placement = placement
        self.max_length = max_length
        self.stride = stride
        self.batch_size = batch_size

    @cached_property
    def folder(self) -> Path:
        return locate(self.checkpoint, self.revision, key=self.key)

    def weights_files(self) -> list[Path]:
        # A training record is no weight: it changes with the clock, the predictions do not.
        return sorted(p for p in self.folder.iterdir() if p.is_file() and p.name != TRAIN_MANIFEST)

    @cached_property
    def _loaded(self) -> tuple[Any, Any, WindowedEncoder]:
        from transformers import AutoModelForTokenClassification

        quiet_transformers()
        with checkpoint_errors(self.folder):
            model = load_model(AutoModelForTokenClassification, self.folder)
            tokenizer = load_tokenizer(self.folder)
        model.to(device=self.placement.device, dtype=self.placement.torch_dtype)
        window = (self.max_length, self.stride, self.batch_size)
        windowed = windowed_encoder(tokenizer, *window, self.folder, model.config)
        return model, tokenizer, windowed

    def labels(self) -> list[str]:
        """The checkpoint's ``config.id2label``, in output order."""
        id2label = self._loaded[0].config.id2label
        return [id2label[i] for i in range(len(id2label))]

    def logits(self, articles: Sequence[Article]) -> tuple[list[Encoded], list[torch.Tensor]]:
        """Per article, its tokens and their logits ``[tokens, labels]`` (in the placement's dtype)."""
        model, tokenizer, windowed = self._loaded
        encoded = [tokenize(tokenizer, article.text) for article in articles]
        device = self.placement.device
        with torch.inference_mode():
            forward = lambda ids, mask: model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits  # noqa: E731
            return encoded, windowed(forward, encoded)


def argmax_tags(logits: torch.Tensor, tags: Sequence[str]) -> list[str]:
    """Each token's best tag, decided in float32 whatever the model computed in."""
    return [tags[i] for i in logits.float().argmax(-1).tolist()]
