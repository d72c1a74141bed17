"""The answer format of each task: its JSON schema (sent as ``response_format``), and the strict reading of an
answer into entities or claim predictions.

An answer that cannot be read is *malformed* (``Malformed``, whose message says why): not JSON, JSON that does
not fit the schema, an entity or cue string not in the text, a label or certainty outside the closed sets, a
probability outside [0, 1] or disagreeing with its label, or not exactly one verdict per claim, in order.
Fields beyond the schema are ignored. A JSON answer wrapped in one Markdown code fence is read (models without
structured output often add one). A malformed answer gets the task's fallback (``fallback_claims``; no
entities), never an exception in the run.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any

from bench.models.base import certainty_label
from bench.models.llm.spans import Named, NotInText, cue_spans, entity_spans
from bench.schema import CERTAINTY_LABELS, ENTITY_LABELS, Article, ClaimPrediction, Entity

TASKS = ("entities", "certainty")
_FENCE = re.compile(r"\A\s*```[A-Za-z]*\s*\n(.*?)\n\s*```\s*\Z", re.DOTALL)


class Malformed(ValueError):
    """An answer that does not fit its schema or the article; the message says how."""


def _schema(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, **extra}


_ENTITY = _schema(
    "object",
    properties={"text": _schema("string"), "label": _schema("string", enum=list(ENTITY_LABELS))},
    required=["text", "label"],
    additionalProperties=False,
)
_VERDICT = _schema(
    "object",
    properties={
        "id": _schema("integer"),
        "certainty": _schema("string", enum=list(CERTAINTY_LABELS)),
        "p_hedged": _schema("number"),
        "cues": _schema("array", items=_schema("string")),
    },
    required=["id", "certainty", "p_hedged", "cues"],
    additionalProperties=False,
)
SCHEMAS: dict[str, dict[str, Any]] = {
    "entities": _schema("object", properties={"entities": _schema("array", items=_ENTITY)},
                         required=["entities"], additionalProperties=False),
    "certainty": _schema("object", properties={"claims": _schema("array", items=_VERDICT)},
                          required=["claims"], additionalProperties=False),
}  # fmt: skip


def response_format(task: str) -> dict[str, Any]:
    """The OpenAI ``response_format`` asking the server to constrain its output to the task's schema."""
    return {"type": "json_schema", "json_schema": {"name": task, "strict": True, "schema": SCHEMAS[task]}}


def _json(content: str) -> Any:
    fenced = _FENCE.match(content)
    try:
        return json.loads(fenced.group(1) if fenced else content)
    except json.JSONDecodeError as exc:
        raise Malformed(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


def _list_field(obj: Any, key: str) -> list[Any]:
    if not isinstance(obj, dict) or not isinstance(obj.get(key), list):
        raise Malformed(f"expected an object with a list {key!r}")
    return obj[key]


def _named(item: Any) -> Named:
    if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
        raise Malformed(f"entity {item!r} has no non-empty string 'text'")
    if item.get("label") not in ENTITY_LABELS:
        raise Malformed(
            f"entity {item['text']!r} has label {item.get('label')!r}, not one of {ENTITY_LABELS}"
        )
    return Named(item["text"].strip(), item["label"])


def read_entities(content: str, text: str, occurrence: str) -> tuple[Entity, ...]:
    """The entities an answer names, placed in ``text`` (``spans.entity_spans``); or ``Malformed``."""
    names = [_named(item) for item in _list_field(_json(content), "entities")]
    try:
        return entity_spans(names, text, occurrence)
    except NotInText as exc:
        raise Malformed(str(exc)) from None


def _probability(verdict: dict[str, Any], number: int) -> float:
    p = verdict.get("p_hedged")
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not (math.isfinite(p) and 0.0 <= p <= 1.0):
        raise Malformed(f"claim {number}: p_hedged {p!r} is not a number in [0, 1]")
    if verdict.get("certainty") not in CERTAINTY_LABELS:
        raise Malformed(
            f"claim {number}: certainty {verdict.get('certainty')!r} is not one of {CERTAINTY_LABELS}"
        )
    if certainty_label(float(p)) != verdict["certainty"]:
        # One threshold decides the label in every adapter (bench.models.base); a contradiction is no answer.
        raise Malformed(f"claim {number}: certainty {verdict['certainty']!r} contradicts p_hedged {p}")
    return float(p)


def _verdict(verdict: Any, number: int, article: Article) -> ClaimPrediction:
    if not isinstance(verdict, dict) or verdict.get("id") != number or isinstance(verdict.get("id"), bool):
        raise Malformed(f"claim {number}: expected an object with id {number}, got {verdict!r}")
    p_hedged = _probability(verdict, number)
    cues = verdict.get("cues", [])
    if not isinstance(cues, list) or not all(isinstance(cue, str) and cue.strip() for cue in cues):
        raise Malformed(f"claim {number}: cues must be a list of non-empty strings")
    gold = article.claims[number - 1]
    try:
        spans = cue_spans([cue.strip() for cue in cues], article.text, gold.span)
    except NotInText as exc:
        raise Malformed(f"claim {number}: {exc}") from None
    return ClaimPrediction(gold.start, gold.end, verdict["certainty"], p_hedged, spans)


def read_claims(content: str, article: Article) -> tuple[ClaimPrediction, ...]:
    """One prediction per gold claim of ``article``, in order; ``Malformed`` if the answer is unreadable."""
    verdicts = _list_field(_json(content), "claims")
    if len(verdicts) != len(article.claims):
        raise Malformed(f"{len(verdicts)} verdicts for {len(article.claims)} claims")
    return tuple(_verdict(verdict, number, article) for number, verdict in enumerate(verdicts, start=1))


def fallback_claims(article: Article) -> tuple[ClaimPrediction, ...]:
    """The certainty of a malformed or failed answer: every claim "confirmed" with P(hedged) 0 and no cues.

    "confirmed" is what a claim is unless the text hedges it (and most news claims are), and P(hedged) 0
    keeps label and probability in agreement; the scores then charge the failure like any confident error."""
    return tuple(ClaimPrediction(c.start, c.end, "confirmed", 0.0, ()) for c in article.claims)


def tasks_of(article: Article) -> Sequence[str]:
    """The requests an article needs: entities always, certainty only when it has claims to judge."""
    return TASKS if article.claims else TASKS[:1]
