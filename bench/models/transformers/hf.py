"""Adapter for any Hugging Face checkpoints: each a hub id at a pinned commit, or a folder.

Entities come from a token-classification checkpoint's tags (``config.id2label``: ``O`` and
``B-/I-/E-/S-TYPE``) with ``TYPE`` mapped to the CoNLL labels by the config's ``label_map``. Claim certainty
comes from a sequence-classification checkpoint when ``certainty`` names one (``sequence_certainty``), else
from the hedge-cue lexicon.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import torch

from bench.core.paths import resolve
from bench.core.tags import OUTSIDE, split_tag
from bench.errors import InputError
from bench.models.rules.hedge_lexicon import HedgeLexicon
from bench.models.transformers import encoding, token_spans, windows
from bench.models.transformers.encoder import (
    check_windows,
    checkpoint_errors,
    quiet_transformers,
    windowed_encoder,
)
from bench.models.transformers.encoding import Encoded, WindowedEncoder, tokenize
from bench.models.transformers.hub import locate
from bench.models.transformers.placement import Placement
from bench.models.transformers.sequence_certainty import SequenceCertainty
from bench.models.transformers.token_spans import decode_entities
from bench.schema import ENTITY_LABELS, Article, Prediction


class HfTokenClassifier:
    """A token-classification checkpoint for entities, the hedge-cue lexicon for certainty.

    Args:
        checkpoint: a local folder (relative to the project root) or a hub id; must be given.
        label_map: the checkpoint's entity types -> CoNLL labels; types not listed are dropped.
        cues: hedge-cue lexicon (``cue<TAB>weight``) for claim certainty, relative to the project root.
        revision: for a hub id, the 40-hex commit to fetch (required: no unpinned hub fetches); unused for a
            local folder.
        prior_hedged: P(hedged) of a claim with no lexicon cue.
        max_length, stride, batch_size, device, dtype: windowing, and where and in which precision to compute,
            as in ``bench.models.transformers.encoder.EncoderModel``.
        certainty: a sequence-classification checkpoint (folder or hub id) for claim certainty; None: the
            lexicon. ``certainty_revision``, ``certainty_label_map`` (its labels -> hedged/confirmed) and
            ``certainty_context`` (classify the claim with its article around it) go with it.
    """

    def __init__(
        self,
        checkpoint: str | None,
        label_map: Mapping[str, str],
        cues: str,
        revision: str | None = None,
        prior_hedged: float = 0.1,
        max_length: int = 512,
        stride: int = 128,
        batch_size: int = 8,
        device: str = "auto",
        dtype: str = "float32",
        certainty: str | None = None,
        certainty_revision: str | None = None,
        certainty_label_map: Mapping[str, str] | None = None,
        certainty_context: bool = False,
    ) -> None:
        check_windows(max_length, stride, batch_size)
        self._placement = Placement.resolve(device, dtype)
        self.checkpoint = checkpoint
        self.label_map = dict(label_map)
        self.revision = revision
        self.cues_path = resolve(cues)
        self.certainty: HedgeLexicon | SequenceCertainty = (
            HedgeLexicon(self.cues_path, prior_hedged)
            if certainty is None
            else SequenceCertainty(
                certainty, certainty_label_map or {}, self._placement, certainty_revision, certainty_context
            )
        )
        self.max_length = max_length
        self.stride = stride
        self.batch_size = batch_size

    @cached_property
    def folder(self) -> Path:
        if self.checkpoint is None:
            raise InputError(
                "conf/model/hf.yaml", None, "say which checkpoint: model.checkpoint=<folder or hub id>"
            )
        return locate(self.checkpoint, self.revision)

    def placement(self) -> dict[str, str] | None:
        return self._placement.record()

    def use_threads(self, threads: int) -> int | None:
        torch.set_num_threads(threads)
        return torch.get_num_threads()

    def weights_parts(self) -> dict[str, list[Path]]:
        """The files of each part (entities, certainty), each hashed on its own into the manifest."""
        entities = sorted(p for p in self.folder.iterdir() if p.is_file() and p.name != "train_manifest.json")
        lexicon = isinstance(self.certainty, HedgeLexicon)
        return {
            "entities": entities,
            "certainty": [self.cues_path] if lexicon else self.certainty.weights_files(),
        }

    def weights_files(self) -> list[Path]:
        parts = self.weights_parts()
        code = [Path(inspect.getfile(m)) for m in (encoding, token_spans, windows, HedgeLexicon)]
        return [*parts["entities"], *parts["certainty"], *code, Path(__file__)]

    @cached_property
    def _loaded(self) -> tuple[Any, Any, WindowedEncoder, list[str]]:
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        quiet_transformers()
        with checkpoint_errors(self.folder):
            model = AutoModelForTokenClassification.from_pretrained(self.folder, use_safetensors=True).eval()
            tokenizer = AutoTokenizer.from_pretrained(self.folder)
        model.to(device=self._placement.device, dtype=self._placement.torch_dtype)
        windowed = windowed_encoder(tokenizer, self.max_length, self.stride, self.batch_size, self.folder)
        id2label = model.config.id2label
        tags = [map_tag(id2label[i], self.label_map) for i in range(len(id2label))]
        return model, tokenizer, windowed, tags

    def predict(self, articles: Sequence[Article]) -> list[Prediction]:
        tags = self._loaded[3]
        encoded, logits = self._entity_logits(articles)
        predictions = []
        for article, enc, scores in zip(articles, encoded, logits, strict=True):
            token_tags = [tags[i] for i in scores.float().argmax(-1).tolist()]  # decided in float32
            entities = decode_entities(article.text, enc.tokens, token_tags)
            predictions.append(Prediction(article.id, entities, self.certainty.predict_claims(article)))
        return predictions

    def logits(self, articles: Sequence[Article]) -> list[dict[str, torch.Tensor]]:
        """Per article, the float32 entity logits (certainty comes from the lexicon: no logits)."""
        return [{"entities": scores.float()} for scores in self._entity_logits(articles)[1]]

    def _entity_logits(self, articles: Sequence[Article]) -> tuple[list[Encoded], list[torch.Tensor]]:
        model, tokenizer, windowed, _ = self._loaded
        encoded = [tokenize(tokenizer, article.text) for article in articles]
        device = self._placement.device
        with torch.inference_mode():
            forward = lambda ids, mask: model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits  # noqa: E731
            return encoded, windowed(forward, encoded)


def map_tag(tag: str, label_map: Mapping[str, str]) -> str:
    """A checkpoint tag -> a benchmark tag: ``B-PERSON`` with ``{PERSON: PER}`` -> ``B-PER``; else ``O``."""
    try:
        prefix, kind = split_tag(tag)
    except ValueError:
        raise InputError(
            "conf/model/hf.yaml", None, f"checkpoint label {tag!r} is not O or B-/I-/E-/S-TYPE"
        ) from None
    target = label_map.get(kind)
    if prefix == OUTSIDE or target is None:
        return OUTSIDE
    if target not in ENTITY_LABELS:
        raise InputError(
            "conf/model/hf.yaml", None, f"label_map sends {kind!r} to {target!r}, not one of {ENTITY_LABELS}"
        )
    return f"{prefix}-{target}"
