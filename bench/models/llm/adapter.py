"""``model=llm``: entities and claim certainty from a chat model behind an OpenAI-compatible endpoint.

Per article, one request per task (entities; certainty only when the article has claims), each rendered from
its versioned prompt template and answered in JSON (``answers``). Requests run ``concurrency`` at a time;
results come back in article order and depend only on the answers, never on timing. Every answer is kept
in ``cache_dir`` (``response_cache``), so an interrupted or repeated run asks nothing twice. A malformed
answer or a failed request gives the task's fallback (no entities; every claim "confirmed" with P(hedged) 0)
and is counted by ``diagnostics``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.errors import InputError
from bench.models.llm import answers
from bench.models.llm.client import CONFIG_FILE, ChatClient
from bench.models.llm.config import LlmConfig, checked
from bench.models.llm.prompts import Prompt, load_prompts
from bench.models.llm.response_cache import Entry, ResponseCache, request_key
from bench.schema import Article, Prediction

_COUNTS = ("requests", "answers", "malformed_answers", "failed_requests", "not_cached")


class ChatModel:
    """Args (``conf/model/llm.yaml``): base_url: the endpoint up to ``/v1``; model: the served model name;
    api_key_env: the name of the variable holding the key (empty or unset: no Authorization header); prompts:
    one template file per task (None: the shipped v1 templates); temperature, max_tokens (null: not sent);
    structured_output: send the JSON schema as ``response_format``; timeout_s, max_retries, backoff_s,
    max_wait_s: see ``client``; concurrency: requests in flight; occurrence: ``all`` or ``first`` (see
    ``spans``); cache_dir: the response cache."""

    def __init__(
        self,
        base_url: str = "http://localhost:8000/v1",
        model: str = "",
        api_key_env: str = "",
        prompts: Mapping[str, str] | None = None,
        temperature: float = 0.0,
        max_tokens: int | None = 2048,
        structured_output: bool = True,
        timeout_s: float = 120.0,
        max_retries: int = 4,
        backoff_s: float = 1.0,
        max_wait_s: float = 60.0,
        concurrency: int = 4,
        occurrence: str = "all",
        cache_dir: str = "results/cache/llm",
    ) -> None:
        args = dict(locals())
        args.pop("self")
        self.config: LlmConfig = checked(args)
        self.cache = ResponseCache(self.config.cache_dir)
        self._prompts: dict[str, Prompt] | None = None  # read on first use, never in the constructor

    def placement(self) -> dict[str, str] | None:
        return None  # the model runs on the server; nothing here computes in torch

    def use_threads(self, threads: int) -> int | None:
        return None

    def weights_files(self) -> list[Path]:
        """The prompt templates: their bytes decide the answers as weights decide a network's outputs."""
        if not self.config.model:
            raise InputError(CONFIG_FILE, None, "model.model: name the served model, e.g. model.model=<name>")
        self.prompts()
        return [self.config.prompts[task] for task in answers.TASKS]

    def prompts(self) -> dict[str, Prompt]:
        if self._prompts is None:
            self._prompts = load_prompts(self.config.prompts)
        return self._prompts

    def request(self, task: str, article: Article) -> dict[str, Any]:
        """The chat-completion body for one task of one article (also what keys the response cache)."""
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": [{"role": "user", "content": self.prompts()[task].render(article)}],
            "temperature": self.config.temperature,
        }
        if self.config.max_tokens is not None:
            body["max_tokens"] = self.config.max_tokens
        if self.config.structured_output:
            body["response_format"] = answers.response_format(task)
        return body

    def _cached(self, task: str, article: Article) -> tuple[str, Entry | None]:
        key = request_key(self.config.url, self.request(task, article))
        return key, self.cache.get(key)

    def _ask(self, client: ChatClient, task: str, article: Article) -> Entry:
        key, entry = self._cached(task, article)
        if entry is not None and entry.answered:
            return entry
        outcome = client.complete(self.request(task, article))
        entry = Entry(task, article.id, self.prompts()[task].sha256, outcome.content, error=outcome.error)
        if entry.answered:
            entry = Entry(**{**entry.__dict__, "malformed": self.problem(task, article, entry.content)})
        self.cache.put(key, entry)
        return entry

    def problem(self, task: str, article: Article, content: str | None) -> str | None:
        """Why an answer is malformed, or None if it reads (what ``diagnostics`` counts)."""
        try:
            self._read(task, article, content or "")
        except answers.Malformed as exc:
            return str(exc)
        return None

    def _read(self, task: str, article: Article, content: str) -> tuple[Any, ...]:
        if task == "entities":
            return answers.read_entities(content, article.text, self.config.occurrence)
        return answers.read_claims(content, article)

    def _result(self, task: str, article: Article, entry: Entry) -> tuple[Any, ...]:
        """The task's predictions from an answer, or its fallback when the answer is missing or malformed."""
        try:
            if entry.answered:
                return self._read(task, article, entry.content or "")
        except answers.Malformed:
            pass
        return () if task == "entities" else answers.fallback_claims(article)

    def _client(self) -> ChatClient:
        key = os.environ.get(self.config.api_key_env) if self.config.api_key_env else None
        c = self.config
        return ChatClient(c.url, key or None, c.timeout_s, c.max_retries, c.backoff_s, c.max_wait_s)

    def predict(self, articles: Sequence[Article]) -> list[Prediction]:
        jobs = [(article, task) for article in articles for task in answers.tasks_of(article)]
        entries = self._ask_all(jobs)
        results: dict[tuple[str, str], tuple[Any, ...]] = {}
        for (article, task), entry in zip(jobs, entries, strict=True):
            results[article.id, task] = self._result(task, article, entry)
        _warn(entries)
        return [
            Prediction(
                article.id, results[article.id, "entities"], results.get((article.id, "certainty"), ())
            )
            for article in articles
        ]

    def _ask_all(self, jobs: list[tuple[Article, str]]) -> list[Entry]:
        client = self._client()
        with ThreadPoolExecutor(max_workers=self.config.concurrency) as pool:
            futures = [pool.submit(self._ask, client, task, article) for article, task in jobs]
            try:
                return [future.result() for future in futures]  # in job order, whatever finished first
            except BaseException:
                for future in futures:
                    future.cancel()  # a config error (401, 404) stops the run without asking the rest
                raise

    def cacheable(self, article: Article) -> bool:
        """False when a request of the article failed after its retries: its prediction is the fallback, and
        the runner must not keep it, so the next run asks again (answers received are not asked for twice)."""
        for task in answers.tasks_of(article):
            _, entry = self._cached(task, article)
            if entry is None or not entry.answered:
                return False
        return True

    def diagnostics(self, articles: Sequence[Article]) -> dict[str, int]:
        """Counts over ``articles`` from the response cache alone (no request): ``requests`` the articles
        need, ``answers`` received (well-formed or not), ``malformed_answers`` among them (read again by the
        current code), ``failed_requests`` (last attempt failed), ``not_cached`` (never asked)."""
        counts = dict.fromkeys(_COUNTS, 0)
        for article in articles:
            for task in answers.tasks_of(article):
                counts["requests"] += 1
                _, entry = self._cached(task, article)
                kind = "not_cached" if entry is None else "answers" if entry.answered else "failed_requests"
                counts[kind] += 1
                if entry is not None and entry.answered and self.problem(task, article, entry.content):
                    counts["malformed_answers"] += 1
        return counts


def _warn(entries: Sequence[Entry]) -> None:
    failed = [e for e in entries if not e.answered]
    malformed = [e for e in entries if e.answered and e.malformed]
    for what, group in (("failed request", failed), ("malformed answer", malformed)):
        if group:
            first = group[0]
            reason = first.error if first.error else first.malformed
            print(f"warning: llm: {len(group)} {what}(s), fallback used; first: {first.article_id} "
                  f"{first.task}: {reason}", file=sys.stderr)  # fmt: skip
