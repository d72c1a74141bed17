"""The README's commands work as printed: every Hydra command composes (config names and keys exist), and
every lexicon run runs, on the project's data, into a temporary folder."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from conftest import SHARED_DATA, run_cli

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
