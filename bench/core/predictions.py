"""Reading predictions back: one strict parser and one check against the gold articles, for every reader.

The runner's cache, ``rescore``, ``tables``, ``gate``, ``report`` and ``model=predictions`` all go through
``parse_prediction`` and ``prediction_problems``: labels from the closed set (or the dataset's declared set),
integer offsets inside the text, probabilities in [0, 1], one prediction per article and per gold claim.
Nothing is coerced: a float offset or a string probability is an error, not a silent conversion.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bench.schema import CERTAINTY_LABELS, ENTITY_LABELS, Article, ClaimPrediction, Entity, Prediction, Span

_PREDICTION_KEYS = {"article_id", "entities", "claims"}
_ENTITY_KEYS = {"start", "end", "label"}
_CLAIM_KEYS = {"start", "end", "certainty", "p_hedged", "cues"}


def _field(obj: Mapping[str, Any], key: str, kinds: type | tuple[type, ...], what: str) -> Any:
    if key not in obj:
        raise ValueError(f"{what}: missing field {key!r}")
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise ValueError(f"{what}: field {key!r} has type {type(value).__name__}")
    return value


def _object(obj: Any, allowed: set[str], what: str) -> Mapping[str, Any]:
    if not isinstance(obj, dict):
        raise ValueError(f"{what} must be an object, found {type(obj).__name__}")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise ValueError(f"{what} has unknown field(s) {unknown}")
    return obj


def _span(obj: Mapping[str, Any], what: str) -> tuple[int, int]:
    return _field(obj, "start", int, what), _field(obj, "end", int, what)


def _cue(obj: Any) -> Span:
    return Span(*_span(_object(obj, {"start", "end"}, "cue"), "cue"))


def _claim(obj: Any) -> ClaimPrediction:
    obj = _object(obj, _CLAIM_KEYS, "claim prediction")
    start, end = _span(obj, "claim prediction")
    p_hedged = float(_field(obj, "p_hedged", (int, float), "claim prediction"))
    cues = obj.get("cues")
    if cues is not None and not isinstance(cues, list):
        raise ValueError(f"claim prediction: field 'cues' has type {type(cues).__name__}")
    parsed_cues = None if cues is None else tuple(_cue(c) for c in cues)
    certainty = _field(obj, "certainty", str, "claim prediction")
    return ClaimPrediction(start, end, certainty, p_hedged, parsed_cues)


def parse_prediction(obj: Mapping[str, Any]) -> Prediction:
    """A JSON object -> ``Prediction``, refusing unknown fields and wrong types."""
    obj = _object(obj, _PREDICTION_KEYS, "prediction")
    article_id = _field(obj, "article_id", str, "prediction")
    entities = []
    for raw in _field(obj, "entities", list, "prediction"):
        entity = _object(raw, _ENTITY_KEYS, "entity")
        entities.append(Entity(*_span(entity, "entity"), _field(entity, "label", str, "entity")))
    claims = tuple(_claim(raw) for raw in _field(obj, "claims", list, "prediction"))
    return Prediction(article_id, tuple(entities), claims)


def _range_problem(what: str, start: int, end: int, text: str) -> str | None:
    if not 0 <= start < end <= len(text):
        return f"{what} [{start}, {end}) is out of range for a text of length {len(text)}"
    return None


def prediction_problems(
    prediction: Prediction, article: Article, labels: Sequence[str] = ENTITY_LABELS
) -> Iterator[str]:
    """Every way in which ``prediction`` does not fit ``article``; ``labels``: the allowed entity labels."""
    if prediction.article_id != article.id:
        yield f"prediction for {prediction.article_id!r} where {article.id!r} was expected"
        return
    for entity in prediction.entities:
        problem = _range_problem("entity", entity.start, entity.end, article.text)
        if problem:
            yield problem
        if entity.label not in labels:
            where = f"entity [{entity.start}, {entity.end})"
            yield f"{where} has unknown label {entity.label!r}; expected one of {tuple(labels)}"
    if len(prediction.claims) != len(article.claims):
        yield f"{len(prediction.claims)} claim predictions for {len(article.claims)} gold claims"
        return
    for gold, claim in zip(article.claims, prediction.claims, strict=True):
        yield from _claim_problems(gold.span, claim, article.text)


def _claim_problems(gold: Span, claim: ClaimPrediction, text: str) -> Iterator[str]:
    where = f"claim [{claim.start}, {claim.end})"
    if (claim.start, claim.end) != (gold.start, gold.end):
        yield f"{where} does not match the gold claim [{gold.start}, {gold.end})"
    if claim.certainty not in CERTAINTY_LABELS:
        yield f"{where} has unknown certainty {claim.certainty!r}; expected one of {CERTAINTY_LABELS}"
    if not (math.isfinite(claim.p_hedged) and 0.0 <= claim.p_hedged <= 1.0):
        yield f"{where} has p_hedged {claim.p_hedged} outside [0, 1]"
    for cue in claim.cues or ():
        problem = _range_problem("cue", cue.start, cue.end, text)
        if problem:
            yield problem


def match_predictions(
    gold: Sequence[Article], predictions: Sequence[tuple[int, Prediction]]
) -> tuple[list[Prediction], tuple[int, str] | None]:
    """Order ``(line, prediction)`` pairs like ``gold``; the first problem as ``(line, message)`` or None.

    Line 0 means the problem is not on one line (a missing article)."""
    by_id: dict[str, tuple[int, Prediction]] = {}
    known = {article.id for article in gold}
    for line, prediction in predictions:
        if prediction.article_id in by_id:
            return [], (line, f"second prediction for article {prediction.article_id!r}")
        if prediction.article_id not in known:
            return [], (line, f"article {prediction.article_id!r} is not in the gold split")
        by_id[prediction.article_id] = (line, prediction)
    missing = [article.id for article in gold if article.id not in by_id]
    if missing:
        return [], (0, f"no prediction for {len(missing)} gold article(s), first {missing[0]!r}")
    return [by_id[article.id][1] for article in gold], None
