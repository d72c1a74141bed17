"""A real document rebuilt from a corpus someone else wrote: its text and where it came from.

Stand-off corpora (``news_real``) never store such text; they store its sha256 and rebuild it with the
readers in this folder (``gum``, ``re3d``) from the source files at a pinned commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceDocument:
    """One document of a source corpus, its text rebuilt exactly as the reader defines it."""

    corpus: str  # "gum" or "re3d"
    doc_id: str  # the corpus's own document id
    title: str
    url: str
    date: str  # ISO date or ""
    text: str

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()
