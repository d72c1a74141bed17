"""What the line-based importers (CoNLL, UNER) and the others share: reading a text file's lines, and ids."""

from __future__ import annotations

import re
from pathlib import Path

from bench.errors import InputError

_NOT_ID = re.compile(r"[^a-z0-9]+")


def read_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 file (one error naming the file and line otherwise); CRLF endings tolerated."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, raw.count(b"\n", 0, exc.start) + 1, "not valid UTF-8") from None
    # Tolerate CRLF files: a trailing "\r" is a line ending, never part of a tag.
    return [line.removesuffix("\r") for line in text.split("\n")]


def id_slug(name: str) -> str:
    """Lower case, each run of characters other than ``[a-z0-9]`` one hyphen, none at the ends (maybe "")."""
    return _NOT_ID.sub("-", name.lower()).strip("-")
