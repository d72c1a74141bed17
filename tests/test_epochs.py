"""Per-epoch samples of large corpora (bench/training/epochs.py): seeded, fresh each epoch, of one length."""

from __future__ import annotations

import pytest

from bench.training.epochs import EpochPlan, SampledPool


def plan(per_epoch: int = 3) -> EpochPlan:
    # Any objects stand in for examples: the plan only picks and orders them.
    return EpochPlan(whole=["w1", "w2"], pools=[SampledPool([f"s{i}" for i in range(10)], per_epoch)])


def test_every_epoch_holds_the_whole_corpora_and_the_same_number_of_samples() -> None:
    chosen = [plan().epoch(epoch, seed=0) for epoch in range(1, 6)]
    assert all(picked[:2] == ["w1", "w2"] and len(picked) == len(plan()) == 5 for picked in chosen)
    assert all(len(set(picked[2:])) == 3 for picked in chosen), "a sample never repeats an example"


def test_samples_are_seeded_and_differ_between_epochs_and_seeds() -> None:
    assert plan().epoch(2, seed=0) == plan().epoch(2, seed=0)
    samples = {tuple(plan().epoch(epoch, seed=0)[2:]) for epoch in range(1, 9)}
    assert len(samples) > 1
    assert plan().epoch(1, seed=0) != plan().epoch(1, seed=1)


def test_over_the_epochs_a_sampled_corpus_is_seen_almost_whole() -> None:
    seen = {name for epoch in range(1, 13) for name in plan(per_epoch=4).epoch(epoch, seed=0)[2:]}
    assert len(seen) >= 9  # 12 draws of 4 out of 10: missing two would be a broken sampler


def test_a_plan_without_pools_is_its_corpora_in_order() -> None:
    assert EpochPlan(["a", "b", "c"]).epoch(4, seed=7) == ["a", "b", "c"]


@pytest.mark.parametrize("per_epoch", [0, 11])
def test_a_sample_larger_than_its_corpus_or_empty_is_refused(per_epoch: int) -> None:
    with pytest.raises(ValueError, match="per_epoch"):
        plan(per_epoch)
