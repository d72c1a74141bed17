"""Load a dataset config into a validated ``datasets.DatasetDict`` with explicit ``Features``.

A data config (``conf/data/<id>.yaml``) names a *source* (``_target_``) that reads files into articles, the
tasks the dataset annotates, and a ``version``. ``load`` validates every article before anything runs and
raises ``InputError`` (file, line, article id, what is wrong) on the first bad one.

A run reads the validated ``Article`` objects directly (``LoadedData.splits``); the ``DatasetDict`` is built
on first use of ``LoadedData.dataset``, and ``datasets`` imported only then. Converting every run's data to
Arrow and back cost start-up time (importing ``datasets`` is most of a lexicon run's start-up) and held the
corpus three times in memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from hydra.utils import instantiate
from omegaconf import DictConfig

from bench.core.fingerprints import sha256_files
from bench.core.jsonl import canonical_line, read_records
from bench.core.paths import resolve
from bench.core.validate import article_problems
from bench.errors import InputError
from bench.schema import CERTAINTY_LABELS, ENTITY_LABELS, TASKS, Article, Claim, Entity, Span

if TYPE_CHECKING:
    import datasets


@cache
def features() -> datasets.Features:
    """The explicit ``Features`` of every split (labels as ``ClassLabel``)."""
    import datasets

    span = {"start": datasets.Value("int32"), "end": datasets.Value("int32")}
    return datasets.Features(
        {
            "id": datasets.Value("string"),
            "title": datasets.Value("string"),
            "text": datasets.Value("string"),
            "topic": datasets.Value("string"),
            "entities": datasets.List({**span, "label": datasets.ClassLabel(names=list(ENTITY_LABELS))}),
            "claims": datasets.List(
                {
                    **span,
                    "certainty": datasets.ClassLabel(names=list(CERTAINTY_LABELS)),
                    "cues": datasets.List(span),
                }
            ),
        }
    )


@dataclass(frozen=True)
class Located:
    """An article and where it was read from, for error messages."""

    article: Article
    path: Path
    line: int


class Source(Protocol):
    """Reads a dataset's files. ``files`` are hashed into the manifest; ``read`` gives articles per split."""

    def files(self) -> list[Path]: ...

    def read(self) -> dict[str, list[Located]]: ...


@dataclass(frozen=True)
class LoadedData:
    """A validated dataset and the identity that a run records."""

    id: str
    version: int
    tasks: tuple[str, ...]
    entity_labels: tuple[str, ...]  # what the dataset annotates; predictions of other labels are not scored
    splits: Mapping[str, tuple[Article, ...]]  # validated articles, split name -> articles in file order
    fingerprint: str
    annotation_sha256: str

    @cached_property
    def dataset(self) -> datasets.DatasetDict:
        """The splits as a ``DatasetDict`` with ``features()``, built on first use."""
        return to_dataset_dict(self.splits)


class JsonlSource:
    """The canonical format: one article per JSON line, one file per split (see ``DESIGN.md``)."""

    def __init__(self, splits: Mapping[str, str]) -> None:
        self.splits = {name: resolve(path) for name, path in splits.items()}

    def files(self) -> list[Path]:
        return [self.splits[name] for name in sorted(self.splits)]

    def read(self) -> dict[str, list[Located]]:
        splits = {
            name: [Located(article, path, line) for line, article in read_records(path, parse_article_record)]
            for name, path in self.splits.items()
        }
        for name, items in splits.items():
            if not items:
                raise InputError(self.splits[name], None, f"no articles: the {name!r} split file is empty")
        return splits


def parse_article_record(obj: dict[str, Any]) -> Article:
    """A JSON object -> ``Article``, refusing wrong types instead of coercing them."""
    for key in ("id", "title", "text", "topic"):
        _expect(obj, key, str)
    entities = tuple(
        Entity(*_span_ints(e, "entity"), _expect(e, "label", str)) for e in _expect(obj, "entities", list)
    )
    claims = tuple(_parse_claim(c) for c in _expect(obj, "claims", list))
    return Article(obj["id"], obj["title"], obj["text"], obj["topic"], entities, claims)


def _parse_claim(obj: Any) -> Claim:
    start, end = _span_ints(obj, "claim")
    cues = tuple(Span(*_span_ints(cue, "cue")) for cue in _expect(obj, "cues", list))
    return Claim(start, end, _expect(obj, "certainty", str), cues)


def _span_ints(obj: Any, what: str) -> tuple[int, int]:
    if not isinstance(obj, dict):
        raise TypeError(f"{what} must be an object, found {type(obj).__name__}")
    return _expect(obj, "start", int), _expect(obj, "end", int)


