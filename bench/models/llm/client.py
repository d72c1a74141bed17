"""One chat-completion request to an OpenAI-compatible server, with retries, using only the standard library.

429, 5xx, timeouts and connection errors are retried with exponential backoff (``backoff_s * 2**attempt``,
or the server's ``Retry-After`` in seconds when it sends one), each wait capped at ``max_wait_s``. After
``max_retries`` retries, or on a response that is no chat completion, the request has *failed*: the caller
gets an ``Outcome`` with an error, never an exception, so one bad article never stops a run. 401/403 (the
key) and 404 (the URL or the model name) would fail every request alike: they stop the run with one line
instead of filling the caches with fallbacks.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.errors import InputError

CONFIG_FILE = "conf/model/llm.yaml"


@dataclass(frozen=True)
class Outcome:
    """The answer text of a completed request, or why the request failed (exactly one is set)."""

    content: str | None
    error: str | None = None


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class _Failed(Exception):
    pass


@dataclass(frozen=True)
class ChatClient:
    url: str  # the full ``.../chat/completions`` URL
    api_key: str | None
    timeout_s: float
    max_retries: int
    backoff_s: float
    max_wait_s: float
    sleep: Callable[[float], None] = time.sleep  # injectable, so tests never wait

    def complete(self, body: dict[str, Any]) -> Outcome:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        for attempt in range(self.max_retries + 1):
            try:
                return Outcome(self._post(data))
            except _Failed as exc:
                return Outcome(None, str(exc))
            except _Retryable as exc:
                last = exc
            if attempt < self.max_retries:
                self.sleep(self._wait(attempt, last.retry_after))
        return Outcome(None, f"gave up after {self.max_retries + 1} attempts; last: {last}")

    def _wait(self, attempt: int, retry_after: float | None) -> float:
        wanted = retry_after if retry_after is not None else self.backoff_s * 2**attempt
        return min(max(wanted, 0.0), self.max_wait_s)

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    def _post(self, data: bytes) -> str:
        request = urllib.request.Request(self.url, data=data, headers=self._headers(), method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise _http_error(exc) from None
        except (
            urllib.error.URLError,
            TimeoutError,
            ConnectionError,
            http.client.HTTPException,
            OSError,
        ) as exc:
            raise _Retryable(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from None
        return _content(raw)


def _retry_after(exc: urllib.error.HTTPError) -> float | None:
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff rather than parse clocks


def _http_error(exc: urllib.error.HTTPError) -> Exception:
    status = f"HTTP {exc.code} from {exc.url}"
    if exc.code == 429 or exc.code >= 500:
        return _Retryable(status, _retry_after(exc))
    if exc.code in (401, 403):
        return InputError(CONFIG_FILE, None, f"model.api_key_env: the server refused the key ({status})")
    if exc.code == 404:
        return InputError(
            CONFIG_FILE, None, f"model.base_url / model.model: not found on the server ({status})"
        )
    return _Failed(status)  # e.g. 400 for an article longer than the model's context: this article only


def _content(raw: bytes) -> str:
    """The message text of a chat completion; ``_Failed`` when the body is not one."""
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise _Failed(f"the response is not a chat completion: {raw[:200]!r}") from None
    if not isinstance(content, str):
        raise _Failed(f"the completion has no text content: {content!r}")
    return content
