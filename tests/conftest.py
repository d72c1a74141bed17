"""Shared test helpers: running the CLI as a user would, and locating the external corpora."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.core.paths import PROJECT_ROOT

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


def requires_shared(corpus: str) -> pytest.MarkDecorator:
    """Skip (with the reason) when an external corpus is not on this machine, as on a user's fresh clone."""
    path = SHARED_DATA / corpus
    return pytest.mark.skipif(
        not path.exists(), reason=f"{path} not found: external corpus not on this machine"
    )


def run_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``python -m <args>`` from the project root and capture its output."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1"}
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


@pytest.fixture
def runs_root(tmp_path: Path) -> Path:
    return tmp_path / "runs"


def run_dirs(root: Path) -> list[Path]:
    return sorted(path.parent for path in root.rglob("scores.json"))
