"""The one error type for bad input: it always says which file, which line and what is wrong."""

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


@contextmanager
def reported_input_errors() -> Iterator[None]:
    """Turn an ``InputError`` into its one line on stderr and exit status 2 (bad input), no traceback; an
    ``OSError`` (a folder that cannot be written, a full disk) likewise, as the file and the system's reason.

    Hydra task functions use this directly: a sweep must go on after a job that returns normally.
    """
    try:
        yield
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    except OSError as error:  # an unwritable --out or run.root, a full disk: the machine's input, one line
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}", file=sys.stderr)
        raise SystemExit(2) from None


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
    """The one entry-point wrapper of the commands: exit with the action's status, or 2 on bad input."""
    with reported_input_errors():
        status = action()
    raise SystemExit(status or 0)
