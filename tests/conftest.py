"""Shared test helpers: running the CLI as a user would, and locating the external corpora."""

from __future__ import annotations

import contextlib
import io
import os
import runpy
import subprocess
import sys
import traceback
import warnings
from pathlib import Path

import pytest

from bench.core.paths import PROJECT_ROOT

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


def examples(full: int) -> int:
    """Hypothesis examples for a property test: ``full`` under CI (``.ci/run`` sets CI=true), a quarter in a
    local run, so the inner loop stays quick while CI searches as widely as before. Hypothesis keeps every
    failing example it finds in its local database and replays it first, whatever the budget."""
    return full if os.environ.get("CI", "").lower() == "true" else max(10, full // 4)


def requires_shared(corpus: str) -> pytest.MarkDecorator:
    """Skip (with the reason) when an external corpus is not on this machine, as on a user's fresh clone."""
    path = SHARED_DATA / corpus
    return pytest.mark.skipif(
        not path.exists(), reason=f"{path} not found: external corpus not on this machine"
    )


def run_cli(*args: str, timeout: float = 600, isolated: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``python -m <args>`` from the project root and capture its output: in this process (``runpy``,
    as ``python -m`` would run it: a fraction of a second instead of a fresh interpreter's import time),
    or in a new process with ``isolated`` (exit status as a shell sees it, signals, clean ``sys.modules``)."""
    if not isolated:
        return run_in_process(*args)
    env = {**os.environ, "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1"}
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def run_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m <args>`` through ``runpy`` with ``sys.argv``, the working folder and the output redirected;
    ``SystemExit`` gives the return code, an uncaught exception code 1 and its traceback on stderr."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv, Path.cwd(), os.environ.get("TQDM_DISABLE")
    sys.argv, code = [args[0], *args[1:]], 0
    os.environ["TQDM_DISABLE"] = "1"
    os.chdir(PROJECT_ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            # runpy warns that a command module (bench.results.gate) was imported before: as in a fresh
            # process, its code runs again as __main__, so the warning says nothing here.
            warnings.filterwarnings("ignore", "'bench", RuntimeWarning)
            try:
                runpy.run_module(args[0], run_name="__main__", alter_sys=True)
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
            except Exception:  # noqa: BLE001 -- what a crashing process would print
                traceback.print_exc()
                code = 1
    finally:
        sys.argv = saved[0]
        os.chdir(saved[1])
        if saved[2] is None:
            os.environ.pop("TQDM_DISABLE", None)
        else:
            os.environ["TQDM_DISABLE"] = saved[2]
    return subprocess.CompletedProcess(["python", "-m", *args], code, out.getvalue(), err.getvalue())


@pytest.fixture
def runs_root(tmp_path: Path) -> Path:
    return tmp_path / "runs"


def run_dirs(root: Path) -> list[Path]:
    return sorted(path.parent for path in root.rglob("scores.json"))
