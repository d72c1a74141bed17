"""What a run records about where its numbers came from (``manifest.json``)."""

from __future__ import annotations

import platform
import subprocess
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
    """Commit and dirty flag of the project checkout; ``None`` outside a git checkout."""
    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": None if status is None else bool(status)}


def environment() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
    }
