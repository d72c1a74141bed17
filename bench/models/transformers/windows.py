"""Deterministic sliding windows over an article's tokens, for encoders with a maximum input length.

Every window but a short article's only one is exactly ``size`` tokens long (the last window is aligned to
the article's end), consecutive windows share at least ``stride`` tokens, and each token is read from the
window in which it has the most context on both sides (ties go to the earlier window).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    """Tokens ``[begin, end)`` go into the encoder; outputs are kept for tokens ``[keep_begin, keep_end)``."""

    begin: int
    end: int
    keep_begin: int
    keep_end: int

    def __len__(self) -> int:
        return self.end - self.begin


def plan_windows(n_tokens: int, size: int, stride: int) -> list[Window]:
    """Windows over ``n_tokens`` tokens; ``stride`` tokens overlap (Hugging Face's meaning of stride)."""
    if not 0 <= stride < size:
        raise ValueError(f"need 0 <= stride < size, got stride={stride}, size={size}")
    if n_tokens <= size:
        return [Window(0, n_tokens, 0, n_tokens)]
    begins = list(range(0, n_tokens - size, size - stride)) + [n_tokens - size]
    bounds = [(begin, begin + size) for begin in begins]
    # A token t in the overlap of A = [a0, a1) and B = [b0, b1) has a1 - 1 - t tokens of right context in A
    # and t - b0 of left context in B (its other sides are longer): A keeps it while the first is >= the
    # second, so the split between them is the first t past (a1 - 1 + b0) / 2.
    pairs = zip(bounds, bounds[1:], strict=False)
    splits = [0] + [(a1 - 1 + b0) // 2 + 1 for (_, a1), (b0, _) in pairs] + [n_tokens]
    return [Window(b, e, splits[i], splits[i + 1]) for i, (b, e) in enumerate(bounds)]
