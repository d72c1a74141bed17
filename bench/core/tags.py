"""Token tag sequences (IOB1, IOB2, IOBES) -> token chunks, with the chunk rules of CoNLL's ``conlleval``.

``conlleval`` decides chunk starts and ends from each (previous tag, tag) pair; following the same rules
means IOB1 input (``I-X`` opens a chunk unless it continues one of the same type) and IOB2 input both give
the chunks that the reference script counts.
"""

from __future__ import annotations

from collections.abc import Sequence

OUTSIDE = "O"


def split_tag(tag: str) -> tuple[str, str]:
    """``"B-PER"`` -> ``("B", "PER")``; ``"O"`` -> ``("O", "")``."""
    if tag == OUTSIDE:
        return OUTSIDE, ""
    prefix, _, kind = tag.partition("-")
    if prefix not in ("B", "I", "E", "S") or not kind:
        raise ValueError(f"malformed tag {tag!r}: expected O or B-/I-/E-/S-TYPE")
    return prefix, kind


def _ends(prev: str, prev_kind: str, cur: str, kind: str) -> bool:
    if prev in ("E", "S"):
        return True
    if prev == "B" and cur in ("B", "S", OUTSIDE) or prev == "I" and cur in ("B", "S", OUTSIDE):
        return True
    return prev != OUTSIDE and prev_kind != kind


def _starts(prev: str, prev_kind: str, cur: str, kind: str) -> bool:
    if cur in ("B", "S"):
        return True
    if prev in ("E", "S", OUTSIDE) and cur in ("E", "I"):
        return True
    return cur != OUTSIDE and prev_kind != kind


def token_chunks(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Chunks as ``(first token, one past the last token, type)``, in order."""
    chunks: list[tuple[int, int, str]] = []
    prev, prev_kind, open_at = OUTSIDE, "", -1
    for index, tag in enumerate([*tags, OUTSIDE]):
        cur, kind = split_tag(tag)
        if open_at >= 0 and _ends(prev, prev_kind, cur, kind):
            chunks.append((open_at, index, prev_kind))
            open_at = -1
        if index < len(tags) and _starts(prev, prev_kind, cur, kind):
            open_at = index
        prev, prev_kind = cur, kind
    return chunks
