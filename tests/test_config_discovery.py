"""Datasets and models are found in ``conf/``: a new ``conf/data/<id>.yaml`` is in ``bench.suite``'s default
columns, the ``--help`` text and the binding tests with no other edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import assert_source_binds, data_config

from bench.__main__ import help_text
from bench.core import paths
from bench.core.configs import corpus_ids, dataset_ids, model_ids
from bench.data.sources import fetchable
from bench.results.suite import requested_datasets

SUITE_COLUMNS = ("news", "news_real", "wikigold", "bioscope", "uner_pud", "uner_pud_news", "szeged_wiki")


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of ``conf/`` with one more dataset, ``extra`` (the news split files under another id), made
    the project's config folder."""
    conf = tmp_path / "conf"
    shutil.copytree(paths.CONFIG_DIR, conf)
    news = (conf / "data" / "news.yaml").read_text(encoding="utf-8")
    (conf / "data" / "extra.yaml").write_text(news.replace("id: news\n", "id: extra\n"), encoding="utf-8")
    monkeypatch.setattr(paths, "CONFIG_DIR", conf)
    return conf


def test_a_new_dataset_yaml_is_in_the_suite_the_help_and_the_binding_tests(config_dir: Path) -> None:
    assert "extra" in dataset_ids()
    assert requested_datasets({}) == list(dataset_ids())
    assert "extra" in requested_datasets({})
    assert "extra" not in requested_datasets({"data": "news,wikigold"})
    data_line = next(line for line in help_text().splitlines() if "conf/data/*.yaml" in line)
    assert "extra" in data_line
    assert_source_binds(data_config("extra", config_dir), "extra")


def test_the_suite_columns_keep_their_order_and_every_model_is_in_the_help() -> None:
    assert dataset_ids() == SUITE_COLUMNS  # the committed suite table's column groups
    model_line = next(line for line in help_text().splitlines() if "conf/model/*.yaml" in line)
    assert model_line.endswith("(" + ", ".join(model_ids()) + ");")
    assert {"lexicon", "spacy_sm", "minilm", "hf", "llm", "predictions"} <= set(model_ids())


def test_a_training_only_corpus_is_fetchable_but_no_suite_column(config_dir: Path) -> None:
    """``suite: false`` (GUM's other genres, UNER-EWT dev): training data a user can fetch, never a dataset
    the suite would score a model on."""
    news = (config_dir / "data" / "news.yaml").read_text(encoding="utf-8")
    training_only = news.replace("id: news\n", "id: trainonly\nsuite: false\n")
    (config_dir / "data" / "trainonly.yaml").write_text(training_only, encoding="utf-8")
    assert "trainonly" not in dataset_ids() and "trainonly" not in requested_datasets({})
    assert "trainonly" in corpus_ids() and "extra" in corpus_ids()
    assert {"gum_other", "gum_other_nc", "uner_ewt"} <= set(fetchable()) - set(dataset_ids())
