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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from hydra.utils import instantiate
from omegaconf import DictConfig

from bench.core.fingerprints import sha256_files
from bench.core.jsonl import canonical_line, read_records
from bench.core.paths import refuse_special_file, resolve
from bench.core.validate import article_problems
from bench.data.sources import reader_arguments
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
    """The canonical format: one article per JSON line, one file per split (README, "Your own model")."""

    def __init__(self, splits: Mapping[str, str]) -> None:
        self.splits = {name: resolve(path) for name, path in splits.items()}

    def files(self) -> list[Path]:
        return [self.splits[name] for name in sorted(self.splits)]

    def read(self) -> dict[str, list[Located]]:
        splits: dict[str, list[Located]] = {name: [] for name in sorted(self.splits)}
        for name, located in self.stream():
            splits[name].append(located)
        return splits

    def stream(self) -> Iterator[tuple[str, Located]]:
        """The articles split by split (sorted names), one line at a time."""
        for name in sorted(self.splits):
            path, count = self.splits[name], 0
            for line, article in read_records(path, parse_article_record):
                count += 1
                yield name, Located(article, path, line)
            if not count:
                raise InputError(path, None, f"no articles: the {name!r} split file is empty")


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


def located_stream(source: Source) -> Iterator[tuple[str, Located | None]]:
    """A source's articles split by split (sorted names): lazily where the source can stream (JSON Lines),
    else from ``read()`` (the importers of small corpora), where an empty split is ``(name, None)``."""
    stream = getattr(source, "stream", None)
    if stream is not None:
        yield from stream()
        return
    splits = source.read()
    for name in sorted(splits):
        if not splits[name]:
            yield name, None
        for located in splits[name]:
            yield name, located


class Fingerprint:
    """sha256 of a dataset's identity and canonical content, fed in reading order (sorted split names, file
    order); independent of file layout and machine."""

    def __init__(self, dataset_id: str, version: int) -> None:
        self._digest = hashlib.sha256(f"{dataset_id}\n{version}\n".encode())

    def split(self, name: str) -> None:
        self._digest.update(f"split {name}\n".encode())

    def article(self, article: Article) -> None:
        self._digest.update(canonical_line(article.to_json()).encode("utf-8") + b"\n")

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


class ArticleChecker:
    """Validates articles one at a time, in reading order: each article's own problems, an entity label the
    dataset does not declare, an id read before. Raises ``InputError`` naming file, line and article."""

    def __init__(self, entity_labels: Sequence[str] = ENTITY_LABELS) -> None:
        self.entity_labels = tuple(entity_labels)
        self._seen: dict[str, int] = {}  # id -> line << 16 | index into _paths: ints, not tuples, for 1M ids
        self._paths: list[Path] = []

    def check(self, located: Located) -> None:
        article = located.article
        problems = article_problems(article)
        if problems:
            raise InputError(located.path, located.line, problems[0], article_id=article.id)
        undeclared = next((e.label for e in article.entities if e.label not in self.entity_labels), None)
        if undeclared is not None:
            declared = list(self.entity_labels)
            message = f"entity label {undeclared!r} is not in the declared entity_labels {declared}"
            raise InputError(located.path, located.line, message, article.id)
        self._remember(located)

    def _remember(self, located: Located) -> None:
        """Refuse a second article with an id already read, naming where it was first used."""
        article_id = located.article.id
        if article_id in self._seen:
            code = self._seen[article_id]
            first = f"{self._paths[code & 0xFFFF]}:{code >> 16}"
            raise InputError(located.path, located.line, f"duplicate id, first used at {first}", article_id)
        if not self._paths or self._paths[-1] != located.path:
            self._paths.append(located.path)
        self._seen[article_id] = located.line << 16 | (len(self._paths) - 1)

    def finish(self) -> None:
        """The dataset is read: forget the ids (a million of them hold about 120 MB)."""
        self._seen.clear()
        self._paths.clear()


class DatasetReader:
    """Reads a dataset once, in order (sorted split names, file order): validates every article, checks ids
    are unique, hashes the whole dataset, and hands over the articles as they are read, keeping none. A
    million-article split streams through in flat memory; ``load`` collects it for everything else.

    ``articles(split)`` yields one split's validated articles; ``identity()`` then reads the rest of the
    dataset (all of it is validated and hashed) and gives the fingerprint and file hash that a run records.
    """

    def __init__(self, cfg: DictConfig) -> None:
        unknown = set(cfg.tasks) - set(TASKS)
        if unknown:
            raise InputError(
                "conf/data", None, f"data config {cfg.id!r} names unknown tasks {sorted(unknown)}"
            )
        if isinstance(cfg.version, bool) or not isinstance(cfg.version, int):
            where = f"conf/data/{cfg.id}.yaml"
            raise InputError(where, None, f"version must be an integer, got {cfg.version!r}")
        self.id, self.version, self.tasks = str(cfg.id), cfg.version, tuple(cfg.tasks)
        self.entity_labels = declared_labels(cfg)
        self.split_names: list[str] = []
        self._source: Source = instantiate(cfg.source, **reader_arguments(cfg))
        for path in self._source.files():  # before any is opened: a FIFO would hang the reader
            refuse_special_file(path)
        self._fingerprint = Fingerprint(self.id, self.version)
        self._checker = ArticleChecker(self.entity_labels)
        self.checked: Iterator[tuple[str, Article]] = self._checked()
        self._identity: tuple[str, str] | None = None

    def articles(self, split: str) -> Iterator[Article]:
        """The validated articles of ``split``; those of the splits before it are validated and hashed."""
        for name, article in self.checked:
            if name == split:
                yield article
            elif name > split:  # splits come in sorted order: this one is over (the article is checked)
                break
        if split not in self.split_names:
            self.identity()  # read every split, so that the error lists them
            where = f"conf/data/{self.id}.yaml"
            raise InputError(where, None, f"no split {split!r}; it has {sorted(self.split_names)}")

    def identity(self) -> tuple[str, str]:
        """Read (validate, hash) whatever is left; the dataset's fingerprint and its files' sha256."""
        for _ in self.checked:
            pass
        if self._identity is None:
            self._identity = self._fingerprint.hexdigest(), sha256_files(self._source.files())
        return self._identity

    def _checked(self) -> Iterator[tuple[str, Article]]:
        for name, located in located_stream(self._source):
            if not self.split_names or self.split_names[-1] != name:
                self.split_names.append(name)
                self._fingerprint.split(name)
            if located is None:
                continue
            self._checker.check(located)
            self._fingerprint.article(located.article)
            yield name, located.article
        self._checker.finish()


def load(cfg: DictConfig) -> LoadedData:
    """Read and validate the whole dataset described by a data config."""
    reader = DatasetReader(cfg)
    splits: dict[str, list[Article]] = {}
    for name, article in reader.checked:
        splits.setdefault(name, []).append(article)
    digest, annotation_sha256 = reader.identity()
    splits.update({name: [] for name in reader.split_names if name not in splits})
    return LoadedData(
        id=reader.id,
        version=reader.version,
        tasks=reader.tasks,
        entity_labels=reader.entity_labels,
        splits={name: tuple(articles) for name, articles in sorted(splits.items())},
        fingerprint=digest,
        annotation_sha256=annotation_sha256,
    )
