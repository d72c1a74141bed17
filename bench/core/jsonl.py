"""Reading and writing canonical JSON Lines for articles and predictions."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from bench.core.paths import refuse_special_file
from bench.errors import InputError, naming_the_file

T = TypeVar("T")


def canonical_line(obj: Any) -> str:
    """One JSON object on one line: fixed key order as given, no ASCII escaping, no spaces."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def read_records(path: Path, parse: Callable[[dict[str, Any]], T]) -> Iterator[tuple[int, T]]:
    """Yield ``(line number, parse(obj))`` for each non-empty line, reading one line at a time (a file of a
    million articles is never held whole); bad lines raise ``InputError``."""
    refuse_special_file(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror}") from None
    with handle:
        for number, line_bytes in enumerate(handle, start=1):
            if line_bytes.strip():
                yield number, _parsed(path, number, line_bytes.rstrip(b"\n"), parse)


def _parsed(path: Path, number: int, line_bytes: bytes, parse: Callable[[dict[str, Any]], T]) -> T:
    try:
        line = line_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, number, f"not valid UTF-8 (byte {exc.start} of the line)") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(path, number, f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(obj, dict):
        raise InputError(path, number, f"expected a JSON object, found {type(obj).__name__}")
    try:
        return parse(obj)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(path, number, f"bad record: {_describe(exc)}", article_id=_id_of(obj)) from None


def _describe(exc: Exception) -> str:
    return f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)


def _id_of(obj: dict[str, Any]) -> str | None:
    value = obj.get("id", obj.get("article_id"))
    return value if isinstance(value, str) else None


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, lines: Iterable[str], durable: bool = True) -> None:
    """Write ``lines`` (each without newline) so that ``path`` is either complete or untouched."""
    write_text_atomic(path, "".join(line + "\n" for line in lines), durable)


def write_text_atomic(path: Path, text: str, durable: bool = True) -> None:
    """The one atomic write: a temp file beside ``path``, fsync, rename; complete or untouched. ``durable``
    False skips the fsync, for files whose readers check their content anyway (cache entries)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with naming_the_file(path), os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())  # the bytes are on disk before the name points at them
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes 0600; follow the umask like other tools
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
