"""Where the benchmark's own files are, and the one rule for relative paths.

The rule: **a relative path is relative to the current directory**, wherever it is written (an override on
the command line, a config of yours, a command's argument), so outputs (``results/runs``, ``results/cache``,
``results/checkpoints``) go under the folder a command is run from. The benchmark's own files that its shipped
configs name (``conf/``, ``data/``, ``bench/resources/``) are written ``${bench:<path>}``: ``<path>`` under
``PROJECT_ROOT``, the checkout in a source tree and ``bench/_home`` in an installed wheel (``setup.py`` copies
them there).
"""

from __future__ import annotations

import stat
from pathlib import Path

from omegaconf import OmegaConf

from bench.errors import InputError

# The folder that holds the ``bench`` package: the checkout, or site-packages (code identities are relative
# to it, so that a checkout and a wheel hash the same code alike).
PACKAGE_PARENT = Path(__file__).resolve().parents[2]
_PACKAGED = Path(__file__).resolve().parents[1] / "_home"
PROJECT_ROOT = _PACKAGED if (_PACKAGED / "conf").is_dir() else PACKAGE_PARENT
CONFIG_DIR = PROJECT_ROOT / "conf"
# This project's byte copies of the external corpora, beside the checkout (absent on a user's machine).
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


def resolve(path: str | Path) -> Path:
    """A path as a user means it: absolute as given, otherwise relative to the current directory."""
    return Path(path).expanduser().resolve()


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


def bench_file(relative: str) -> str:
    """``${bench:<relative>}`` in a config: a file of the benchmark itself, wherever it is installed."""
    return str(PROJECT_ROOT / relative)


# Registered on import: every command and test that composes or loads a config imports this module first
# (for CONFIG_DIR), and an unregistered resolver would fail only when the value is read.
OmegaConf.register_new_resolver("bench", bench_file, replace=True)
