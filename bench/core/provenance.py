"""What a run records about where its numbers came from (``manifest.json``)."""

from __future__ import annotations

import platform
import subprocess
from pathlib import Path
from typing import Any

from bench.core.code_identity import versions_of
from bench.core.paths import PACKAGE_PARENT, PROJECT_ROOT

PACKAGES = (
    "bench",
    "torch",
    "transformers",
    "tokenizers",
    "datasets",
    "evaluate",
    "hydra-core",
    "numpy",
    "spacy",
    "safetensors",
)


def package_versions() -> dict[str, str | None]:
    return versions_of(PACKAGES)


def _git(*args: str) -> str | None:
    if PROJECT_ROOT != PACKAGE_PARENT:  # an installed wheel: no checkout (site-packages may sit in someone's)
        return None
    try:
        done = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def git_state() -> dict[str, Any]:
    """Commit, dirty flag and number of uncommitted tracked files of the project checkout; ``None`` outside a
    git checkout (an installed wheel)."""
    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no")
    uncommitted = None if status is None else len(status.splitlines())
    return {
        "commit": commit,
        "dirty": None if status is None else bool(status),
        "uncommitted_files": uncommitted,
    }


def environment() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
    }


def tracked_note(path: Path) -> str:
    """What a command that wrote ``path`` must add when the project's repository tracks that file."""
    if _git("ls-files", "--error-unmatch", str(path.resolve())) is None:
        return ""
    return " (a file the repository tracks: your working tree is now dirty, so later runs are marked †)"
