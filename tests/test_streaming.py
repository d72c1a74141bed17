"""A run streams: any chunking gives the same bytes; a chunk's articles are gone before the next is read."""

from __future__ import annotations

import gc
import re
import sys
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from helpers import examples, run_cli, run_dirs
from hypothesis import given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf

from bench.core.paths import PROJECT_ROOT
from bench.data.load import DatasetReader, load
from bench.metrics import dumps_scores, score_run
from bench.metrics import stats as stats_module
from bench.metrics.cues import _tokens
from bench.metrics.row_blocks import RowBlocks
from bench.metrics.scoring import RunScorer
from bench.metrics.settings import EvalSettings
from bench.models.rules.lexicon import LexiconModel
from bench.models.rules.name_heuristics import starts_sentence
from bench.run.cache import PredictionCache
from bench.run.rundir import RunWriter
from bench.run.runner import stream_run
from bench.run.settings import RunSettings
from bench.schema import Article, Prediction, Span

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import synthetic_corpus  # noqa: E402

SETTINGS = EvalSettings(resamples=200, seed=3)


def lexicon() -> LexiconModel:
    return LexiconModel("bench/resources/hedge_cues.tsv", "bench/resources/gazetteer.tsv")


def news_config() -> object:
    return OmegaConf.load(PROJECT_ROOT / "conf" / "data" / "news.yaml")


@pytest.fixture(scope="module")
def scored_split() -> tuple[list[Article], list[Prediction]]:
    """The news test split with the lexicon's predictions: entities, cues and several probabilities."""
    gold = list(load(news_config()).splits["test"])
    return gold, lexicon().predict(gold)


def chunked_scores(gold: Sequence[Article], predictions: Sequence[Prediction], size: int) -> str:
    scorer = RunScorer(("entities", "claims"), SETTINGS)
    for begin in range(0, len(gold), size):
        scorer.add(gold[begin : begin + size], predictions[begin : begin + size])
    return dumps_scores(scorer.result())


@pytest.mark.parametrize("size", [1, 2, 5, 20])
def test_scores_do_not_depend_on_the_chunking(scored_split, size: int) -> None:
    gold, predictions = scored_split
    at_once = dumps_scores(score_run(gold, predictions, ("entities", "claims"), SETTINGS))
    assert "claims.cues.exact.f1" in at_once  # the cue statistics are part of what is compared
    assert chunked_scores(gold, predictions, size) == at_once


def test_intervals_do_not_depend_on_the_resample_block_size(scored_split, monkeypatch) -> None:
    gold, predictions = scored_split
    whole = dumps_scores(score_run(gold, predictions, ("entities", "claims"), SETTINGS))
    monkeypatch.setattr(stats_module, "_BLOCK_CELLS", 7 * len(gold))  # 7 resamples a block, the last shorter
    assert dumps_scores(score_run(gold, predictions, ("entities", "claims"), SETTINGS)) == whole


def test_cues_predicted_in_one_chunk_and_not_another_are_refused(scored_split) -> None:
    gold, predictions = scored_split
    scorer = RunScorer(("entities", "claims"), SETTINGS)
    scorer.add(gold[:1], predictions[:1])
    without = Prediction(
        predictions[1].article_id,
        predictions[1].entities,
        tuple(type(c)(c.start, c.end, c.certainty, c.p_hedged, None) for c in predictions[1].claims),
    )
    scorer.add(gold[1:2], [without])
    with pytest.raises(ValueError, match="cue spans are predicted for some claims but not others"):
        scorer.result()


def test_the_reader_streams_one_split_and_fingerprints_the_whole_dataset() -> None:
    loaded = load(news_config())
    reader = DatasetReader(news_config())
    assert tuple(reader.articles("test")) == loaded.splits["test"]
    assert reader.identity() == (loaded.fingerprint, loaded.annotation_sha256)


class ForgetfulnessProbe(LexiconModel):
    """The lexicon, checking on each call that no article of an earlier chunk is still alive."""

    def __init__(self) -> None:
        super().__init__("bench/resources/hedge_cues.tsv", "bench/resources/gazetteer.tsv")
        self.earlier: list[weakref.ref[Article]] = []
        self.calls = 0

    def predict(self, articles: Sequence[Article]) -> list[Prediction]:
        gc.collect()
        alive = sum(ref() is not None for ref in self.earlier)
        assert alive == 0, f"{alive} articles of earlier chunks are still held"
        self.earlier = [weakref.ref(article) for article in articles]
        self.calls += 1
        return super().predict(articles)


