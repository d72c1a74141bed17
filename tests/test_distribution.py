"""A real distribution: the wheel carries conf/, the data a run reads, resources and prompts, and a ``bench``
console script; every relative path means the current folder, in every command, from any folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bench.core.paths import PACKAGE_PARENT, PROJECT_ROOT

HOME_FILES = (
    "conf/config.yaml",
    "conf/data/news_real.yaml",
    "conf/model/lexicon.yaml",
    "conf/hydra/launcher/slurm.yaml",
    "conf/prompts/entities.v1.txt",
    "data/test.jsonl",
    "data/news_real/annotations.jsonl",
    "data/news_real/sources.json",
    "data/sources/wikigold.json",
    "bench/resources/hedge_cues.tsv",
)


def python(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m <args>`` in a fresh process from ``cwd``, importing this checkout's ``bench``."""
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_PARENT), "TQDM_DISABLE": "1", "PYTHONHASHSEED": "0"}
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def clean_export(target: Path) -> Path:
    """The files git would ship (tracked and not ignored), as a clean export or a fresh clone has them."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    for name in filter(None, listed):
        if (PROJECT_ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(PROJECT_ROOT / name, target / name)
    return target


@pytest.mark.slow  # builds a wheel (about 15 s)
def test_the_wheel_ships_configs_data_resources_and_the_console_script(tmp_path: Path) -> None:
    source = clean_export(tmp_path / "export")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("bench-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"bench/_home/{name}" for name in HOME_FILES} <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "bench = bench.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_relative_paths_mean_the_current_folder_in_every_command(tmp_path: Path) -> None:
    """From a folder that is not the project: the run goes under it, and rescore, report, gate and a
    predictions file all take paths relative to it."""
    done = python("bench", "model=lexicon", "eval.resamples=20", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    (run,) = (tmp_path / "results" / "runs" / "news-test" / "lexicon").iterdir()
    relative = str(run.relative_to(tmp_path))
    shutil.copyfile(run / "predictions.jsonl", tmp_path / "mine.jsonl")
    for command in (
        ("bench.rescore", relative),
        ("bench.report", relative),
        ("bench", "model=predictions", "model.path=mine.jsonl", "eval.resamples=20"),
    ):
        done = python(*command, cwd=tmp_path)
        assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
    assert not (PROJECT_ROOT / relative).exists()  # nothing went to the project folder


def test_the_console_script_dispatches_commands(tmp_path: Path) -> None:
    code = "import sys; from bench.cli import main; sys.argv = ['bench', *sys.argv[1:]]; main()"
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_PARENT)}
    done = subprocess.run(
        [sys.executable, "-c", code, "fetch", "--help"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and "--mirror" in done.stdout
