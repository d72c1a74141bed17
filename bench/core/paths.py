"""Where the project lives, so that config paths mean the same thing from any working directory."""

from __future__ import annotations

import stat
from pathlib import Path

from bench.errors import InputError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = PROJECT_ROOT / "conf"
# This project's byte copies of the external corpora, beside the checkout (absent on a user's machine).
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


def resolve(path: str | Path) -> Path:
    """A config path: absolute as given, otherwise relative to the project root (not the cwd)."""
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else (PROJECT_ROOT / candidate).resolve()


def refuse_special_file(path: Path) -> None:
    """Refuse a path that is a FIFO, a device or a socket before anything opens it.

    A path can come from a file someone else wrote (a run's ``config.yaml``): a FIFO would hang the reader
    for ever and ``/dev/zero`` fill its memory. A missing path is left to the reader's own error."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise InputError(path, None, "not a regular file (a FIFO, a device or a socket is never read)")
