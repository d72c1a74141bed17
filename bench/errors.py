"""The one error type for bad input, and the one way every command refuses it.

An ``InputError`` always says which file, which line and what is wrong. Every command prints bad input as one
line, ``error: <message>``, on stderr and exits with status 2, no traceback (``exit_bad_input``):

- an argparse command's ``main`` parses its arguments and ends in ``run_command(action)``;
- a Hydra command's task function wraps its work in ``reported_input_errors()`` (a sweep must go on after a
  job that returns normally), and its ``__main__`` calls ``bench.core.hydra_entry.run_hydra(main)``, which
  adds Hydra's own composition errors and refused cluster submissions, printed by the same ``exit_bad_input``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn


@dataclass
class InputError(Exception):
    """Malformed benchmark input. ``str()`` is a single line: ``file:line[:col]: [id] message``."""

    path: Path | str
    line: int | None
    message: str
    article_id: str | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        who = f" [{self.article_id}]" if self.article_id else ""
        return f"{where}:{who} {self.message}"


def exit_bad_input(message: str) -> NoReturn:
    """Refuse bad input: ``error: <message>`` on stderr (one line) and exit status 2."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2) from None


@contextmanager
def reported_input_errors() -> Iterator[None]:
    """Turn an ``InputError`` into its one line on stderr and exit status 2 (bad input), no traceback; an
    ``OSError`` (a folder that cannot be written, a full disk) likewise, as the file and the system's reason.

    Hydra task functions use this directly; argparse commands through ``run_command``.
    """
    try:
        yield
    except InputError as error:
        exit_bad_input(str(error))
    except OSError as error:  # an unwritable --out or run.root, a full disk: the machine's input, one line
        where = f"{error.filename}: " if error.filename else ""
        exit_bad_input(f"{where}{error.strerror or error}")


@contextmanager
def naming_the_file(path: Path) -> Iterator[None]:
    """An ``OSError`` raised while writing ``path`` names it: a full disk (ENOSPC) or a file-size limit
    (EFBIG) comes from ``write``, ``flush`` or ``fsync`` without a file name, so its line would name none."""
    try:
        yield
    except OSError as error:
        if error.filename is None:
            raise OSError(error.errno, error.strerror or str(error), str(path)) from None
        raise


def run_command(action: Callable[[], int | None]) -> NoReturn:
    """The entry-point wrapper of every argparse command's ``main``: run ``action`` (the command after its
    arguments are parsed) and exit with its status (``None`` is 0), or with 2 and one line on bad input."""
    with reported_input_errors():
        status = action()
    raise SystemExit(status or 0)
