"""The one error type for bad input: it always says which file, which line and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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


def report_and_exit(error: InputError) -> None:
    """Print the one-line error to stderr and exit with status 2 (bad input), without a traceback."""
    import sys

    print(f"error: {error}", file=sys.stderr)
    raise SystemExit(2)
