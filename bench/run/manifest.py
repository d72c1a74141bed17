"""``Manifest``: the typed content of a run's ``manifest.json``, written by the runner and read back by
rescore, tables, gate and report. Everything a number depends on is in here."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import PurePath
from typing import Any

from bench.metrics.settings import EvalSettings
from bench.schema import ENTITY_LABELS


@dataclass(frozen=True)
class DataRecord:
    id: str
    version: int
    split: str
    articles: int
    fingerprint: str
    annotation_sha256: str
    tasks: tuple[str, ...]
    entity_labels: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")


@dataclass(frozen=True)
class ModelRecord:
    id: str
    weights_sha256: str
    code_sha256: str = ""
    libraries: dict[str, str | None] = field(default_factory=dict)
    label: str = ""  # what distinguishes two runs of one adapter (checkpoint, file, endpoint); "" if nothing
    placement: dict[str, str] | None = None  # resolved device and dtype of a torch model; None without torch
    parts: dict[str, str] = field(
        default_factory=dict
    )  # part -> sha256 of its files, for multi-part adapters
    diagnostics: dict[str, int] = field(default_factory=dict)  # the adapter's own counts (malformed answers)


@dataclass(frozen=True)
class Manifest:
    data: DataRecord
    model: ModelRecord
    metrics_version: str
    eval: EvalSettings
    torch_threads: int | None
    git: dict[str, Any]
    environment: dict[str, Any]
    throughput: dict[str, Any]
    created_utc: str
    config: dict[str, Any]
    limit: int | None = None  # a smoke run on the first N articles: refused by tables and gate

    def to_json(self) -> str:
        obj = asdict(self)
        return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @property
    def row_label(self) -> str:
        """One row per distinct model in a table: the model id, and the name of its checkpoint or file if it
        is not the model's own (``results/checkpoints/<id>``). A name, never a path: a table in a paper
        should not show where someone's checkpoints lie."""
        label = self.model.label
        default = PurePath("results", "checkpoints", self.model.id)
        if not label or PurePath(label) == default or PurePath(label).parts[-3:] == default.parts:
            return self.model.id
        return f"{self.model.id} ({PurePath(label).name or label})"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse ``manifest.json``; a missing or mistyped field raises KeyError, TypeError or ValueError."""
        obj = json.loads(text)
        data = _typed(DataRecord, obj["data"], "data")
        return cls(
            data=DataRecord(**{**data, "tasks": tuple(data["tasks"]),
                               "entity_labels": _entity_labels(data)}),
            model=ModelRecord(**_typed(ModelRecord, obj["model"], "model")),
            metrics_version=str(obj["metrics_version"]),
            eval=EvalSettings(**obj["eval"]),
            torch_threads=obj.get("torch_threads"),
            git=dict(obj.get("git") or {}),
            environment=dict(obj.get("environment") or {}),
            throughput=dict(obj.get("throughput") or {}),
            created_utc=str(obj.get("created_utc", "")),
            config=dict(obj["config"]),
            limit=obj.get("limit"),
        )  # fmt: skip


def _entity_labels(data: dict[str, Any]) -> tuple[str, ...]:
    """The declared labels, each one of the benchmark's: they are shown in tables and reports as they are."""
    labels = data.get("entity_labels", DataRecord.entity_labels)
    if not isinstance(labels, list | tuple) or not set(labels) <= set(ENTITY_LABELS):
        raise ValueError(f"data.entity_labels must be a subset of {list(ENTITY_LABELS)}, got {labels!r:.200}")
    return tuple(labels)


def _typed(record: type, obj: Any, where: str) -> dict[str, Any]:
    """``obj`` if its string and integer fields have those types: a hand-edited ``"fingerprint": 0`` must be
    refused here, not crash whichever command reads the field first."""
    if not isinstance(obj, dict):
        raise TypeError(f"{where} must be an object, got {obj!r}")
    for item in fields(record):
        value = obj.get(item.name)
        if item.name not in obj:
            continue
        if item.type == "str" and not isinstance(value, str):
            raise TypeError(f"{where}.{item.name} must be a string, got {value!r}")
        if item.type == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"{where}.{item.name} must be an integer, got {value!r}")
    return obj
