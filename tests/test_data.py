"""Loading the canonical JSONL into a DatasetDict, and validation of every schema rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import check_splits
from omegaconf import OmegaConf

from bench.core.paths import PROJECT_ROOT
from bench.core.validate import article_problems
from bench.corpus.build import SPLITS_FILE, check, compile_all, read_splits
from bench.data import load as data
from bench.errors import InputError
from bench.schema import Article, Claim, Entity, Span

SEED = PROJECT_ROOT / "seeds" / "assad-asylum.txt"
SHARED_SEED = PROJECT_ROOT.parent / "shared" / "seeds" / "assad-asylum.txt"


def seed_article() -> Article:
    return compile_all()["seed-assad-asylum"]


def test_seed_file_is_the_shared_seed_byte_for_byte() -> None:
    if not SHARED_SEED.exists():
        pytest.skip(f"{SHARED_SEED} not found: the shared seed folder is not on this machine")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_compiled_seed_text_equals_the_seed() -> None:
    assert seed_article().text == SEED.read_text(encoding="utf-8")


def test_seed_is_in_the_test_split() -> None:
    assert "seed-assad-asylum" in read_splits(SPLITS_FILE)["test"]


def test_split_files_are_what_the_sources_compile_to() -> None:
    assert check(), "data/*.jsonl is stale: run python -m bench.corpus build"


def news_config() -> object:
    return OmegaConf.load(PROJECT_ROOT / "conf" / "data" / "news.yaml")


def test_dataset_dict_has_explicit_features_and_round_trips_articles() -> None:
    loaded = data.load(news_config())
    test_split = loaded.dataset["test"]
    assert test_split.features == data.features()
    assert test_split.features["entities"].feature["label"].names == ["PER", "ORG", "LOC", "MISC"]
    by_id = {article.id: article for article in data.articles(test_split)}
    assert by_id["seed-assad-asylum"] == seed_article()


def fingerprint(article: Article, version: int = 1) -> str:
    digest = data.Fingerprint("news", version)
    digest.split("test")
    digest.article(article)
    return digest.hexdigest()


def test_fingerprint_is_deterministic_and_content_sensitive() -> None:
    article = seed_article()
    first = fingerprint(article)
    assert first == fingerprint(article)
    changed = Article(
        article.id, article.title, article.text, article.topic, article.entities[1:], article.claims
    )
    assert fingerprint(changed) != first
    assert fingerprint(article, version=2) != first


TEXT = "Ann may go to Rome."
CLAIM = Claim(0, 19, "hedged", (Span(4, 7),))


@pytest.mark.parametrize(
    ("entities", "claims", "problem"),
    [
        ((Entity(14, 25, "LOC"),), (CLAIM,), "out of range"),
        ((Entity(13, 18, "LOC"),), (CLAIM,), "whitespace"),
        ((Entity(0, 3, "PER"), Entity(2, 6, "PER")), (CLAIM,), "overlap"),
        ((Entity(0, 3, "PERSON"),), (CLAIM,), "unknown label 'PERSON'"),
        ((), (Claim(0, 10, "hedged", (Span(14, 18),)),), "outside its claim"),
        ((), (Claim(0, 19, "hedged"),), "hedged but has no cue"),
        ((), (Claim(0, 19, "confirmed", (Span(4, 7),)),), "confirmed but has 1 cue"),
        ((), (Claim(0, 19, "maybe", (Span(4, 7),)),), "unknown certainty"),
        ((), (Claim(0, 10, "confirmed"), Claim(5, 19, "confirmed")), "overlap"),
    ],
)
def test_validator_names_each_problem(entities: tuple, claims: tuple, problem: str) -> None:
    problems = article_problems(Article("a", "t", TEXT, "politics", entities, claims))
    assert any(problem in p for p in problems), problems


def test_validator_accepts_a_valid_article() -> None:
    assert article_problems(Article("a", "t", TEXT, "politics", (Entity(0, 3, "PER"),), (CLAIM,))) == []


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_duplicate_ids_across_splits_are_refused(tmp_path: Path) -> None:
    row = seed_article().to_json()
    source = data.JsonlSource(
        {
            "a": str(write_jsonl(tmp_path / "a.jsonl", [row])),
            "b": str(write_jsonl(tmp_path / "b.jsonl", [row])),
        }
    )
    with pytest.raises(InputError, match="duplicate id, first used at .*a.jsonl:1"):
        check_splits(source.read())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda row: row.pop("text"), "missing field 'text'"),
        (lambda row: row.update(entities=[{"start": "0", "end": 3, "label": "PER"}]), "'start' must be int"),
        (
            lambda row: row.update(claims=[{"start": 0, "end": True, "certainty": "x", "cues": []}]),
            "'end' must be int",
        ),
    ],
)
def test_wrong_types_are_refused_not_coerced(tmp_path: Path, mutate, message: str) -> None:
    row = seed_article().to_json()
    mutate(row)
    path = write_jsonl(
        tmp_path / "t.jsonl",
        [{"id": "ok", "title": "", "text": "", "topic": "t", "entities": [], "claims": []}, row],
    )
    with pytest.raises(InputError, match=f"t.jsonl:2: .*{message}"):
        data.JsonlSource({"test": str(path)}).read()


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    valid = json.dumps(seed_article().to_json()).encode()
    path.write_bytes(valid + b'\n{"id": "\xff"}\n')
    with pytest.raises(InputError, match=r"t.jsonl:2: +not valid UTF-8"):
        data.JsonlSource({"test": str(path)}).read()
