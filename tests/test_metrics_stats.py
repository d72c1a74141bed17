"""Bootstrap intervals, paired tests and Holm's correction."""

from __future__ import annotations

import numpy as np
import pytest

from bench.metrics import dumps_scores, holm, paired_tests, score_run
from bench.metrics import stats as stats_module
from bench.metrics.settings import EvalSettings
from bench.metrics.stats import Weights, exact_product, resample_weights, swap_totals, weight_blocks
from bench.schema import Article, Claim, ClaimPrediction, Entity, Prediction

TEXT = "x" * 50


def _article(index: int, entities: int) -> Article:
    gold = tuple(Entity(5 * i, 5 * i + 3, "PER") for i in range(entities))
    claims = (Claim(0, 10, "hedged"), Claim(20, 30, "confirmed"))
    return Article(f"a{index}", "", TEXT, "t", entities=gold, claims=claims)


def _prediction(article: Article, found: int, spurious: int = 0, claims_right: bool = True) -> Prediction:
    entities = article.entities[:found] + tuple(
        Entity(5 * i + 1, 5 * i + 3, "PER") for i in range(8, 8 + spurious)
    )
    certainty = ("hedged", "confirmed") if claims_right else ("confirmed", "hedged")
    guesses = tuple(
        ClaimPrediction(c.start, c.end, label, 0.7 if label == "hedged" else 0.2)
        for c, label in zip(article.claims, certainty, strict=True)
    )
    return Prediction(article.id, entities=entities, claims=guesses)


GOLD = [_article(i, entities=1 + i % 4) for i in range(12)]
VARIED = [_prediction(a, found=i % 3, spurious=i % 2, claims_right=i % 3 != 0) for i, a in enumerate(GOLD)]


def test_metric_constant_across_articles_has_zero_width_interval() -> None:
    # Every article: 2 gold entities, 1 found, 1 spurious, one claim right -> the same F1 and accuracy.
    gold = [_article(i, entities=2) for i in range(10)]
    preds = []
    for article in gold:
        guesses = (ClaimPrediction(0, 10, "hedged", 0.9), ClaimPrediction(20, 30, "hedged", 0.9))
        preds.append(
            Prediction(article.id, entities=(article.entities[0], Entity(40, 45, "PER")), claims=guesses)
        )
    headline = score_run(gold, preds, ["entities", "claims"], EvalSettings(resamples=200))["headline"]
    for name in ("entities.strict.micro.f1", "entities.strict.doc_macro.f1", "claims.accuracy"):
        assert headline[name]["ci_low"] == headline[name]["value"] == headline[name]["ci_high"], name
    assert headline["entities.strict.micro.f1"]["value"] == 0.5


def test_interval_brackets_the_value_and_is_seeded() -> None:
    first = score_run(GOLD, VARIED, ["entities", "claims"], EvalSettings(resamples=300, seed=1))["headline"]
    again = score_run(GOLD, VARIED, ["entities", "claims"], EvalSettings(resamples=300, seed=1))["headline"]
    other = score_run(GOLD, VARIED, ["entities", "claims"], EvalSettings(resamples=300, seed=2))["headline"]
    f1 = first["entities.strict.micro.f1"]
    assert f1["ci_low"] < f1["value"] < f1["ci_high"]
    assert first == again
    assert other["entities.strict.micro.f1"] != f1


def test_bootstrap_samples_equal_rescoring_the_resampled_articles() -> None:
    resamples, seed = 15, 3
    picks = np.random.default_rng(seed).integers(0, len(GOLD), size=(resamples, len(GOLD)))
    direct = []
    for row in picks:
        gold = [Article(f"{k}", "", GOLD[i].text, "t", GOLD[i].entities) for k, i in enumerate(row)]
        preds = [Prediction(f"{k}", VARIED[i].entities) for k, i in enumerate(row)]
        direct.append(
            score_run(gold, preds, ["entities"], EvalSettings(resamples=0))["headline"][
                "entities.strict.micro.f1"
            ]["value"]
        )
    low, high = np.quantile(direct, [0.025, 0.975])
    ours = score_run(GOLD, VARIED, ["entities"], EvalSettings(resamples=resamples, seed=seed))["headline"]
    assert ours["entities.strict.micro.f1"]["ci_low"] == pytest.approx(low, abs=1e-12)
    assert ours["entities.strict.micro.f1"]["ci_high"] == pytest.approx(high, abs=1e-12)


def test_resample_weights_are_multiplicities() -> None:
    weights = resample_weights(7, 50, np.random.default_rng(0))
    assert weights.shape == (50, 7)
    assert (weights.sum(axis=1) == 7).all()
    assert (weights >= 0).all()


def test_no_resamples_gives_no_interval() -> None:
    headline = score_run(GOLD, VARIED, ["entities"], EvalSettings(resamples=0))["headline"]
    assert headline["entities.strict.micro.f1"]["ci_low"] is None


def test_scores_are_byte_identical_and_independent_of_prediction_order() -> None:
    once = dumps_scores(score_run(GOLD, VARIED, ["entities", "claims"], EvalSettings(resamples=100)))
    shuffled = list(reversed(VARIED))
    assert (
        dumps_scores(score_run(GOLD, shuffled, ["entities", "claims"], EvalSettings(resamples=100))) == once
    )


