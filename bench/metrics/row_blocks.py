"""``RowBlocks``: per-article rows gathered chunk by chunk, in large preallocated blocks.

A run adds a few rows per chunk (16 articles by default). Kept as one small array per chunk, the arrays'
own headers cost more than their numbers (about 100 bytes each, dozens per chunk); grown by doubling, a
million articles' rows would briefly need three times their size. Blocks of a fixed number of rows cost
neither: the memory is the rows themselves plus at most one partly filled block.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

BLOCK_ROWS = 1 << 16


class RowBlocks:
    """Rows of one width, appended in order; ``join`` returns them all. The dtype is the widest added (int32
    counts move to int64 if a chunk ever needs it)."""

    def __init__(self, block_rows: int = BLOCK_ROWS) -> None:
        self.block_rows = block_rows
        self._blocks: list[NDArray[np.generic]] = []
        self._used = 0  # rows filled in the last block
        self.rows = 0

    def add(self, rows: NDArray[np.generic]) -> None:
        if self._blocks:
            first = self._blocks[0]
            if rows.shape[1:] != first.shape[1:]:
                raise ValueError(
                    f"rows of width {rows.shape[1:]} cannot join rows of width {first.shape[1:]}"
                )
            wider = np.promote_types(rows.dtype, first.dtype)
            if wider != first.dtype:
                self._blocks = [block.astype(wider) for block in self._blocks]
            rows = rows.astype(wider, copy=False)
        taken = 0
        while taken < len(rows):
            if not self._blocks or self._used == len(self._blocks[-1]):
                capacity = min(self.block_rows, max(1024, self.rows))  # small runs get small blocks
                self._blocks.append(np.empty((capacity, *rows.shape[1:]), dtype=rows.dtype))
                self._used = 0
            size = min(len(rows) - taken, len(self._blocks[-1]) - self._used)
            self._blocks[-1][self._used : self._used + size] = rows[taken : taken + size]
            self._used += size
            taken += size
            self.rows += size

    def join(self, empty: NDArray[np.generic]) -> NDArray[np.generic]:
        """All rows as one array (``empty``: what to return when none were added). Each block is released as
        soon as it is copied, so joining needs the rows' size plus one block, not twice the rows."""
        if not self._blocks:
            return empty
        joined = np.empty((self.rows, *self._blocks[0].shape[1:]), dtype=self._blocks[0].dtype)
        begin = 0
        self._blocks[-1] = self._blocks[-1][: self._used]
        while self._blocks:
            block = self._blocks.pop(0)
            joined[begin : begin + len(block)] = block
            begin += len(block)
            del block
        return joined
