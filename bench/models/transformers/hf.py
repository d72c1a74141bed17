"""Adapter for any Hugging Face checkpoints, each part optional: a hub id at a pinned commit, or a folder.

Entities come from a token-classification checkpoint's tags (``config.id2label``: ``O`` and
``B-/I-/E-/S-TYPE``) with ``TYPE`` mapped to the CoNLL labels by the config's ``label_map``; with no
``checkpoint`` no entity model is loaded and none are predicted. Claim certainty comes from a
sequence-classification checkpoint when ``certainty`` names one (``sequence_certainty``), else from the
hedge-cue lexicon. Cue spans come from a token-classification checkpoint when ``cues_checkpoint`` names one
(``cue_tagger``), else from the lexicon when it gives certainty, else none are predicted (``cues=None``).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path

import torch

from bench.core.paths import resolve
from bench.core.tags import OUTSIDE, split_tag
from bench.errors import InputError
from bench.models.rules.hedge_lexicon import HedgeLexicon
from bench.models.transformers import cue_tagger, encoding, token_classifier, token_spans, windows
from bench.models.transformers.cue_tagger import CueTagger, with_cues
from bench.models.transformers.encoder import check_windows
from bench.models.transformers.hub import CONFIG_FILE
from bench.models.transformers.loading import shown
from bench.models.transformers.placement import Placement
from bench.models.transformers.sequence_certainty import SequenceCertainty
from bench.models.transformers.token_classifier import TokenClassifier, argmax_tags
from bench.models.transformers.token_spans import decode_entities
from bench.schema import ENTITY_LABELS, Article, Entity, Prediction


class HfTokenClassifier:
    """Up to three checkpoints: token classification for entities and for hedge cues, sequence
    classification for claim certainty; each loaded only when named.

    Args:
        checkpoint: entities: a local folder (relative to the project root) or a hub id; None: no entity
            model, no entities predicted. At least one of ``checkpoint``, ``certainty`` and
            ``cues_checkpoint`` must be given.
        label_map: the checkpoint's entity types -> CoNLL labels; types not listed are dropped.
        cues: hedge-cue lexicon (``cue<TAB>weight``) for claim certainty, relative to the project root.
        revision: for a hub id, the 40-hex commit to fetch (required: no unpinned hub fetches); unused for a
            local folder. Likewise ``certainty_revision`` and ``cues_revision``.
        prior_hedged: P(hedged) of a claim with no lexicon cue.
        max_length, stride, batch_size, device, dtype: windowing, and where and in which precision to compute,
            as in ``bench.models.transformers.encoder.EncoderModel``.
        certainty: a sequence-classification checkpoint (folder or hub id) for claim certainty; None: the
            lexicon. ``certainty_revision``, ``certainty_label_map`` (its labels -> hedged/confirmed) and
            ``certainty_context`` (classify the claim with its article around it) go with it.
        cues_checkpoint: a token-classification checkpoint for hedge-cue spans; None: the lexicon's cues when
            the lexicon gives certainty, else none. ``cues_label``: its tag type(s) meaning cue.
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
        cues_checkpoint: str | None = None,
        cues_revision: str | None = None,
        cues_label: str | Sequence[str] = "CUE",
    ) -> None:
        check_windows(max_length, stride, batch_size)
        self._placement = Placement.resolve(device, dtype)
        self.checkpoint = checkpoint
        self.label_map = dict(label_map)
        self.revision = revision
        self.cues_path = resolve(cues)
        window = (self._placement, max_length, stride, batch_size)
        self.entities = (
            None if checkpoint is None else TokenClassifier(checkpoint, revision, "model.checkpoint", *window)
        )
        self.certainty: HedgeLexicon | SequenceCertainty = (
            HedgeLexicon(self.cues_path, prior_hedged)
            if certainty is None
            else SequenceCertainty(
                certainty, certainty_label_map or {}, self._placement, certainty_revision, certainty_context
            )
        )
        self.cue_tagger = (
            None
            if cues_checkpoint is None
            else CueTagger(
                TokenClassifier(cues_checkpoint, cues_revision, "model.cues_checkpoint", *window),
                _cue_types(cues_label),
            )
        )

    def placement(self) -> dict[str, str] | None:
        return self._placement.record()

    def use_threads(self, threads: int) -> int | None:
        torch.set_num_threads(threads)
        return torch.get_num_threads()

    def weights_parts(self) -> dict[str, list[Path]]:
        """The files of each part (entities, certainty, cues), each hashed on its own into the manifest; a
        part that is not there (no entity checkpoint, no cue checkpoint) has no entry."""
        lexicon = isinstance(self.certainty, HedgeLexicon)
        if self.entities is None and self.cue_tagger is None and lexicon:
            raise InputError(
                CONFIG_FILE,
                None,
                "name a checkpoint: model.checkpoint=<folder or hub id> (entities), model.certainty=<...> "
                "or model.cues_checkpoint=<...>",
            )
        parts = {} if self.entities is None else {"entities": self.entities.weights_files()}
        parts["certainty"] = [self.cues_path] if lexicon else self.certainty.weights_files()
        if self.cue_tagger is not None:
            parts["cues"] = self.cue_tagger.weights_files()
        return parts

    def weights_files(self) -> list[Path]:
        parts = self.weights_parts()
        modules = (encoding, token_classifier, cue_tagger, token_spans, windows, HedgeLexicon)
        code = [Path(inspect.getfile(m)) for m in modules]
        return [*(f for files in parts.values() for f in files), *code, Path(__file__)]

    @cached_property
    def _entity_tags(self) -> list[str]:
        if self.entities is None:
            return []
        labels = self.entities.labels()
        tags = [map_tag(label, self.label_map) for label in labels]
        if all(tag == OUTSIDE for tag in tags):  # every prediction would be O: entity F1 0, silently
            types = sorted({split_tag(label)[1] for label in labels} - {""})
            known = sorted(self.label_map)
            message = f"none of the checkpoint's entity types {types} is in model.label_map {known}"
            raise InputError(shown(self.entities.folder), None, message)
        return tags

    def predict(self, articles: Sequence[Article]) -> list[Prediction]:
        entities = self._entities(articles)
        cues = None if self.cue_tagger is None else self.cue_tagger.cues(articles)
        predictions = []
        for index, article in enumerate(articles):
            claims = self.certainty.predict_claims(article)
            if cues is not None:  # the cue checkpoint's spans, in place of the lexicon's if any
                claims = with_cues(claims, cues[index])
            predictions.append(Prediction(article.id, entities[index], claims))
        return predictions

    def _entities(self, articles: Sequence[Article]) -> list[tuple[Entity, ...]]:
        if self.entities is None:
            return [() for _ in articles]
        tags = self._entity_tags
        encoded, logits = self.entities.logits(articles)
        return [
            decode_entities(article.text, enc.tokens, argmax_tags(scores, tags))
            for article, enc, scores in zip(articles, encoded, logits, strict=True)
        ]

    def logits(self, articles: Sequence[Article]) -> list[dict[str, torch.Tensor]]:
        """Per article, the float32 logits of the token-classification parts there are (``entities``,
        ``cues``); certainty gives none."""
        out: list[dict[str, torch.Tensor]] = [{} for _ in articles]
        if self.entities is not None:
            for row, scores in zip(out, self.entities.logits(articles)[1], strict=True):
                row["entities"] = scores.float()
        if self.cue_tagger is not None:
            for row, scores in zip(out, self.cue_tagger.logits(articles), strict=True):
                row["cues"] = scores
        return out


def _cue_types(cues_label: str | Sequence[str]) -> tuple[str, ...]:
    types = (cues_label,) if isinstance(cues_label, str) else tuple(cues_label)
    if not types or not all(isinstance(t, str) and t for t in types):
        raise ValueError(f"model.cues_label must be a tag type or a list of them, got {cues_label!r}")
    return types


def map_tag(tag: str, label_map: Mapping[str, str]) -> str:
    """A checkpoint tag -> a benchmark tag: ``B-PERSON`` with ``{PERSON: PER}`` -> ``B-PER``; else ``O``."""
    try:
        prefix, kind = split_tag(tag)
    except ValueError:
        raise InputError(CONFIG_FILE, None, f"checkpoint label {tag!r} is not O or B-/I-/E-/S-TYPE") from None
    target = label_map.get(kind)
    if prefix == OUTSIDE or target is None:
        return OUTSIDE
    if target not in ENTITY_LABELS:
        raise InputError(
            CONFIG_FILE, None, f"label_map sends {kind!r} to {target!r}, not one of {ENTITY_LABELS}"
        )
    return f"{prefix}-{target}"
