"""``python -m bench.fetch``: every external dataset from pinned public files, and how runs find them.

The public origins are stood in for by a loopback HTTP server over a copy of ``../shared/data`` (laid out like
the cache); ``../shared/data`` itself is hidden from the run (``sources.SHARED_DATA``) so that the cache is
the only place a corpus can come from, as on a user's machine.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from helpers import SHARED_DATA, requires_shared, run_cli, serve
from omegaconf import OmegaConf

from bench.core.paths import CONFIG_DIR
from bench.data import load as data_module
from bench.data import sources
from bench.data.sources import corpus, fetchable

EXTERNAL = {"wikigold", "bioscope", "uner_pud", "uner_pud_news", "szeged_wiki", "news_real"}


@pytest.fixture
def user_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No ../shared/data; an empty fetch cache in $BENCH_SOURCES. Returns the cache."""
    monkeypatch.setattr(sources, "SHARED_DATA", tmp_path / "no-shared")
    cache = tmp_path / "cache"
    monkeypatch.setenv("BENCH_SOURCES", str(cache))
    monkeypatch.delenv("BENCH_MIRROR", raising=False)
    return cache


def data_config(name: str, **overrides: str):
    return OmegaConf.merge(OmegaConf.load(CONFIG_DIR / "data" / f"{name}.yaml"), OmegaConf.create(overrides))


def test_every_external_dataset_is_fetchable_with_a_licence() -> None:
    configs = fetchable()
    assert set(configs) >= EXTERNAL
    for name, cfg in configs.items():
        found = corpus(cfg)
        assert found is not None and found.licence != "not stated", name
        assert all(f.url.startswith("https://raw.githubusercontent.com/") for f in found.files), name
        assert all(len(f.sha256) == 64 for f in found.files), name


@requires_shared("wikigold")
def test_every_pinned_sha256_is_the_shared_copy_s() -> None:
    for name, cfg in fetchable().items():
        for pinned in corpus(cfg).files:
            digest = hashlib.sha256((SHARED_DATA / pinned.path).read_bytes()).hexdigest()
            assert digest == pinned.sha256, f"{name}: {pinned.path}"


def test_a_missing_corpus_is_one_line_naming_the_fetch_command_and_licence(user_machine: Path) -> None:
    done = run_cli("bench", "data=wikigold", "model=lexicon")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "`python -m bench.fetch wikigold`" in lines[0] and "CC BY 4.0" in lines[0]


@requires_shared("wikigold")
def test_fetch_all_from_a_mirror_then_datasets_load_from_the_cache(user_machine: Path) -> None:
    with serve(SHARED_DATA) as url:
        done = run_cli("bench.fetch", "--all", "--mirror", url)
    assert done.returncode == 0, done.stderr
    for name in EXTERNAL:
        assert f"{name}: " in done.stdout and "licence: " in done.stdout
        recorded = json.loads((user_machine / "licences" / f"{name}.json").read_text(encoding="utf-8"))
        assert recorded["licence"] == corpus(fetchable()[name]).licence
    assert len(data_module.load(data_config("wikigold")).splits["test"]) == 145
    assert len(data_module.load(data_config("uner_pud_news")).splits["test"]) == 215


@requires_shared("wikigold")
def test_a_changed_mirror_byte_is_one_line_with_both_hashes_and_nothing_cached(
    user_machine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = tmp_path / "served"
    shutil.copytree(SHARED_DATA / "wikigold", served / "wikigold")
    target = served / "wikigold" / "wikigold.conll.txt"
    raw = bytearray(target.read_bytes())
    raw[1000] ^= 1
    target.write_bytes(bytes(raw))
    with serve(served) as url:
        monkeypatch.setenv("BENCH_MIRROR", url)  # the mirror from the environment, no --mirror
        done = run_cli("bench.fetch", "wikigold")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    pinned = corpus(fetchable()["wikigold"]).files[0].sha256
    assert "wikigold/wikigold.conll.txt" in lines[0]
    assert pinned in lines[0] and hashlib.sha256(bytes(raw)).hexdigest() in lines[0]
    assert not user_machine.exists() or [p for p in user_machine.rglob("*") if p.is_file()] == []


@requires_shared("wikigold")
def test_an_explicit_path_comes_before_shared_and_cache(user_machine: Path, tmp_path: Path) -> None:
    own = tmp_path / "mine.conll"
    own.write_text("-DOCSTART- O\n\nParis I-LOC\nis O\nbig O\n", encoding="utf-8")
    loaded = data_module.load(data_config("wikigold", **{"source": {"path": str(own)}}))
    assert [a.text for a in loaded.splits["test"]] == ["Paris is big"]


@requires_shared("wikigold")
def test_the_shared_copy_comes_before_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_SOURCES", str(tmp_path / "empty"))
    found = sources.find_root(corpus(fetchable()["wikigold"]))
    assert found == SHARED_DATA
