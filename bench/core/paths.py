"""Where the project lives, so that config paths mean the same thing from any working directory."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = PROJECT_ROOT / "conf"


def resolve(path: str | Path) -> Path:
    """A config path: absolute as given, otherwise relative to the project root (not the cwd)."""
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else (PROJECT_ROOT / candidate).resolve()
