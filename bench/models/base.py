"""The ``Model`` protocol every adapter implements, and the certainty decision shared by adapters."""

from __future__ import annotations

from collections.abc import Sequence, Set
from pathlib import Path
from typing import Protocol, runtime_checkable

from bench.schema import Article, Prediction

# P(hedged) at or above this gives the label "hedged"; one threshold for every adapter so that labels and
# probabilities never disagree.
HEDGED_THRESHOLD = 0.5


def certainty_label(p_hedged: float) -> str:
    return "hedged" if p_hedged >= HEDGED_THRESHOLD else "confirmed"


@runtime_checkable
class Model(Protocol):
    """A model adapter.

    Constructors only store their arguments (no loading, no I/O): composing every config in the tests must be
    cheap, and a fully cached run must never load weights. ``weights_files`` lists every file whose bytes
    determine the predictions (checkpoint, tokenizer, lexicons); their sha256 keys the prediction cache and is
    recorded in the manifest. ``predict`` returns one ``Prediction`` per article, in order, with one
    ``ClaimPrediction`` per gold claim of the article.
    """

    def weights_files(self) -> list[Path]: ...

    def placement(self) -> dict[str, str] | None:
        """The resolved device and dtype a torch model computes in, e.g. ``{"device": "cpu", "dtype":
        "float32"}``; ``None`` without torch. Part of the cache key: other placement, other predictions."""
        ...

    def use_threads(self, threads: int) -> int | None:
        """Fix the torch intra-op threads this model computes with; ``None`` if it does not use torch."""
        ...

    def predict(self, articles: Sequence[Article]) -> list[Prediction]: ...


# Optional adapter methods. Most adapters are one part, always give a final answer and have nothing to
# report, so these are not in the protocol; the functions below are the one place that asks for them.
#   weights_parts() -> {part: [files]}            adapters built from several checkpoints (``hf``)
#   cacheable(article) -> bool                   False: the prediction is not cached: a fallback (a failed
#                                                request) must be made again next time; a predictions file
#                                                is its own cache
#   check_split(article_ids) -> None             after a whole split (no limit=N), with all its article ids:
#                                                ``predictions`` refuses one its file has and the split not
#   diagnostics(articles) -> {name: count}       the adapter's own counts (``llm``: malformed answers)
#   for_tasks(tasks) -> Model                    the adapter predicting only ``tasks`` (those the dataset
#                                                annotates), skipping work that would be "not scored"


def weights_parts(model: Model) -> dict[str, list[Path]]:
    parts = getattr(model, "weights_parts", None)
    return parts() if parts is not None else {}


def cacheable(model: Model, article: Article) -> bool:
    check = getattr(model, "cacheable", None)
    return bool(check(article)) if check is not None else True


def check_split(model: Model, article_ids: Set[str]) -> None:
    check = getattr(model, "check_split", None)
    if check is not None:
        check(article_ids)


def diagnostics(model: Model, articles: Sequence[Article]) -> dict[str, int]:
    counts = getattr(model, "diagnostics", None)
    return dict(counts(articles)) if counts is not None else {}


def for_tasks(model: Model, tasks: Sequence[str]) -> Model:
    """``model`` narrowed to the tasks a dataset annotates, where the adapter can skip the others' work."""
    narrow = getattr(model, "for_tasks", None)
    return narrow(tuple(tasks)) if narrow is not None else model
