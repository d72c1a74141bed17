"""Every server response on disk, so an interrupted or repeated run asks the server nothing twice.

An entry is keyed by the sha256 of the endpoint URL and the exact request body: the served model name, the
prompt rendered from its template (so the template's bytes, the article text and its claims), temperature,
token limit and response schema. Anything that could change the answer changes the key; the API key is not
part of it. An entry holds the raw answer text (or, for a failed request, the error), with the task, article
id and template sha256 for whoever inspects the folder. A failed request is recorded (so it is counted) but
is asked again the next time the article is predicted. Unreadable entries are misses. Writes are atomic.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.core.fingerprints import sha256_json
from bench.core.jsonl import canonical_line, write_text_atomic


@dataclass(frozen=True)
class Entry:
    task: str
    article_id: str
    prompt_sha256: str
    content: str | None  # the model's answer text; None when the request failed
    malformed: str | None = None  # why the answer could not be read when it was received; None if it could
    error: str | None = None  # why the request failed

    @property
    def answered(self) -> bool:
        return self.content is not None


def request_key(url: str, body: dict[str, Any]) -> str:
    return sha256_json({"url": url, "request": body})


class ResponseCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Entry | None:
        try:
            obj = json.loads(self._path(key).read_text(encoding="utf-8"))
            entry = Entry(**obj)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, TypeError):
            return None
        return entry if entry.content is None or isinstance(entry.content, str) else None

    def put(self, key: str, entry: Entry) -> None:
        write_text_atomic(self._path(key), canonical_line(asdict(entry)) + "\n")