def test_paired_test_of_a_run_against_itself_gives_p_one() -> None:
    metric = "entities.strict.micro.f1"
    result = paired_tests(GOLD, VARIED, VARIED, [metric], EvalSettings(resamples=200))[metric]
    assert (result.delta, result.p_bootstrap, result.p_randomization) == (0.0, 1.0, 1.0)
    assert result.ci_low == result.ci_high == 0.0


def test_paired_test_detects_a_clearly_better_run() -> None:
    gold = [_article(i, entities=4) for i in range(30)]
    better = [_prediction(a, found=4, claims_right=i % 5 != 0) for i, a in enumerate(gold)]
    worse = [_prediction(a, found=1, spurious=1, claims_right=i % 2 == 0) for i, a in enumerate(gold)]
    results = paired_tests(
        gold, better, worse, ["entities.strict.micro.f1", "claims.accuracy"], EvalSettings(resamples=500)
    )
    f1 = results["entities.strict.micro.f1"]
    assert f1.delta > 0.5 and f1.ci_low > 0
    assert f1.p_bootstrap == f1.p_randomization == 1 / 501
    assert results["claims.accuracy"].delta == pytest.approx(0.8 - 0.5)
    assert results["claims.accuracy"].p_randomization < 0.05
    assert results["claims.accuracy"].p_bootstrap < 0.05


def test_paired_test_rejects_unknown_metric() -> None:
    with pytest.raises(ValueError, match="not available"):
        paired_tests(GOLD, VARIED, VARIED, ["entities.strict.micro.accuracy"], EvalSettings(resamples=10))


def test_holm_hand_computed() -> None:
    assert holm({"a": 0.01, "b": 0.04, "c": 0.03}) == pytest.approx({"a": 0.03, "b": 0.06, "c": 0.06})
    assert holm({"x": 0.5, "y": 0.9}) == {"x": 1.0, "y": 1.0}
    assert holm({}) == {}


def _weights(rows: int, articles: int, seed: int) -> Weights:
    return Weights(resample_weights(articles, rows, np.random.default_rng(seed)), articles)


@pytest.mark.parametrize(
    ("largest", "articles"),
    [
        (80, 500),
        (2**40, 300),
        (2**52, 3),
        (2**61 // 40, 40),
    ],  # one limb, two limbs, two limbs, int64 fallback
)
def test_the_float_product_equals_the_integer_one_bit_for_bit(
    largest: int, articles: int, monkeypatch
) -> None:
    monkeypatch.setattr(stats_module, "_SLAB_CELLS", 9 * 64)  # slabs of 64 articles, the last one shorter
    rng = np.random.default_rng(largest % 1000)
    units = rng.integers(-largest, largest, size=(articles, 5), endpoint=True)
    units[0, 0] = -largest  # the extreme magnitude, negative (the high limb's arithmetic shift)
    weights = _weights(9, articles, seed=1)
    expected = weights.rows.astype(object) @ units.astype(object)  # Python integers: no overflow, no rounding
    product = exact_product(weights, units, int(np.abs(units).max()))
    assert product.dtype == np.int64
    assert (product.astype(object) == expected).all()


def test_resample_blocks_are_the_rows_of_one_draw_in_any_block_size(monkeypatch) -> None:
    articles, resamples, seed = 23, 50, 4
    expected = resample_weights(articles, resamples, np.random.default_rng(seed))
    for block_cells, draw_cells in [(23 * 50, 23 * 50), (23 * 7, 23 * 3), (1, 1), (23 * 11, 23 * 11)]:
        monkeypatch.setattr(stats_module, "_BLOCK_CELLS", block_cells)
        monkeypatch.setattr(stats_module, "_DRAW_CELLS", draw_cells)
        blocks = list(weight_blocks(articles, resamples, seed))
        assert all(block.row_total == articles for block in blocks)
        assert (np.concatenate([block.rows for block in blocks]) == expected).all()


def test_a_multiplicity_too_large_for_uint8_widens_the_block(monkeypatch) -> None:
    draws = iter([np.array([[1, 1]]), np.array([[300, 0]])])  # the second: a multiplicity uint8 cannot hold
    monkeypatch.setattr(stats_module, "resample_weights", lambda articles, rows, rng: next(draws))
    monkeypatch.setattr(stats_module, "_DRAW_CELLS", 2)  # one row drawn at a time
    (block,) = weight_blocks(2, 2, seed=0)
    assert block.rows.dtype == np.int64
    assert block.rows.tolist() == [[1, 1], [300, 0]]  # the row drawn before the widening is kept


def test_swaps_drawn_in_blocks_move_what_one_draw_moves(monkeypatch) -> None:
    monkeypatch.setattr(stats_module, "_DRAW_CELLS", 3 * 31)  # 3 permutations a block, the last shorter
    difference = np.random.default_rng(2).integers(-(2**40), 2**40, size=(31, 4))
    swaps = np.random.default_rng(8).integers(0, 2, size=(20, 31))
    assert (swap_totals(difference, 20, seed=8) == swaps @ difference).all()
