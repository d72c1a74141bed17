"""The README's commands work as printed: every Hydra command composes (config names and keys exist), and
every lexicon run runs, on the project's data, into a temporary folder."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SHARED_DATA, run_cli

from bench.core.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow  # ~20 command runs: part of .ci/run, not of the inner loop

HYDRA_MODULES = {"bench", "bench.train", "bench.audit"}
# data config -> the folder of ../shared/data it reads (news_real rebuilds its text from GUM and others)
EXTERNAL = {"wikigold": "wikigold", "bioscope": "bioscope", "news_real": "gum", "uner_pud": "uner_pud",
            "uner_pud_news": "uner_pud", "szeged_wiki": "szeged_wikipedia"}  # fmt: skip


def readme_commands() -> list[list[str]]:
    """``python -m ...`` lines of the README's bash blocks (continuations joined, comments dropped), without
    those holding a placeholder (``<timestamp>``, ``[--compare ...]``)."""
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)
    commands = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" # ")[0].strip()
            if line.startswith("python -m ") and not re.search(r"<[^>]+>|\[", line):
                commands.append(shlex.split(line)[2:])
    return commands


COMMANDS = readme_commands()
HYDRA = [c for c in COMMANDS if c[0] in HYDRA_MODULES and "-m" not in c[1:]]
LEXICON_RUNS = [c for c in HYDRA if c[0] == "bench" and "model=minilm" not in " ".join(c)]


def test_the_readme_has_commands_of_each_kind() -> None:
    assert len(HYDRA) >= 10 and len(LEXICON_RUNS) >= 6


@pytest.mark.parametrize("command", HYDRA, ids=" ".join)
def test_each_hydra_command_of_the_readme_composes(command: list[str]) -> None:
    done = run_cli(*command, "--cfg", "job")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "model:" in done.stdout


@pytest.mark.parametrize("command", LEXICON_RUNS, ids=" ".join)
def test_each_lexicon_run_of_the_readme_runs(command: list[str], tmp_path: Path) -> None:
    needs = next((folder for name, folder in EXTERNAL.items() if f"data={name}" in command), None)
    if needs and not (SHARED_DATA / needs).exists():
        pytest.skip(f"{SHARED_DATA / needs} not found: external corpus not on this machine")
    small = [] if any(arg.startswith("limit=") for arg in command) else ["limit=3"]
    done = run_cli(
        *command, *small, "eval.resamples=20", f"run.root={tmp_path}", f"run.cache={tmp_path / 'c'}"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "run directory: " in done.stdout


# ---- the other commands --------------------------------------------------------------------------------

# Read-only commands, run exactly as printed.
AS_PRINTED = ("bench.corpus compile data/articles/pol-001.txt", "bench.corpus stats", "bench.lint")
# The suite of the two models that need no training, with its runs in a temporary folder.
SUITE = "bench.suite model=lexicon,spacy_sm data=news,news_real"
# Commands that name a run directory: run on fresh lexicon runs in a temporary folder instead.
ON_A_FRESH_RUN = ("bench.rescore", "bench.gate", "bench.tables", "bench.report")
# Commands not run here, each with the reason.
NOT_RUN = {
    "bench -m": "sweeps over trained models (tiny, minilm); sweeps are tested in test_models_sweep.py",
    "bench.suite model=lexicon,spacy_sm,tiny": "needs trained models (tiny, minilm, minilm_real)",
    "bench.suite model=lexicon,spacy_sm,minilm": "needs trained models (minilm, minilm_real)",
    "bench.train": "trains (composed above; training is tested in test_train_tiny.py)",
    "bench.audit": "needs a trained checkpoint (composed above; the audit is tested in test_train_tiny.py)",
    "bench model=minilm": "needs a trained checkpoint (composed above)",
    "bench model=hf": "needs a checkpoint folder of the user's",
    "bench model=predictions": "needs a predictions file of the user's; see test_own_model.py",
    "bench model=llm": "needs a chat server of the user's; test_llm.py runs it against a scripted server",
    "bench.fetch": "downloads from the public origins; test_fetch.py runs it against a loopback mirror",
    "bench.corpus news-real build": "needs the git-ignored markup in work/ (the annotators' files)",
    "bench.corpus news-real skeletons": "writes the git-ignored markup working folder (test_meantime.py)",
    "bench.corpus news-real check": "reads the git-ignored markup in work/ (test_news_real_authoring.py)",
    "bench.corpus news-real export": "writes the git-ignored markup folder (test_news_real_authoring.py)",
}
# Commands that rewrite tracked files: run in a copy of the repository, and must give the same bytes.
REWRITERS = {
    "bench.corpus build": ("data/train.jsonl", "data/dev.jsonl", "data/test.jsonl"),
    "bench.corpus news-real card data/README.md": ("data/README.md",),
    "bench.corpus.agreement_news_real": ("results/agreement_news_real.md",),
    "bench.corpus.agreement_news_real --meantime": ("results/agreement_meantime.md",),
    "bench.corpus news-real validate-gum": ("results/gum_validation.md",),
}


def all_commands() -> list[str]:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line.split(" # ")[0].strip() for block in re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)
             for line in block.replace("\\\n", " ").splitlines()]  # fmt: skip
    return [line.removeprefix("python -m ") for line in lines if line.startswith("python -m ")]


def test_every_readme_command_is_run_composed_or_skipped_for_a_stated_reason() -> None:
    composed = {" ".join(c) for c in HYDRA}
    for command in all_commands():
        covered = (
            command in composed
            or command.startswith(AS_PRINTED)
            or command.startswith(ON_A_FRESH_RUN)
            or command == SUITE
            or command in REWRITERS
            or command.startswith(tuple(NOT_RUN))
        )
        assert covered, f"README command not covered by a test: python -m {command}"


@pytest.mark.parametrize("command", AS_PRINTED)
def test_each_read_only_command_runs_as_printed(command: str) -> None:
    assert any(c.startswith(command) for c in all_commands()), f"no longer in the README: {command}"
    done = run_cli(*shlex.split(command))
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_run_directory_commands_work_on_fresh_runs(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    for model in ("lexicon", "lexicon"):  # the baseline's resamples: the gate refuses other statistics
        done = run_cli(
            "bench", f"model={model}", "eval.resamples=1000", f"run.root={runs}", f"run.cache={tmp_path}"
        )
        assert done.returncode == 0, done.stderr[-2000:]
    first, second = sorted((runs / "news-test" / "lexicon").iterdir())
    printed = {c.split()[0]: c for c in all_commands() if c.startswith(ON_A_FRESH_RUN)}
    assert set(printed) == set(ON_A_FRESH_RUN)
    fresh = {
        "results/runs/news-test/lexicon/<timestamp>": str(first),
        "results/runs/news-test/minilm/<timestamp>": str(first),
        "[--compare <other run>]": f"--compare {second}",
        "--out report.html": f"--out {tmp_path / 'report.html'}",
        "--out tables/news-test": f"--out {tmp_path / 'tables' / 'news-test'}",
        "--latest results/runs/news-test": f"--latest {runs / 'news-test'}",
    }
    for command in printed.values():
        for printed_part, replacement in fresh.items():
            command = command.replace(printed_part, replacement)
        done = run_cli(*shlex.split(command))
        assert done.returncode == 0, f"python -m {command}\n{done.stderr[-2000:]}"
    assert (tmp_path / "report.html").is_file() and (tmp_path / "tables" / "news-test.tex").is_file()


def test_the_suite_of_the_untrained_models_runs(tmp_path: Path) -> None:
    assert SUITE in all_commands(), "no longer in the README"
    if not (SHARED_DATA / "gum").exists():
        pytest.skip(f"{SHARED_DATA / 'gum'} not found: news_real's sources are not on this machine")
    where = [f"run.root={tmp_path / 'runs'}", f"run.cache={tmp_path / 'cache'}", "eval.resamples=20"]
    done = run_cli(*shlex.split(SUITE), *where, "--out", str(tmp_path / "suite"))
    assert done.returncode == 0, done.stderr[-2000:]
    table = (tmp_path / "suite.md").read_text(encoding="utf-8")
    assert "| lexicon |" in table and "| spacy_sm |" in table and "news_real Ent F1" in table


@pytest.fixture(scope="module")
def repository_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tracked files in a temporary folder, next to a link to ../shared as the real checkout has it."""
    root = tmp_path_factory.mktemp("copy")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True)
    for name in listed.stdout.decode().split("\0"):
        if name and (PROJECT_ROOT / name).is_file():
            (root / "repo" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT_ROOT / name, root / "repo" / name)
    if SHARED_DATA.exists():
        (root / "shared").symlink_to(SHARED_DATA.parent)
    return root / "repo"


