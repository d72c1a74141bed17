"""Near-duplicate detection across splits: identical texts and shared sentences.

A sentence shared by two articles in different splits would let a model see test text in training, so the
split script refuses it and a test checks the committed splits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bench.core.fingerprints import sha256_text
from bench.schema import Article

_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+|\n")
# Short sentences ("Police declined to comment.") recur naturally in news; only longer ones signal copying.
MIN_SHARED_WORDS = 8


def sentences(text: str) -> set[str]:
    normalised = (" ".join(part.lower().split()) for part in _SENTENCE_END.split(text))
    return {sentence for sentence in normalised if len(sentence.split()) >= MIN_SHARED_WORDS}


def cross_split_duplicates(splits: Mapping[str, Sequence[Article]]) -> list[str]:
    """Human-readable descriptions of every identical text or shared sentence across two splits."""
    owner: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    for split in sorted(splits):
        for article in splits[split]:
            keys = [("text", sha256_text(article.text))] + [
                ("sentence", s) for s in sorted(sentences(article.text))
            ]
            for kind, key in keys:
                first = owner.setdefault(key, (split, article.id))
                if first[0] != split:
                    problems.append(
                        f"{kind} of {article.id} ({split}) also in {first[1]} ({first[0]}): {key[:60]!r}"
                    )
    return problems
