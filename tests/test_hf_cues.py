"""``model=hf`` with a cue checkpoint and without an entity checkpoint.

The cue checkpoint is built here, not trained: a BERT with no transformer layer (each token's output is its
own embedding) whose weights tag the word "reportedly", and only it, ``B-CUE``. Its predictions are therefore
known exactly, so the tests can say which claim must get which cue.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import torch
from helpers import WINDOW_OVERRIDES, data_overrides, run_cli, run_dirs

from bench.core.fingerprints import sha256_files
from bench.core.paths import resolve
from bench.data.load import JsonlSource
from bench.errors import InputError
from bench.models.transformers.cue_tagger import cue_tags, with_cues
from bench.models.transformers.hf import HfTokenClassifier
from bench.schema import Article, ClaimPrediction, Span

CUE_WORD = "reportedly"
CUE_LABELS = {0: "O", 1: "B-CUE", 2: "I-CUE"}
LEXICON = "bench/resources/hedge_cues.tsv"


def articles_of(path: Path) -> list[Article]:
    return [item.article for item in JsonlSource({"split": str(path)}).read()["split"]]


def make_cue_checkpoint(folder: Path, texts: list[str]) -> Path:
    """A token classifier that tags every "reportedly" ``B-CUE`` and every other token ``O``."""
    from transformers import BertConfig, BertForTokenClassification

    from bench.training.wordpiece import build_tokenizer

    tokenizer = build_tokenizer(texts, 4000)
    cue_id = tokenizer.convert_tokens_to_ids(CUE_WORD)
    assert cue_id != tokenizer.unk_token_id, "the cue word must be one token of the vocabulary"
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=4, num_hidden_layers=0, num_attention_heads=1,
        intermediate_size=4, id2label=CUE_LABELS, label2id={v: k for k, v in CUE_LABELS.items()},
    )  # fmt: skip
    model = BertForTokenClassification(config)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.zero_()
        # No layers: a token's output is LayerNorm(its word embedding). Two directions, one per class.
        embeddings = model.bert.embeddings
        embeddings.word_embeddings.weight[:] = torch.tensor([-1.0, 3.0, -1.0, -1.0])
        embeddings.word_embeddings.weight[cue_id] = torch.tensor([3.0, -1.0, -1.0, -1.0])
        embeddings.LayerNorm.weight.fill_(1.0)
        model.classifier.weight[0, 1] = 10.0  # O
        model.classifier.weight[1, 0] = 10.0  # B-CUE
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


def untrained_sequence_classifier(like: Path, folder: Path) -> Path:
    """A sequence classifier with the config and tokenizer of the token classifier ``like``."""
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    BertForSequenceClassification(BertConfig.from_pretrained(like)).save_pretrained(folder)
    AutoTokenizer.from_pretrained(like).save_pretrained(folder)
    return folder


def expected_cues(article: Article) -> list[list[dict[str, int]]]:
    """Per claim, the whole-word occurrences of the cue word inside it."""
    return [
        [{"start": m.start(), "end": m.end()} for m in re.finditer(rf"\b{CUE_WORD}\b", article.text)
         if claim.start <= m.start() and m.end() <= claim.end]
        for claim in article.claims
    ]  # fmt: skip


@pytest.fixture(scope="module")
def cue_checkpoint(corpus: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = [a.text for a in articles_of(corpus["train"])]
    return make_cue_checkpoint(tmp_path_factory.mktemp("cues") / "checkpoint", texts)


def common(corpus: dict[str, Path], tmp_path: Path) -> list[str]:
    where = [f"run.root={tmp_path / 'runs'}", f"run.cache={tmp_path / 'cache'}", "eval.resamples=20"]
    return [*where, *WINDOW_OVERRIDES, *data_overrides(corpus)]


# ---- fast: the pieces ------------------------------------------------------------------------------------


def test_a_claim_gets_the_cues_inside_it_and_a_cue_across_a_boundary_is_dropped() -> None:
    claims = [ClaimPrediction(0, 10, "hedged", 0.9, ()), ClaimPrediction(11, 20, "confirmed", 0.1, ())]
    cues = [Span(2, 5), Span(8, 13), Span(11, 20), Span(21, 25)]
    first, second = with_cues(claims, cues)
    assert first.cues == (Span(2, 5),)
    assert second.cues == (
        Span(11, 20),
    )  # a cue may be the whole claim; [8, 13) crosses, [21, 25) is outside
    assert (first.p_hedged, second.certainty) == (0.9, "confirmed")


def test_cue_tags_keep_their_prefix_and_map_every_named_type_to_cue() -> None:
    labels = ["O", "B-CUE", "I-CUE", "S-HEDGE", "B-PER"]
    assert cue_tags(labels, ["CUE"]) == ["O", "B-CUE", "I-CUE", "O", "O"]
    assert cue_tags(labels, ["CUE", "HEDGE"]) == ["O", "B-CUE", "I-CUE", "S-CUE", "O"]


def test_a_cue_type_the_checkpoint_lacks_names_the_config() -> None:
    with pytest.raises(InputError) as caught:
        cue_tags(["O", "B-CUE", "I-CUE"], ["HEDGE"])
    assert str(caught.value) == (
        "conf/model/hf.yaml: model.cues_label ['HEDGE'] not among the cue checkpoint's tag types ['CUE']"
    )


def test_a_cue_checkpoint_from_the_hub_needs_a_pinned_revision() -> None:
    model = HfTokenClassifier(
        None, {}, cues=LEXICON, cues_checkpoint="someone/cue-model", cues_revision="main"
    )
    with pytest.raises(InputError) as caught:
        model.weights_files()
    assert str(caught.value).startswith(
        "conf/model/hf.yaml: model.cues_checkpoint='someone/cue-model' is no local folder; "
        "a hub id needs model.cues_revision=<40-hex commit>, got 'main'"
    )


def test_an_hf_model_with_no_checkpoint_at_all_is_one_line(corpus: dict[str, Path], tmp_path: Path) -> None:
    done = run_cli("bench", "model=hf", *common(corpus, tmp_path))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr[-2000:]
    assert done.stderr.startswith("error: conf/model/hf.yaml: name a checkpoint: model.checkpoint=")
    assert not (tmp_path / "runs").exists()


# ---- slow: checkpoints loaded ----------------------------------------------------------------------------


@pytest.mark.slow
def test_cues_from_a_checkpoint_without_an_entity_model(
    corpus: dict[str, Path], cue_checkpoint: Path, tmp_path: Path
) -> None:
    done = run_cli(
        "bench", "model=hf", "model.checkpoint=null", f"model.cues_checkpoint={cue_checkpoint}",
        *common(corpus, tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    (run_dir,) = run_dirs(tmp_path / "runs")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    # No entity part at all: nothing loaded, nothing hashed for entities.
    assert manifest["model"]["parts"] == {
        "certainty": sha256_files([resolve(LEXICON)]),
        "cues": sha256_files(sorted(cue_checkpoint.iterdir())),
    }
    rows = {
        r["article_id"]: r for r in map(json.loads, (run_dir / "predictions.jsonl").read_text().splitlines())
    }
    articles = articles_of(corpus["test"])
    assert all(rows[a.id]["entities"] == [] for a in articles)
    for article in articles:
        assert [claim["cues"] for claim in rows[article.id]["claims"]] == expected_cues(article), article.id
    found = sum(len(cues) for a in articles for cues in expected_cues(a))
    assert found >= 2, "the corpus must have cue words for this test to mean anything"
    scores = json.loads((run_dir / "scores.json").read_text())
    cue_scores = scores["claims"]["cues"]
    # Every predicted "reportedly" is a gold cue: all true positives; the other gold cues are missed.
    assert cue_scores["exact"]["tp"] == found and cue_scores["exact"]["fp"] == 0
    assert cue_scores["exact"]["fn"] > 0 and cue_scores["exact"]["f1"] > 0
    # No entity predicted: every gold entity missed, entity F1 honestly 0 (not "not scored").
    assert scores["headline"]["entities.strict.micro.f1"]["value"] == 0.0
    assert scores["entities"]["strict"]["by_type"]["PER"]["fn"] > 0


@pytest.mark.slow
def test_an_unknown_cues_label_is_one_line(
    corpus: dict[str, Path], cue_checkpoint: Path, tmp_path: Path
) -> None:
    done = run_cli(
        "bench", "model=hf", f"model.cues_checkpoint={cue_checkpoint}", "model.cues_label=HEDGE",
        *common(corpus, tmp_path),
    )  # fmt: skip
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr[-2000:]
    assert done.stderr.startswith("error: conf/model/hf.yaml: model.cues_label ['HEDGE'] not among")
    assert not (tmp_path / "runs").exists()


@pytest.mark.slow
def test_with_a_certainty_checkpoint_cues_come_only_from_a_cue_checkpoint(
    corpus: dict[str, Path], cue_checkpoint: Path, tmp_path: Path
) -> None:
    articles = articles_of(corpus["test"])
    # An untrained sequence classifier of the cue checkpoint's shape and labels: certainty is not the point
    # here, where the cues come from is. (The cue checkpoint itself is no sequence classifier: refused.)
    label_map = {"O": "confirmed", "B-CUE": "hedged", "I-CUE": "hedged"}
    certainty = {
        "certainty": str(untrained_sequence_classifier(cue_checkpoint, tmp_path / "certainty")),
        "certainty_label_map": label_map,
        "max_length": 64,
        "stride": 16,
    }
    without = HfTokenClassifier(None, {}, cues=LEXICON, **certainty).predict(articles)
    assert all(claim.cues is None for p in without for claim in p.claims)  # cue metrics: "not scored"
    tagged = HfTokenClassifier(None, {}, cues=LEXICON, cues_checkpoint=str(cue_checkpoint), **certainty)
    predictions = tagged.predict(articles)
    assert [[claim.cues for claim in p.claims] for p in predictions] == [
        [tuple(Span(c["start"], c["end"]) for c in cues) for cues in expected_cues(a)] for a in articles
    ]
    assert set(tagged.weights_parts()) == {"certainty", "cues"}