@pytest.mark.parametrize("command", sorted(REWRITERS))
def test_each_command_that_rewrites_tracked_files_reproduces_them(
    command: str, repository_copy: Path
) -> None:
    assert command in all_commands(), "no longer in the README"
    if "news-real card" in command and not (SHARED_DATA / "gum").exists():
        pytest.skip(f"{SHARED_DATA / 'gum'} not found: news_real's sources are not on this machine")
    env = {**os.environ, "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1"}
    # cwd is the copy, so `python -m` imports the copy's bench and writes into the copy.
    done = subprocess.run([sys.executable, "-m", *shlex.split(command)], cwd=repository_copy, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    for name in REWRITERS[command]:
        assert (repository_copy / name).read_bytes() == (PROJECT_ROOT / name).read_bytes(), name


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed (.ci/run installs it)")
def test_the_screenshot_recipe_works_as_printed(tmp_path: Path) -> None:
    """The report command and the chromium line, run by a shell from one folder as the README prints them."""
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    report, shot = (line.split(" # ")[0].strip() for line in text.splitlines()
                    if line.startswith(("python -m bench.report ", "chromium --headless")))  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TQDM_DISABLE": "1"}
    done = subprocess.run([sys.executable, "-m", "bench", "model=lexicon", "eval.resamples=20"], cwd=tmp_path,
                          env=env, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    (run,) = (tmp_path / "results" / "runs" / "news-test" / "lexicon").iterdir()
    report = report.replace("results/runs/news-test/minilm/<timestamp>", str(run.relative_to(tmp_path)))
    report = report.replace(" [--compare <other run>]", "").replace("python", sys.executable, 1)
    for line in (report, shot):
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{line}\n{done.stderr[-2000:]}"
    png = next(tmp_path.glob("*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
