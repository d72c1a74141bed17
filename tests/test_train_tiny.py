"""``python -m bench.train model=tiny`` then ``python -m bench model=tiny``, as a user runs them, on a small
synthetic corpus: a complete checkpoint, deterministic training, reproducible scores, clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import WINDOW_OVERRIDES, data_overrides, requires_shared, run_cli, run_dirs, run_tiny, train_tiny

from bench.core.paths import PROJECT_ROOT
from bench.data.load import JsonlSource
from bench.errors import InputError
from bench.metrics.counts import Counts
from bench.models.transformers.encoder import EncoderModel
from bench.models.transformers.hf import HfTokenClassifier

pytestmark = pytest.mark.slow  # trains, kills or sweeps: part of .ci/run, not of the inner loop

EPOCHS = 6
WEIGHT_FILES = (
    "config.json",
    "model.safetensors",
    "certainty.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, corpus: dict[str, Path]) -> Path:
    checkpoint = tmp_path_factory.mktemp("checkpoints") / "tiny"
    done = train_tiny(corpus, checkpoint, epochs=EPOCHS)
    assert done.returncode == 0, done.stderr[-3000:]
    return checkpoint


def test_training_writes_a_complete_checkpoint_and_manifest(trained: Path) -> None:
    assert set(WEIGHT_FILES) | {"train_manifest.json"} <= {p.name for p in trained.iterdir()}
    assert list(trained.parent.iterdir()) == [trained], "no staging folder may be left behind"
    manifest = json.loads((trained / "train_manifest.json").read_text())
    assert manifest["model_id"] == "tiny"
    assert manifest["data"][0]["id"] == "news" and manifest["data"][0]["articles"] == 16
    assert len(manifest["data"][0]["fingerprint"]) == 64
    assert manifest["dev_articles"] == 4
    assert [h["epoch"] for h in manifest["dev"]["history"]] == list(range(1, EPOCHS + 1))
    best = manifest["dev"]["history"][manifest["dev"]["best_epoch"] - 1]
    assert best["dev_selection"] == max(h["dev_selection"] for h in manifest["dev"]["history"])
    assert (
        manifest["hyperparameters"]["train"]["epochs"] == EPOCHS and manifest["hyperparameters"]["seed"] == 0
    )
    assert manifest["base"]["kind"] == "from scratch" and manifest["seconds"] > 0


def test_training_twice_gives_byte_identical_weights(
    trained: Path, corpus: dict[str, Path], tmp_path: Path
) -> None:
    again = tmp_path / "tiny"
    done = train_tiny(corpus, again, epochs=EPOCHS)
    assert done.returncode == 0, done.stderr[-3000:]
    for name in WEIGHT_FILES:
        assert (again / name).read_bytes() == (trained / name).read_bytes(), name


def test_tiny_run_end_to_end_is_reproducible(trained: Path, corpus: dict[str, Path], tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    first = run_tiny(corpus, trained, runs)
    # A separate cache: the second run must predict again, not read the first run's predictions.
    second = run_tiny(corpus, trained, runs, f"run.cache={tmp_path / 'second-cache'}")
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    dirs = run_dirs(runs)
    assert len(dirs) == 2
    rows = [json.loads(line) for line in (dirs[0] / "predictions.jsonl").read_text().splitlines()]
    gold = [item.article for item in JsonlSource({"test": str(corpus["test"])}).read()["test"]]
    assert [row["article_id"] for row in rows] == [a.id for a in gold]
    for row, article in zip(rows, gold, strict=True):
        assert len(row["claims"]) == len(article.claims)
        assert all(0.0 <= claim["p_hedged"] <= 1.0 and "cues" in claim for claim in row["claims"])
    scores = json.loads((dirs[0] / "scores.json").read_text())
    assert scores["entities"]["gold"] == sum(len(a.entities) for a in gold)
    assert scores["claims"]["claims"] == sum(len(a.claims) for a in gold)
    assert scores["claims"]["cues"]["exact"]["tp"] + scores["claims"]["cues"]["exact"]["fn"] == sum(
        len(c.cues) for a in gold for c in a.claims
    )
    for run_dir in dirs:
        assert json.loads((run_dir / "manifest.json").read_text())["throughput"]["predicted_articles"] == len(
            gold
        )
    assert (dirs[0] / "scores.json").read_bytes() == (dirs[1] / "scores.json").read_bytes()
    assert (dirs[0] / "predictions.jsonl").read_bytes() == (dirs[1] / "predictions.jsonl").read_bytes()


def test_a_missing_checkpoint_is_one_line_naming_the_train_command(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    done = run_tiny(corpus, tmp_path / "absent" / "tiny", tmp_path / "runs")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and f"no checkpoint at {tmp_path / 'absent' / 'tiny'}" in last
    assert f"python -m bench.train model=<id> model.checkpoint={tmp_path / 'absent' / 'tiny'}" in last
    assert not (tmp_path / "runs").exists()


def test_the_default_checkpoint_location_needs_only_the_model_id() -> None:
    model = EncoderModel(checkpoint="results/checkpoints/not-trained-yet")
    with pytest.raises(InputError) as caught:
        model.weights_files()
    assert str(caught.value) == (
        "results/checkpoints/not-trained-yet: no checkpoint at results/checkpoints/not-trained-yet; "
        "train it with: python -m bench.train model=not-trained-yet"
    )
    assert not (PROJECT_ROOT / "results" / "checkpoints" / "not-trained-yet").exists()


def test_hf_adapter_reads_the_entity_half_of_a_checkpoint_like_the_encoder(
    trained: Path, corpus: dict[str, Path]
) -> None:
    articles = [item.article for item in JsonlSource({"test": str(corpus["test"])}).read()["test"]]
    window = {"max_length": 64, "stride": 16}
    ours = EncoderModel(str(trained), **window).predict(articles)
    identity = {label: label for label in ("PER", "ORG", "LOC", "MISC")}
    generic = HfTokenClassifier(str(trained), identity, cues="bench/resources/hedge_cues.tsv", **window)
    theirs = generic.predict(articles)
    assert [p.entities for p in theirs] == [p.entities for p in ours]
    assert any(p.entities for p in ours), "an untrained model would make this comparison empty"
    assert (trained / "model.safetensors") in generic.weights_files()


def test_a_prediction_does_not_depend_on_the_other_articles_in_its_batch(
    trained: Path, corpus: dict[str, Path]
) -> None:
    # Otherwise a run resumed from the prediction cache (other batches) could differ from a fresh one.
    articles = [item.article for item in JsonlSource({"test": str(corpus["test"])}).read()["test"]]
    model = EncoderModel(str(trained), max_length=64, stride=16, batch_size=3)
    together = model.predict(articles)
    assert together == [model.predict([article])[0] for article in articles]
    assert together[::-1] == model.predict(articles[::-1])


def test_hf_adapter_asks_for_a_checkpoint() -> None:
    model = HfTokenClassifier(None, {"PER": "PER"}, cues="bench/resources/hedge_cues.tsv")
    with pytest.raises(InputError, match="model.checkpoint="):
        model.weights_files()


def test_hf_adapter_refuses_an_unpinned_hub_id() -> None:
    model = HfTokenClassifier(
        "someone/some-ner-model", {"PER": "PER"}, cues="bench/resources/hedge_cues.tsv", revision="main"
    )
    with pytest.raises(InputError, match="40-hex commit"):
        model.weights_files()


def test_bfloat16_on_the_cpu_is_other_predictions_recorded_as_such(
    trained: Path, corpus: dict[str, Path], tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    fp32 = run_tiny(corpus, trained, runs, "model.device=cpu")
    bf16 = run_tiny(corpus, trained, runs, "model.device=cpu", "model.dtype=bfloat16")  # same cache
    again = run_tiny(corpus, trained, runs, "model.dtype=bfloat16", f"run.cache={tmp_path / 'other-cache'}")
    for done in (fp32, bf16, again):
        assert done.returncode == 0, done.stderr[-3000:]
    manifests = {d: json.loads((d / "manifest.json").read_text()) for d in run_dirs(runs)}
    placements = sorted(json.dumps(m["model"]["placement"], sort_keys=True) for m in manifests.values())
    assert placements == [
        '{"device": "cpu", "dtype": "bfloat16"}',
        '{"device": "cpu", "dtype": "bfloat16"}',
        '{"device": "cpu", "dtype": "float32"}',
    ]
    # The fp32 run's cache entries were not served to the bf16 run: another placement, another cache key.
    assert all(m["throughput"]["cached_articles"] == 0 for m in manifests.values())
    bf16_dirs = [d for d, m in manifests.items() if m["model"]["placement"]["dtype"] == "bfloat16"]
    assert (
        bf16_dirs[0].joinpath("predictions.jsonl").read_bytes()
        == bf16_dirs[1].joinpath("predictions.jsonl").read_bytes()
    ), "byte-identical reruns per (device, dtype)"
    fp32_dir = next(d for d, m in manifests.items() if m["model"]["placement"]["dtype"] == "float32")
    # bf16 has 8 mantissa bits: probabilities written to 6 decimals show that the weights were really cast.
    fp32_bytes = fp32_dir.joinpath("predictions.jsonl").read_bytes()
    assert fp32_bytes != bf16_dirs[0].joinpath("predictions.jsonl").read_bytes()


def test_int8_predictions_are_valid_and_do_not_depend_on_other_articles(
    trained: Path, corpus: dict[str, Path]
) -> None:
    articles = [item.article for item in JsonlSource({"test": str(corpus["test"])}).read()["test"]]
    window = {"max_length": 64, "stride": 16, "device": "cpu", "batch_size": 1}
    int8 = EncoderModel(str(trained), quantize="int8", **window)
    together = int8.predict(articles)
    assert together == [int8.predict([article])[0] for article in articles]
    fp32 = EncoderModel(str(trained), **window).predict(articles)
    assert [len(p.claims) for p in together] == [len(a.claims) for a in articles]
    assert together != fp32, "int8 weights must give other probabilities than fp32"


def test_a_bf16_training_with_a_shape_head_records_both_and_reads_the_head_back(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    # One training for two options (each costs a training): mixed precision and the word-shape head.
    done = train_tiny(corpus, tmp_path / "tiny", 2, "model.dtype=bfloat16", "shape_features=true")
    assert done.returncode == 0, done.stderr[-3000:]
    manifest = json.loads((tmp_path / "tiny" / "train_manifest.json").read_text())
    assert manifest["hyperparameters"]["placement"] == {"device": "cpu", "dtype": "bfloat16"}
    assert manifest["hyperparameters"]["mixture"]["shape_features"] is True
    assert all(h["loss"] > 0 for h in manifest["dev"]["history"])
    model = EncoderModel(str(tmp_path / "tiny"), max_length=64, stride=16, device="cpu")
    articles = [item.article for item in JsonlSource({"test": str(corpus["test"])}).read()["test"]]
    predictions = model.predict(articles)
    head = model._predictor.model.shape_head  # noqa: SLF001 -- the head was read back from the checkpoint
    assert head is not None and head.weight.abs().sum() > 0, "the shape head learnt nothing"
    assert [p.article_id for p in predictions] == [a.id for a in articles]


def test_a_calibrated_training_keeps_the_shift_that_gives_its_recorded_dev_f1(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    done = train_tiny(corpus, tmp_path / "tiny", 2, "calibrate_certainty=true")
    assert done.returncode == 0, done.stderr[-3000:]
    manifest = json.loads((tmp_path / "tiny" / "train_manifest.json").read_text())
    record = manifest["calibration"]
    assert manifest["hyperparameters"]["mixture"]["calibrate_certainty"] is True
    assert record["dev_hedged_f1_after"] >= record["dev_hedged_f1_before"]
    # The saved checkpoint, read back as a run reads it, scores on dev what the calibration recorded.
    model = EncoderModel(str(tmp_path / "tiny"), max_length=64, stride=16, device="cpu")
    dev = [item.article for item in JsonlSource({"dev": str(corpus["dev"])}).read()["dev"]]
    truth = [c.certainty == "hedged" for a in dev for c in a.claims]
    said = [c.certainty == "hedged" for p in model.predict(dev) for c in p.claims]
    assert record["dev_claims"] == len(truth)
    assert Counts.from_pairs(truth, said).f1 == pytest.approx(record["dev_hedged_f1_after"], abs=1e-6)


def test_the_audit_finds_batching_changes_no_logit(
    trained: Path, corpus: dict[str, Path], tmp_path: Path
) -> None:
    done = run_cli(
        "bench.audit",
        "model=tiny",
        f"model.checkpoint={trained}",
        "audit.articles=4",
        "audit.batch_sizes=[3,1]",
        f"audit.root={tmp_path / 'audits'}",
        *WINDOW_OVERRIDES,
        *data_overrides(corpus),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (path,) = (tmp_path / "audits").rglob("audit.json")
    record = json.loads(path.read_text())
    assert record["reference"] == {"device": "cpu", "batch_size": 3}
    assert record["data"]["articles"] == 4 and record["model"]["placement"]["device"] == "cpu"
    (cpu_batch_1, *_) = record["differences"]
    assert cpu_batch_1["variant"] == {"device": "cpu", "batch_size": 1}
    # Windows are batched only with windows of equal length: no padding, so no difference at all.
    assert cpu_batch_1["max_abs_logit_difference"] == 0.0 and cpu_batch_1["labels_changed"] == 0
    assert cpu_batch_1["labels"] > 0


# The mixture of issue 28 at a small scale: a corpus without MISC (masked) read whole, and a claims corpus
# sampled afresh each epoch.
MIXTURE = (
    "extra_data=[uner_ewt,szeged_wiki]",
    "extra_max_articles.uner_ewt=12",
    "extra_max_articles.szeged_wiki=30",
    "+extra_per_epoch.szeged_wiki=6",
    "attribution_unmarked=[szeged_wiki]",
)


@requires_shared("uner_ewt")
@requires_shared("szeged_wikipedia")
def test_a_sampled_and_masked_mixture_trains_byte_identically_and_records_itself(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for checkpoint in (first, second):
        done = train_tiny(corpus, checkpoint, 2, *MIXTURE)
        assert done.returncode == 0, done.stderr[-3000:]
    for name in WEIGHT_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    manifest = json.loads((first / "train_manifest.json").read_text())
    by_id = {d["id"]: d for d in manifest["data"]}
    assert (by_id["szeged_wiki"]["articles"], by_id["szeged_wiki"]["per_epoch"]) == (30, 6)
    assert by_id["uner_ewt"]["entity_labels"] == ["PER", "ORG", "LOC"] and by_id["uner_ewt"]["licence"]
    assert manifest["hyperparameters"]["mixture"]["extra_per_epoch"] == {"szeged_wiki": 6}
