"""Articles -> training examples: token ids and the gold labels of the three heads.

An article only teaches the tasks its dataset annotates: Wikigold has no claims and BioScope no entities,
so their missing labels are ignored (``IGNORE``) rather than read as "no entity" or "no claim". Within the
entity task, an article only teaches the types its dataset annotates: UNER has no MISC, so its "O" tokens
may be unmarked MISC; ``entity_allowed`` lets the loss compare the gold tag with the annotated tags only
(``loop.batch_loss`` masks the others' logits), so MISC is neither taught nor punished there.

A corpus that does not follow the benchmark's attribution rule (BioScope, Szeged: an unnamed source's "said"
or "according to" is a hedge here, unmarked there) keeps its other labels, but a claim of it holding an
attribution word teaches neither its cue tags nor, when labelled confirmed, its certainty.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from bench.models.transformers.encoding import Encoded, tokenize
from bench.models.transformers.orthography import shape_features
from bench.models.transformers.token_spans import CUE, CUE_TAGS, ENTITY_TAGS, encode_spans
from bench.schema import ENTITY_LABELS, Article

IGNORE = -100  # torch.nn.functional.cross_entropy's default ignore_index

# Reporting words of data/GUIDELINES.md's attribution rule. Deliberately broad ("claims" the noun matches
# too): a false match only drops one claim's label, a miss teaches the opposite of the guidelines. The
# source is not checked for being named, since these corpora annotate no entities to tell.
ATTRIBUTION = re.compile(
    r"\b(?:says?|said|saying|told|tells?|according to|report(?:s|ed|edly)?|claim(?:s|ed)?|citing|"
    r"stated|alleged(?:ly)?|quoted)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Example:
    encoded: Encoded
    entity_labels: torch.Tensor  # [tokens] entity tag ids, IGNORE for non-first subwords
    cue_labels: torch.Tensor  # [tokens] cue tag ids, IGNORE for non-first subwords
    claims: tuple[tuple[int, ...], ...]  # the token indices of each claim
    hedged: torch.Tensor  # [claims] 1.0 for hedged, 0.0 for confirmed
    trusted: torch.Tensor  # [claims] bool: the claim's certainty label is learnt from
    shapes: torch.Tensor  # [tokens, features] word shapes, read only by a model with a shape head
    # [len(ENTITY_TAGS)] bool: the tags the article's dataset annotates; None when it annotates them all
    entity_allowed: torch.Tensor | None = None


def make_example(
    tokenizer: Any,
    article: Article,
    tasks: Collection[str],
    attribution_unmarked: bool = False,
    entity_labels: Collection[str] | None = None,
) -> Example:
    encoded = tokenize(tokenizer, article.text)
    tokens = encoded.tokens
    entities = [(e.start, e.end, e.label) for e in article.entities]
    cues = [(cue.start, cue.end, CUE) for claim in article.claims for cue in claim.cues]
    with_claims = "claims" in tasks
    claims = article.claims if with_claims else ()
    token_sets = tuple(tuple(tokens.overlapping(claim.span)) for claim in claims)
    attributed = [
        attribution_unmarked and ATTRIBUTION.search(article.text[c.start : c.end]) is not None for c in claims
    ]
    cue_labels = _label_ids(encode_spans(tokens, cues), CUE_TAGS, with_claims)
    for indices, masked in zip(token_sets, attributed, strict=True):
        if masked:  # its attribution word would be taught as "not a cue"
            cue_labels[list(indices)] = IGNORE
    return Example(
        encoded=encoded,
        shapes=shape_features(article.text, tokens),
        entity_labels=_label_ids(encode_spans(tokens, entities), ENTITY_TAGS, "entities" in tasks),
        cue_labels=cue_labels,
        claims=token_sets,
        hedged=torch.tensor([float(claim.certainty == "hedged") for claim in claims]),
        # A hedged label agrees with the guidelines whatever the attribution; a confirmed one may not.
        trusted=torch.tensor(
            [
                not (masked and c.certainty == "confirmed")
                for c, masked in zip(claims, attributed, strict=True)
            ],
            dtype=torch.bool,
        ),
        entity_allowed=allowed_tags(entity_labels),
    )


def allowed_tags(entity_labels: Collection[str] | None) -> torch.Tensor | None:
    """The entity tags a dataset annotating ``entity_labels`` can teach (O and their B-/I- tags); None when
    it annotates every type, so that such a corpus trains exactly as before masks existed."""
    if entity_labels is None or set(ENTITY_LABELS) <= set(entity_labels):
        return None
    return torch.tensor([tag == "O" or tag[2:] in entity_labels for tag in ENTITY_TAGS], dtype=torch.bool)


def _label_ids(tags: Sequence[str | None], inventory: Sequence[str], annotated: bool) -> torch.Tensor:
    index = {tag: i for i, tag in enumerate(inventory)}
    return torch.tensor(
        [index[tag] if annotated and tag is not None else IGNORE for tag in tags], dtype=torch.long
    )
