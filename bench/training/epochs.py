"""What one epoch trains on: every example of the corpora read whole, plus a fresh seeded sample of each
sampled corpus (``extra_per_epoch``), so that all of Szeged's 4,530 articles reach the model over the epochs
while no single epoch is drowned by them. Each epoch has the same number of examples, so the learning-rate
schedule knows its length in advance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from bench.training.examples import Example

# Sample generators are seeded apart from the batch order's, so a plan with no sampled corpus draws the
# same batches as before sampling existed (old checkpoints retrain byte for byte).
_SAMPLE_SEED_STRIDE = 7919


@dataclass(frozen=True)
class SampledPool:
    examples: Sequence[Example]
    per_epoch: int


@dataclass(frozen=True)
class EpochPlan:
    whole: Sequence[Example]  # in every epoch
    pools: Sequence[SampledPool] = ()  # each gives ``per_epoch`` of its examples, drawn anew each epoch

    def __post_init__(self) -> None:
        for pool in self.pools:
            if not 0 < pool.per_epoch <= len(pool.examples):
                raise ValueError(f"per_epoch {pool.per_epoch} is not within 1..{len(pool.examples)}")

    def __len__(self) -> int:
        return len(self.whole) + sum(pool.per_epoch for pool in self.pools)

    def epoch(self, epoch: int, seed: int) -> list[Example]:
        """The examples of epoch ``epoch`` (from 1): the whole corpora, then each pool's sample in the pool's
        own order, so the batch order's permutation is what shuffles them."""
        drawn = list(self.whole)
        for index, pool in enumerate(self.pools):
            generator = torch.Generator().manual_seed(seed + _SAMPLE_SEED_STRIDE * epoch + index)
            chosen = sorted(
                torch.randperm(len(pool.examples), generator=generator)[: pool.per_epoch].tolist()
            )
            drawn.extend(pool.examples[i] for i in chosen)
        return drawn
