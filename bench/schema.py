"""Frozen domain types shared by every stage of the benchmark.

Span convention (the only one in the project): offsets are Unicode code-point offsets into
``Article.text``, half-open ``[start, end)``. ``text[start:end]`` is the span's surface string.
Gold annotations and predictions use the same types, so a scorer never converts conventions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ENTITY_LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")
# Index order matters: it is the ClassLabel order in the dataset, and index 1 is the positive class.
CERTAINTY_LABELS: tuple[str, ...] = ("confirmed", "hedged")
TASKS: tuple[str, ...] = ("entities", "claims")


@dataclass(frozen=True, order=True)
class Span:
    """A half-open character range ``[start, end)``."""

    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def surface(self, text: str) -> str:
        return text[self.start : self.end]

    def to_json(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Span:
        return cls(start=obj["start"], end=obj["end"])


@dataclass(frozen=True, order=True)
class Entity:
    """A named-entity mention with one of ``ENTITY_LABELS``."""

    start: int
    end: int
    label: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "label": self.label}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Entity:
        return cls(start=obj["start"], end=obj["end"], label=obj["label"])


@dataclass(frozen=True, order=True)
class Claim:
    """A gold claim: its span, its certainty and (for hedged claims) its cue spans."""

    start: int
    end: int
    certainty: str
    cues: tuple[Span, ...] = ()

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "certainty": self.certainty,
            "cues": [cue.to_json() for cue in self.cues],
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Claim:
        cues = tuple(Span.from_json(cue) for cue in obj.get("cues", ()))
        return cls(start=obj["start"], end=obj["end"], certainty=obj["certainty"], cues=cues)


@dataclass(frozen=True)
class Article:
    """One annotated document. ``entities`` and ``claims`` are sorted by offset."""

    id: str
    title: str
    text: str
    topic: str
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "topic": self.topic,
            "entities": [entity.to_json() for entity in self.entities],
            "claims": [claim.to_json() for claim in self.claims],
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Article:
        return cls(
            id=obj["id"],
            title=obj["title"],
            text=obj["text"],
            topic=obj["topic"],
            entities=tuple(Entity.from_json(e) for e in obj.get("entities", ())),
            claims=tuple(Claim.from_json(c) for c in obj.get("claims", ())),
        )


@dataclass(frozen=True)
class ClaimPrediction:
    """A model's verdict on one gold claim span.

    ``cues`` is ``None`` when the model does not predict cue spans at all (so cue metrics are not
    scored), and a possibly empty tuple when it does.
    """

    start: int
    end: int
    certainty: str
    p_hedged: float
    cues: tuple[Span, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "certainty": self.certainty,
            "p_hedged": self.p_hedged,
        }
        if self.cues is not None:
            obj["cues"] = [cue.to_json() for cue in self.cues]
        return obj

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> ClaimPrediction:
        cues = obj.get("cues")
        return cls(
            start=obj["start"],
            end=obj["end"],
            certainty=obj["certainty"],
            p_hedged=float(obj["p_hedged"]),
            cues=None if cues is None else tuple(Span.from_json(c) for c in cues),
        )


@dataclass(frozen=True)
class Prediction:
    """Everything a model predicted for one article; ``claims`` follow the gold claims' order."""

    article_id: str
    entities: tuple[Entity, ...] = ()
    claims: tuple[ClaimPrediction, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "entities": [entity.to_json() for entity in self.entities],
            "claims": [claim.to_json() for claim in self.claims],
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Prediction:
        return cls(
            article_id=obj["article_id"],
            entities=tuple(Entity.from_json(e) for e in obj.get("entities", ())),
            claims=tuple(ClaimPrediction.from_json(c) for c in obj.get("claims", ())),
        )
