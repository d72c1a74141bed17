"""One chat-completion request to an OpenAI-compatible server, with retries, using only the standard library.

429, 5xx, timeouts and connection errors are retried with exponential backoff (``backoff_s * 2**attempt``,
or the server's ``Retry-After`` in seconds when it sends one), each wait capped at ``max_wait_s``. After
``max_retries`` retries, or on a response that is no chat completion, the request has *failed*: the caller
gets an ``Outcome`` with an error, never an exception, so one bad article never stops a run. 401/403 (the
key) and 404 (the URL or the model name) would fail every request alike: they stop the run with one line
instead of filling the caches with fallbacks.

The server is not trusted: a redirect is never followed (it would carry the key to whatever host the
server names), ``timeout_s`` bounds the whole request, not each socket read (a server trickling a byte at a
time, of its headers or of its body, would hold a run for ever): every read of the response is given only
the time left; and an answer larger than ``MAX_ANSWER_BYTES`` or not valid Unicode fails.
"""

from __future__ import annotations

import http.client
import io
import json
import math
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.errors import InputError

CONFIG_FILE = "conf/model/llm.yaml"
MAX_ANSWER_BYTES = 8 * 2**20  # far above any chat completion; a bound so a hostile server cannot fill memory
_READ_BYTES = 2**16


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Every 3xx comes back as an ``HTTPError`` instead of being followed."""

    def redirect_request(self, *args: Any) -> None:
        return None


_TOO_LONG = "the answer took longer than model.timeout_s"


class _DeadlineReader(io.RawIOBase):
    """The response's socket stream, each read given only the time left before ``deadline``: the status
    line and headers too, which ``http.client`` reads a line at a time with the per-read timeout alone."""

    def __init__(self, raw: io.RawIOBase, sock: socket.socket, deadline: float) -> None:
        self._raw, self._sock, self._deadline = raw, sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(_TOO_LONG)
        self._sock.settimeout(left)
        try:
            return self._raw.readinto(buffer)
        except TimeoutError:
            raise TimeoutError(_TOO_LONG) from None

    def close(self) -> None:
        self._raw.close()
        super().close()


def _response_class(deadline: float) -> type[http.client.HTTPResponse]:
    class _Response(http.client.HTTPResponse):
        def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
            super().__init__(sock, *args, **kwargs)
            self.fp = io.BufferedReader(_DeadlineReader(self.fp.detach(), sock, deadline))

    return _Response


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_with_deadline(http.client.HTTPConnection, self.deadline), req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = _with_deadline(http.client.HTTPSConnection, self.deadline)
        return self.do_open(connection, req, context=self._context)


def _with_deadline(kind: type[http.client.HTTPConnection], deadline: float) -> Callable[..., Any]:
    def connect(*args: Any, **kwargs: Any) -> http.client.HTTPConnection:
        connection = kind(*args, **kwargs)
        connection.response_class = _response_class(deadline)
        return connection

    return connect


def _opener(deadline: float) -> urllib.request.OpenerDirector:
    """No redirects; every read of the response bounded by ``deadline`` (``time.monotonic``)."""
    return urllib.request.build_opener(
        _NoRedirect, _DeadlineHTTPHandler(deadline), _DeadlineHTTPSHandler(deadline)
    )


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
        own = retry_after is None or not math.isfinite(retry_after)  # "nan" parses as a float
        wanted = self.backoff_s * 2**attempt if own else retry_after
        return min(max(wanted, 0.0), self.max_wait_s)

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    def _post(self, data: bytes) -> str:
        request = urllib.request.Request(self.url, data=data, headers=self._headers(), method="POST")
        deadline = time.monotonic() + self.timeout_s
        try:
            with _opener(deadline).open(request, timeout=self.timeout_s) as response:
                raw = _read_body(response, deadline)
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


def _read_body(response: http.client.HTTPResponse, deadline: float) -> bytes:
    """The body, read in pieces so that the request's deadline and the size cap hold whatever the server
    does; ``TimeoutError`` (retried) past the deadline, ``_Failed`` past the cap."""
    parts: list[bytes] = []
    size = 0
    while piece := response.read1(_READ_BYTES):
        size += len(piece)
        if size > MAX_ANSWER_BYTES:
            raise _Failed(f"the answer is larger than {MAX_ANSWER_BYTES} bytes")
        if time.monotonic() > deadline:
            raise TimeoutError(_TOO_LONG)
        parts.append(piece)
    return b"".join(parts)


def _retry_after(exc: urllib.error.HTTPError) -> float | None:
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff rather than parse clocks


def _http_error(exc: urllib.error.HTTPError) -> Exception:
    status = f"HTTP {exc.code} from {exc.url}"
    if 300 <= exc.code < 400:
        # A redirect would take the request, and the key, wherever the server says: never followed.
        location = exc.headers.get("Location", "") if exc.headers else ""
        return InputError(CONFIG_FILE, None, f"model.base_url: the server redirects ({status} to "
                          f"{location[:200]!r}); redirects are not followed: name the final URL")  # fmt: skip
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
    try:
        content.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate ("\\ud800"): no text; no cache file could hold it
        raise _Failed(f"the completion is not valid Unicode: {exc.reason} at {exc.start}") from None
    return content
