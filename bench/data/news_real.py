"""``news_real``: real news articles annotated here, stored stand-off, their text rebuilt from the sources.

The repository holds no source sentence. ``data/news_real/annotations.jsonl`` holds, per article, where its
text comes from (corpus, file, document id, URL, commit), the sha256 of the rebuilt text, and the spans;
``data/news_real/sources.json`` lists the source files with their public URL at a pinned commit and sha256
(``python -m bench.fetch news_real`` downloads them); ``data/news_real/splits.json`` fixes dev and test.
Loading rebuilds each text with the readers in ``importers/`` and refuses a text whose sha256 differs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.core.fingerprints import sha256_text
from bench.core.jsonl import read_records
from bench.core.paths import resolve
from bench.data.importers.gum import read_gum
from bench.data.importers.meantime import read_meantime
from bench.data.importers.re3d import read_re3d
from bench.data.importers.source_text import SourceDocument
from bench.data.load import Located, parse_article_record
from bench.data.sources import SourceFile, read_source_list
from bench.errors import InputError
from bench.schema import Article

FETCH_HINT = "run `python -m bench.fetch news_real` to download the sources"


def find_root(roots: Sequence[str], files: Sequence[SourceFile]) -> Path:
    """The first root that holds every source file (the CI mirror, or the user's fetch cache)."""
    candidates = [resolve(root) for root in roots]
    for root in candidates:
        if all((root / f.path).is_file() for f in files):
            return root
    shown = ", ".join(str(root) for root in candidates)
    raise InputError(candidates[0], None, f"news_real sources not found (looked in {shown}); {FETCH_HINT}")


def rebuild_documents(root: Path, files: Sequence[SourceFile]) -> dict[tuple[str, str], SourceDocument]:
    """Every source document under ``root`` by (source file, document id)."""
    documents: dict[tuple[str, str], SourceDocument] = {}
    for source in files:
        path = root / source.path
        found = _read_source(path)
        documents.update({(source.path, document.doc_id): document for document in found})
    return documents


def _read_source(path: Path) -> list[SourceDocument]:
    """The documents of one source file, by its kind (GUM CoNLL-U, MEANTIME CoNLL, re3d JSON lines)."""
    if path.name.endswith(".conllu"):
        return [read_gum(path)]
    if path.name.endswith(".xml.conll"):
        return [read_meantime(path)]
    return read_re3d(path)


def parse_standoff(obj: dict[str, Any]) -> dict[str, Any]:
    """Check a stand-off record's own fields; its spans are checked once the text exists."""
    for key in ("id", "source", "text_sha256", "topic", "entities", "claims"):
        if key not in obj:
            raise ValueError(f"missing field {key!r}")
    unknown = sorted(set(obj) - {"id", "source", "text_sha256", "topic", "entities", "claims"})
    if unknown:
        raise ValueError(f"unknown field(s) {unknown}")
    source = obj["source"]
    if not isinstance(source, dict) or not all(isinstance(source.get(k), str) for k in ("file", "document")):
        raise ValueError("field 'source' needs string 'file' and 'document'")
    return obj


class StandoffSource:
    """A ``bench.data.load.Source`` for stand-off annotations over texts rebuilt from source files."""

    def __init__(self, annotations: str, splits: str, sources: str, roots: Sequence[str]) -> None:
        self.annotations = resolve(annotations)
        self.splits = resolve(splits)
        self.sources = resolve(sources)
        self.roots = list(roots)

    def files(self) -> list[Path]:
        return [self.annotations, self.splits, self.sources]

    def read(self) -> dict[str, list[Located]]:
        source_files = read_source_list(self.sources)
        documents = rebuild_documents(find_root(self.roots, source_files), source_files)
        records = {obj["id"]: (line, obj) for line, obj in read_records(self.annotations, parse_standoff)}
        return {
            name: [self._article(records, article_id, documents) for article_id in ids]
            for name, ids in self._split_ids(records).items()
        }

    def _split_ids(self, records: dict[str, Any]) -> dict[str, list[str]]:
        try:
            splits = json.loads(self.splits.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(self.splits, None, f"cannot read the split assignment: {exc}") from None
        for name, ids in splits.items():
            unknown = sorted(set(ids) - set(records))
            if unknown:
                raise InputError(self.splits, None, f"split {name!r} names unknown article {unknown[0]!r}")
        return {name: list(ids) for name, ids in splits.items()}

    def _article(self, records: dict[str, Any], article_id: str, documents: dict) -> Located:
        line, obj = records[article_id]
        key = (obj["source"]["file"], obj["source"]["document"])
        document = documents.get(key)
        if document is None:
            raise InputError(self.annotations, line, f"no source document {key[1]!r} in {key[0]}", article_id)
        if sha256_text(document.text) != obj["text_sha256"]:
            message = f"the rebuilt text of {key[1]!r} does not match its sha256 (source file changed?)"
            raise InputError(self.annotations, line, message, article_id)
        record = {"id": article_id, "title": document.title, "text": document.text, "topic": obj["topic"],
                  "entities": obj["entities"], "claims": obj["claims"]}  # fmt: skip
        try:
            article: Article = parse_article_record(record)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(self.annotations, line, f"bad record: {exc}", article_id) from None
        return Located(article, self.annotations, line)