def _expect(obj: Mapping[str, Any], key: str, kind: type) -> Any:
    if key not in obj:
        raise ValueError(f"missing field {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"field {key!r} must be {kind.__name__}, found {type(value).__name__}")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:  # a JSON escape such as "\\udc69" with no partner
            raise ValueError(
                f"field {key!r} has a lone surrogate U+{ord(value[exc.start]):04X} at offset {exc.start}"
            ) from None
    return value


def validate(splits: Mapping[str, Sequence[Located]]) -> None:
    """Raise ``InputError`` for the first invalid article or duplicated id, in file order."""
    seen: dict[str, Located] = {}
    for name in sorted(splits):
        for located in splits[name]:
            article = located.article
            problems = article_problems(article)
            if problems:
                raise InputError(located.path, located.line, problems[0], article_id=article.id)
            if article.id in seen:
                first = seen[article.id]
                raise InputError(
                    located.path,
                    located.line,
                    f"duplicate id, first used at {first.path}:{first.line}",
                    article.id,
                )
            seen[article.id] = located


def to_dataset_dict(splits: Mapping[str, Sequence[Article]]) -> datasets.DatasetDict:
    """Articles -> ``DatasetDict`` with ``features()`` (labels become ``ClassLabel`` indices)."""
    import datasets

    schema = features()

    # Columns rather than from_list: from_list cannot build an empty split with its features.
    def columns(articles: Sequence[Article]) -> dict[str, list[Any]]:
        rows = [article.to_json() for article in articles]
        return {key: [row[key] for row in rows] for key in schema}

    return datasets.DatasetDict(
        {
            name: datasets.Dataset.from_dict(columns(articles), features=schema)
            for name, articles in sorted(splits.items())
        }
    )


def articles(split: datasets.Dataset) -> list[Article]:
    """A dataset split -> ``Article`` objects, with ``ClassLabel`` indices turned back into names."""
    entity_names = split.features["entities"].feature["label"].names
    certainty_names = split.features["claims"].feature["certainty"].names
    out = []
    for row in split:
        row["entities"] = [{**e, "label": entity_names[e["label"]]} for e in row["entities"]]
        row["claims"] = [{**c, "certainty": certainty_names[c["certainty"]]} for c in row["claims"]]
        out.append(Article.from_json(row))
    return out


def split_articles(loaded: LoadedData, split: str) -> list[Article]:
    """The articles of one split; a split the dataset does not have is an input error."""
    if split not in loaded.splits:
        where = f"conf/data/{loaded.id}.yaml"
        raise InputError(where, None, f"no split {split!r}; it has {sorted(loaded.splits)}")
    return list(loaded.splits[split])


def fingerprint(splits: Mapping[str, Sequence[Article]], dataset_id: str, version: int) -> str:
    """sha256 of the dataset's identity and canonical content; independent of file layout and machine."""
    digest = hashlib.sha256(f"{dataset_id}\n{version}\n".encode())
    for name in sorted(splits):
        digest.update(f"split {name}\n".encode())
        for article in splits[name]:
            digest.update(canonical_line(article.to_json()).encode("utf-8") + b"\n")
    return digest.hexdigest()


def declared_labels(cfg: DictConfig) -> tuple[str, ...]:
    """``entity_labels`` of a data config (default: all of ``ENTITY_LABELS``), checked."""
    labels = tuple(cfg.get("entity_labels") or ENTITY_LABELS)
    unknown = sorted(set(labels) - set(ENTITY_LABELS))
    if unknown or len(set(labels)) != len(labels):
        where = f"conf/data/{cfg.id}.yaml"
        raise InputError(
            where, None, f"entity_labels {list(labels)}: unknown or repeated; known {ENTITY_LABELS}"
        )
    return tuple(label for label in ENTITY_LABELS if label in labels)  # one canonical order


def check_declared_labels(splits: Mapping[str, Sequence[Located]], labels: Sequence[str]) -> None:
    """A gold entity of a label the dataset says it does not annotate is a contradiction in the data."""
    for name in sorted(splits):
        for located in splits[name]:
            for entity in located.article.entities:
                if entity.label not in labels:
                    message = (
                        f"entity label {entity.label!r} is not in the declared entity_labels {list(labels)}"
                    )
                    raise InputError(located.path, located.line, message, located.article.id)


def load(cfg: DictConfig) -> LoadedData:
    """Read, validate and convert the dataset described by a data config."""
    unknown = set(cfg.tasks) - set(TASKS)
    if unknown:
        raise InputError("conf/data", None, f"data config {cfg.id!r} names unknown tasks {sorted(unknown)}")
    labels = declared_labels(cfg)
    source: Source = instantiate(cfg.source)
    located = source.read()
    validate(located)
    check_declared_labels(located, labels)
    splits = {name: tuple(item.article for item in items) for name, items in sorted(located.items())}
    return LoadedData(
        id=cfg.id,
        version=int(cfg.version),
        tasks=tuple(cfg.tasks),
        entity_labels=labels,
        splits=splits,
        fingerprint=fingerprint(splits, cfg.id, int(cfg.version)),
        annotation_sha256=sha256_files(source.files()),
    )
