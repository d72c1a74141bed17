"""re3d ``documents.json`` (one JSON object per line) -> ``SourceDocument``; the text is used as stored."""

from __future__ import annotations

import json
from pathlib import Path

from bench.data.importers.source_text import SourceDocument
from bench.errors import InputError


def read_re3d(path: Path) -> list[SourceDocument]:
    """Every document of one re3d ``documents.json``, in file order."""
    documents = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as error:
            raise InputError(path, number, f"not JSON: {error.msg}") from None
        for key in ("_id", "title", "sourceUrl", "text"):
            if not isinstance(obj.get(key), str):
                raise InputError(path, number, f"field {key!r} missing or not a string")
        documents.append(
            SourceDocument(
                corpus="re3d",
                doc_id=obj["_id"],
                title=obj["title"],
                url=obj["sourceUrl"],
                date="",
                text=obj["text"],
            )
        )
    return documents
