"""Reliability guarantees an audit asked for: a cache that cannot go stale, runs that cannot collide, run
directories that cannot run code, configs checked before any work."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from helpers import run_cli, run_dirs

from bench.core.paths import PROJECT_ROOT


def _copy_project(target: Path) -> Path:
    """A private copy of the code, configs and data, so a test can edit the code that shapes predictions."""
    for name in ("bench", "conf", "data"):
        shutil.copytree(PROJECT_ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _run_in(project: Path, *overrides: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(project), "TQDM_DISABLE": "1", "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "bench", "model=lexicon", "eval.resamples=0", *overrides]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)


def _hedged_f1(run_root: Path) -> float:
    newest = max(run_dirs(run_root), key=lambda p: p.name)
    return json.loads((newest / "scores.json").read_text())["headline"]["claims.hedged.f1"]["value"]


def test_a_changed_threshold_with_a_warm_cache_recomputes(tmp_path: Path) -> None:
    project = _copy_project(tmp_path / "project")
    cache, runs = tmp_path / "cache", tmp_path / "runs"
    assert _run_in(project, f"run.cache={cache}", f"run.root={runs}").returncode == 0
    before = _hedged_f1(runs)
    base = project / "bench" / "models" / "base.py"
    base.write_text(base.read_text().replace("HEDGED_THRESHOLD = 0.5", "HEDGED_THRESHOLD = 0.9"))
    warm_runs = tmp_path / "warm-runs"  # its own root: nothing to tell apart by time
    warm = _run_in(project, f"run.cache={cache}", f"run.root={warm_runs}")  # same cache, edited code
    assert warm.returncode == 0, warm.stderr
    after_warm = _hedged_f1(warm_runs)
    cold_runs = tmp_path / "cold-runs"
    assert _run_in(project, f"run.cache={tmp_path / 'cold'}", f"run.root={cold_runs}").returncode == 0
    assert after_warm == _hedged_f1(cold_runs)  # the warm run is what a cold run says
    assert after_warm != before  # and the threshold did matter


def test_an_edited_cache_entry_is_not_used(tmp_path: Path) -> None:
    cache, runs = tmp_path / "cache", tmp_path / "runs"
    args = ("bench", "model=lexicon", "eval.resamples=0", f"run.cache={cache}", f"run.root={runs}")
    assert run_cli(*args).returncode == 0
    first = max(run_dirs(runs), key=lambda p: p.name)
    entry = sorted(cache.rglob("*.json"))[0]
    obj = json.loads(entry.read_text())
    obj["prediction"]["entities"] = []  # an edit that still parses and validates
    entry.write_text(json.dumps(obj))
    again = run_cli(*args)
    assert again.returncode == 0 and "does not check out" in again.stderr
    second = max(run_dirs(runs), key=lambda p: p.name)
    assert (first / "scores.json").read_bytes() == (second / "scores.json").read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(10))
def test_identical_runs_started_together_both_succeed(tmp_path: Path, trial: int) -> None:
    args = (
        "bench",
        "model=lexicon",
        "eval.resamples=0",
        f"run.cache={tmp_path / 'c'}",
        f"run.root={tmp_path / 'r'}",
    )
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: run_cli(*args, isolated=True), range(2)))  # two processes
    assert [r.returncode for r in results] == [0, 0], [r.stderr[-300:] for r in results]
    found = run_dirs(tmp_path / "r")
    assert len(found) == 2
    assert found[0].joinpath("scores.json").read_bytes() == found[1].joinpath("scores.json").read_bytes()


@pytest.mark.parametrize("command", ["bench.rescore", "bench.tables", "bench.gate", "bench.report"])
def test_a_run_naming_a_foreign_target_is_refused_without_calling_it(tmp_path: Path, command: str) -> None:
    done = run_cli("bench", "model=lexicon", "eval.resamples=20", f"run.cache={tmp_path / 'c'}",
                   f"run.root={tmp_path / 'r'}")  # fmt: skip
    assert done.returncode == 0, done.stderr
    (run_dir,) = run_dirs(tmp_path / "r")
    config = yaml.safe_load((run_dir / "config.yaml").read_text())
    witness = tmp_path / "written-by-the-attack"
    config["data"]["source"] = {"_target_": "builtins.open", "file": str(witness), "mode": "w"}
    (run_dir / "config.yaml").write_text(yaml.safe_dump(config))
    extra = {"bench.gate": ["--baseline", str(run_dir)], "bench.tables": ["--reference", "lexicon"]}
    refused = run_cli(command, str(run_dir), *extra.get(command, []))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "refused: _target_ 'builtins.open'" in refused.stderr
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert not witness.exists()


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("eval.confidence=1.5", "eval.confidence must be in (0, 1)"),
        ("eval.resamples=-3", "eval.resamples must be in [0, 1000000], got -3"),
        ("seed=-1", "seed must be >= 0"),
        ("threads=0", "threads: must be an integer >= 1"),
        ("run.chunk_articles=x", "run.chunk_articles: must be an integer >= 1"),
        ("+evall.resamples=3", "evall: unknown key"),
        ("limit=0", "limit: must be an integer >= 1"),
    ],
)
def test_bad_config_values_stop_before_anything_runs(tmp_path: Path, override: str, message: str) -> None:
    done = run_cli(
        "bench", "model=lexicon", override, f"run.cache={tmp_path / 'c'}", f"run.root={tmp_path / 'r'}"
    )
    assert done.returncode == 2
    assert message in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert not (tmp_path / "c").exists() and not (tmp_path / "r").exists()


def manifest_with_git(git: dict) -> str:
    """The committed baseline's manifest (a complete one: latest_runs parses it) with ``git`` replaced."""
    baseline = PROJECT_ROOT / "results" / "baselines" / "news-test" / "lexicon" / "manifest.json"
    return json.dumps({**json.loads(baseline.read_text(encoding="utf-8")), "git": git})


