"""Articles -> training examples: token ids and the gold labels of the three heads.

An article only teaches the tasks its dataset annotates: Wikigold has no claims and BioScope no entities,
so their missing labels are ignored (``IGNORE``) rather than read as "no entity" or "no claim".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from bench.models.transformers.encoding import Encoded, tokenize
from bench.models.transformers.token_spans import CUE, CUE_TAGS, ENTITY_TAGS, encode_spans
from bench.schema import Article

IGNORE = -100  # torch.nn.functional.cross_entropy's default ignore_index


@dataclass(frozen=True)
class Example:
    encoded: Encoded
    entity_labels: torch.Tensor  # [tokens] entity tag ids, IGNORE for non-first subwords
    cue_labels: torch.Tensor  # [tokens] cue tag ids, IGNORE for non-first subwords
    claims: tuple[tuple[int, ...], ...]  # the token indices of each claim
    hedged: torch.Tensor  # [claims] 1.0 for hedged, 0.0 for confirmed


def make_example(tokenizer: Any, article: Article, tasks: Collection[str]) -> Example:
    encoded = tokenize(tokenizer, article.text)
    tokens = encoded.tokens
    entities = [(e.start, e.end, e.label) for e in article.entities]
    cues = [(cue.start, cue.end, CUE) for claim in article.claims for cue in claim.cues]
    with_claims = "claims" in tasks
    claims = article.claims if with_claims else ()
    return Example(
        encoded=encoded,
        entity_labels=_label_ids(encode_spans(tokens, entities), ENTITY_TAGS, "entities" in tasks),
        cue_labels=_label_ids(encode_spans(tokens, cues), CUE_TAGS, with_claims),
        claims=tuple(tuple(tokens.overlapping(claim.span)) for claim in claims),
        hedged=torch.tensor([float(claim.certainty == "hedged") for claim in claims]),
    )


def _label_ids(tags: Sequence[str | None], inventory: Sequence[str], annotated: bool) -> torch.Tensor:
    index = {tag: i for i, tag in enumerate(inventory)}
    return torch.tensor(
        [index[tag] if annotated and tag is not None else IGNORE for tag in tags], dtype=torch.long
    )