def test_a_run_holds_no_article_of_an_earlier_chunk(tmp_path: Path) -> None:
    split = synthetic_corpus.write(tmp_path / "synthetic.jsonl", 24)
    config = news_config()
    config.source.splits.test = str(split)
    settings = RunSettings("test", 1, SETTINGS, tmp_path / "runs", tmp_path / "cache", 5, None)
    model = ForgetfulnessProbe()
    reader = DatasetReader(config)
    with RunWriter(tmp_path / "runs" / "probe") as writer:
        scores, inference = stream_run(model, reader, settings, PredictionCache(settings.cache, "k"), writer)
    assert model.calls == 5 and inference.articles == 24  # 5 chunks: 5 + 5 + 5 + 5 + 4
    gold = [article for article in synthetic_corpus.articles(24, 0)]
    assert scores == dumps_scores(score_run(gold, lexicon().predict(gold), reader.tasks, SETTINGS))


def test_the_cli_gives_the_same_run_for_any_chunk_size_and_without_a_cache(tmp_path: Path) -> None:
    split = synthetic_corpus.write(tmp_path / "synthetic.jsonl", 30)
    variants = {
        "one": ["run.chunk_articles=1"],
        "many": ["run.chunk_articles=64"],
        "uncached": ["run.cache=null"],
    }
    for name, options in variants.items():
        where = [f"run.root={tmp_path / name}", f"run.cache={tmp_path / f'cache-{name}'}"]
        done = run_cli("bench", "model=lexicon", f"data.source.splits.test={split}", *where, *options)
        assert done.returncode == 0, done.stderr
    (one,), (many,), (uncached,) = (run_dirs(tmp_path / name) for name in variants)
    for name in ("scores.json", "predictions.jsonl"):
        assert (one / name).read_bytes() == (many / name).read_bytes() == (uncached / name).read_bytes()
    lines = (one / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    assert [line.split('"')[3] for line in lines] == [f"syn-{i:07d}" for i in range(30)]
    assert (tmp_path / "cache-one").is_dir() and not (tmp_path / "cache-uncached").exists()


# The pattern ``starts_sentence`` replaced (it searched the whole text before each name: quadratic time).
SENTENCE_START = re.compile(r"(?:^|[.!?]['’”\"]?\s+|[“\"‘(]|\n)$")


@settings(max_examples=examples(400), deadline=None)
@given(st.text(alphabet=list("ab .!?'’”\"“‘(\n\t\u00a0\u2003"), max_size=8))
def test_starts_sentence_agrees_with_the_pattern_it_replaced(before: str) -> None:
    text = before + "Name"
    assert starts_sentence(text, len(before)) == bool(SENTENCE_START.search(before))


def tokens_by_whole_text(span: Span, text: str) -> set[int]:
    """The token rule computed as it was before: tokenise the whole text, bisect the span's ends."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    starts, ends = [t[0] for t in tokens], [t[1] for t in tokens]
    return {tokens[i][0] for i in range(bisect_right(ends, span.start), bisect_left(starts, span.end))}


@settings(max_examples=examples(400), deadline=None)
@given(st.text(alphabet=list("ab \n,.\u00a0"), min_size=1, max_size=14), st.data())
def test_cue_tokens_near_the_span_agree_with_whole_text_tokens(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assert _tokens([Span(start, end)], text) == tokens_by_whole_text(Span(start, end), text)


def test_row_blocks_keep_every_row_in_order_across_blocks_and_widen_when_needed() -> None:
    blocks = RowBlocks(block_rows=3)
    chunks = [np.arange(4 * i, 4 * i + 4, dtype=np.int32).reshape(2, 2) for i in range(5)]
    for chunk in chunks:
        blocks.add(chunk)
    blocks.add(np.array([[2**40, 1]], dtype=np.int64))
    joined = blocks.join(np.zeros((0, 2), np.int32))
    assert joined.dtype == np.int64
    assert joined.tolist() == np.vstack([*chunks, [[2**40, 1]]]).tolist()
    assert RowBlocks().join(np.zeros((0, 2), np.int32)).shape == (0, 2)
