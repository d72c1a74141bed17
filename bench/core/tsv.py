"""The project's small tab-separated resource files: ``#`` comment lines, blank lines, fixed column count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bench.errors import InputError


def tsv_rows(path: Path, columns: int) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, fields)``; a line without exactly ``columns`` non-empty fields is an error."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != columns or not all(field.strip() for field in fields):
            raise InputError(path, number, f"expected {columns} non-empty tab-separated fields")
        yield number, fields