def test_latest_uses_runs_from_a_dirty_tree_unless_clean_only(tmp_path: Path) -> None:
    from bench.errors import InputError
    from bench.run.rundir import latest_runs

    for model in ("lexicon", "spacy_sm"):
        folder = tmp_path / model / "20260101-000000-abcdef"
        folder.mkdir(parents=True)
        (folder / "scores.json").write_text("{}")
        (folder / "manifest.json").write_text(manifest_with_git({"dirty": model == "spacy_sm"}))
    assert [p.parent.name for p in latest_runs(tmp_path).chosen] == ["lexicon", "spacy_sm"]
    clean = latest_runs(tmp_path, clean_only=True)
    assert [p.parent.name for p in clean.chosen] == ["lexicon"]
    assert [(p.parent.name, reason) for p, reason in clean.skipped] == [
        ("spacy_sm", "made from uncommitted changes (--clean-only)")
    ]
    with pytest.raises(InputError, match="not a folder"):
        latest_runs(tmp_path / "missing")


def test_of_two_runs_in_one_second_the_later_is_the_latest(tmp_path: Path, monkeypatch) -> None:
    from bench.run import rundir

    second = 1_780_000_000 * 10**9
    paths = {}
    for micros in (900_000, 1, 250_000):  # three start times within one second
        monkeypatch.setattr(rundir.time, "time_ns", lambda m=micros: second + m * 1000)
        paths[micros] = rundir.new_run_path(tmp_path, "news", "test", "lexicon")
    assert len({p.name[:15] for p in paths.values()}) == 1  # one second, to the name's second
    assert sorted(paths.values()) == [paths[1], paths[250_000], paths[900_000]]
    for path in paths.values():
        path.mkdir(parents=True)
        (path / "scores.json").write_text("{}")
        (path / "manifest.json").write_text(manifest_with_git({"dirty": False}))
    assert rundir.latest_runs(tmp_path / "news-test").chosen == [paths[900_000]]
