"""The benchmark's own transformer: one encoder pass per article, three heads over the same token states.

- entities: BIO tags over PER/ORG/LOC/MISC (the token-classification model's own classifier);
- cues: BIO tags over hedge cues;
- claims: P(hedged) from an attention-weighted pool of the claim's token states.

Optionally (``shape_features``) a linear head over each token's word shape (``orthography``) adds to the
entity logits: the uncased encoder's missing capitalisation signal.

A checkpoint folder is a standard ``AutoModelForTokenClassification`` folder (``config.json`` with the tag
names, ``model.safetensors``, tokenizer files), so any Hugging Face tool can read its entity half, plus
``certainty.safetensors`` with the cue and claim heads, and ``train_manifest.json`` describing its training.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file
from torch import nn

from bench.models.transformers.loading import load_model, load_tokenizer
from bench.models.transformers.orthography import FEATURES
from bench.models.transformers.token_spans import CUE_TAGS, ENTITY_TAGS

HEADS_FILE = "certainty.safetensors"
TRAIN_MANIFEST = "train_manifest.json"


@dataclass(frozen=True)
class HeadOutputs:
    """Logits for one article: per token ``[n, tags]`` for entities and cues, per claim ``[claims]``."""

    entities: torch.Tensor
    cues: torch.Tensor
    claims: torch.Tensor


class MultiTaskTagger(nn.Module):
    """A BERT token classifier with cue and claim heads. Our checkpoints are BERT (tiny, MiniLM), whose
    token-classification model names its parts ``dropout`` and ``classifier``."""

    def __init__(self, token_model: Any, shape_features: bool = False) -> None:
        super().__init__()
        hidden = token_model.config.hidden_size
        self.token_model = token_model
        self.cue_head = nn.Linear(hidden, len(CUE_TAGS))
        self.claim_scorer = nn.Linear(hidden, 1)
        self.claim_head = nn.Linear(hidden, 1)
        # Created last and only when asked: the other heads start from the same random numbers either way.
        self.shape_head = nn.Linear(len(FEATURES), len(ENTITY_TAGS), bias=False) if shape_features else None
        if self.shape_head is not None:
            nn.init.zeros_(self.shape_head.weight)  # starts as the model without it

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.token_model.base_model(
            input_ids=input_ids, attention_mask=attention_mask
        ).last_hidden_state

    def heads(
        self, states: torch.Tensor, claims: Sequence[Sequence[int]], shapes: torch.Tensor | None = None
    ) -> HeadOutputs:
        """``states`` are one article's token states; ``claims`` the token indices of each claim; ``shapes``
        its ``orthography.shape_features`` (used only by a model with a shape head, which needs them)."""
        states = self.token_model.dropout(states)
        logits = [self._claim_logit(states[list(indices)]) for indices in claims]
        entities = self.token_model.classifier(states)
        if self.shape_head is not None:
            if shapes is None:
                raise ValueError("this model has a shape head: heads() needs the tokens' shape features")
            entities = entities + self.shape_head(shapes.to(device=states.device, dtype=states.dtype))
        return HeadOutputs(
            entities=entities,
            cues=self.cue_head(states),
            claims=torch.stack(logits) if logits else states.new_zeros(0),
        )

    def _claim_logit(self, states: torch.Tensor) -> torch.Tensor:
        # Attention pooling: a hedge usually rests on one or two words, which a plain mean would dilute.
        weights = torch.softmax(self.claim_scorer(states).squeeze(-1), dim=0)
        pooled = weights @ states if len(states) else states.new_zeros(states.shape[-1])
        return self.claim_head(pooled).squeeze(-1)

    def certainty_state(self) -> dict[str, torch.Tensor]:
        return {k: v for k, v in self.state_dict().items() if not k.startswith("token_model.")}


def load_multitask(folder: Path) -> tuple[MultiTaskTagger, Any]:
    """A saved checkpoint -> (model in eval mode, fast tokenizer)."""
    from transformers import AutoModelForTokenClassification

    # First: its errors name the config.
    token_model = load_model(AutoModelForTokenClassification, folder)
    heads = load_file(folder / HEADS_FILE)
    model = MultiTaskTagger(token_model, shape_features=any(key.startswith("shape_head.") for key in heads))
    unexpected = model.load_state_dict(heads, strict=False).unexpected_keys
    missing = sorted(set(model.certainty_state()) - set(heads))
    if missing or unexpected:
        raise ValueError(
            f"{folder / HEADS_FILE} does not fit the heads: missing {missing}, unexpected {unexpected}"
        )
    return model.eval(), load_tokenizer(folder)
