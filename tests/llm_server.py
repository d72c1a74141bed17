"""A scripted OpenAI-compatible chat server for the ``model=llm`` tests: a real HTTP server on 127.0.0.1
(port 0) in a thread, answering ``POST /v1/chat/completions`` with whatever the test's ``respond`` returns,
and recording every request it receives."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.schema import Article


@dataclass(frozen=True)
class Reply:
    """What the server sends: a chat completion carrying ``content``, or ``status`` with an error body."""

    content: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a timeout when longer than the client's)
    trickle: float = 0.0  # seconds between the bytes of the body (a server that never quite stops talking)
    trickle_head: float = 0.0  # seconds between the bytes of the status line and headers
    body: bytes | None = None  # sent instead of the completion or the error body


@dataclass(frozen=True)
class Received:
    body: dict[str, Any]
    authorization: str | None


def completion(content: str) -> bytes:
    message = {"role": "assistant", "content": content}
    return json.dumps({"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": message,
                       "finish_reason": "stop"}]}).encode()  # fmt: skip


class ChatServer:
    def __init__(self, respond: Callable[[dict[str, Any]], Reply]) -> None:
        self.respond = respond
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def bodies(self) -> list[dict[str, Any]]:
        with self.lock:
            return [r.body for r in self.received]


def _handler(server: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 -- the name http.server calls
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with server.lock:
                server.received.append(Received(body, self.headers.get("Authorization")))
            if self.path != "/v1/chat/completions":
                self._send(Reply(status=404))
                return
            self._send(server.respond(body))

        def _send(self, reply: Reply) -> None:
            time.sleep(reply.delay)
            payload = completion(reply.content) if reply.status == 200 else b'{"error": "scripted"}'
            payload = payload if reply.body is None else reply.body
            try:
                if reply.trickle_head:
                    self._write(_head(reply, len(payload)), reply.trickle_head)
                    self._write(payload, reply.trickle)
                    return
                self.send_response(reply.status)
                for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self._write(payload, reply.trickle)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout): nothing to answer

        def _write(self, payload: bytes, trickle: float) -> None:
            if not trickle:
                self.wfile.write(payload)
                return
            for byte in payload:  # bounded by the payload's length
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(trickle)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def _head(reply: Reply, length: int) -> bytes:
    """The status line and headers as ``_send`` would send them, to be written a byte at a time."""
    fields = {"Content-Type": "application/json", **reply.headers, "Content-Length": str(length)}
    lines = [f"HTTP/1.0 {reply.status} Scripted", *(f"{name}: {value}" for name, value in fields.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@contextmanager
def serving(respond: Callable[[dict[str, Any]], Reply]) -> Iterator[ChatServer]:
    server = ChatServer(respond)
    thread = threading.Thread(target=server.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


# ---- reading a request, answering from the gold data ----------------------------------------------------


def task_of(body: dict[str, Any]) -> str:
    return body["response_format"]["json_schema"]["name"]


def article_of(body: dict[str, Any], articles: Sequence[Article]) -> Article:
    """The article whose text the prompt carries (the longest, should one text contain another)."""
    prompt = body["messages"][0]["content"]
    return max((a for a in articles if a.text in prompt), key=lambda a: len(a.text))


def gold_entities(article: Article) -> list[dict[str, str]]:
    """Each distinct (surface, label) of the gold entities, in order of first mention."""
    seen = dict.fromkeys((e.span.surface(article.text), e.label) for e in article.entities)
    return [{"text": text, "label": label} for text, label in seen]


def gold_verdicts(article: Article) -> list[dict[str, Any]]:
    return [
        {"id": n, "certainty": claim.certainty, "p_hedged": 0.9 if claim.certainty == "hedged" else 0.1,
         "cues": list(dict.fromkeys(cue.surface(article.text) for cue in claim.cues))}
        for n, claim in enumerate(article.claims, start=1)
    ]  # fmt: skip


def gold_answer(body: dict[str, Any], articles: Sequence[Article]) -> str:
    article = article_of(body, articles)
    if task_of(body) == "entities":
        return json.dumps({"entities": gold_entities(article)})
    return json.dumps({"claims": gold_verdicts(article)})
