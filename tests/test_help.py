"""``--help`` of every command says what it does and runs nothing: no data read, no file written."""

from __future__ import annotations

import subprocess

import pytest
from helpers import run_cli

from bench.cli import COMMANDS
from bench.core.paths import PROJECT_ROOT

# Tracked files that some command rewrites when it runs (agreement reports, the corpus splits, the card).
REWRITTEN = ("results/agreement.md", "results/agreement_news_real.md", "data/test.jsonl", "data/README.md")
DUMPED_CONFIG = ("_target_:", "defaults:", "checkpoint:")


def state() -> tuple[str, list[int]]:
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True).stdout  # fmt: skip
    return status, [(PROJECT_ROOT / name).stat().st_mtime_ns for name in REWRITTEN]


@pytest.mark.parametrize(
    "module", ["bench", *(f"bench.{c}" for c in COMMANDS), "bench.corpus.agreement_news_real"]
)
def test_help_explains_and_runs_nothing(module: str) -> None:
    before = state()
    done = run_cli(module, "--help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(done.stdout.strip().splitlines()) >= 3, done.stdout
    assert not any(marker in done.stdout for marker in DUMPED_CONFIG), done.stdout
    assert state() == before
