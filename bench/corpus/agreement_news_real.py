"""Inter-annotator agreement on news_real, where the annotators also segmented the claims themselves.

    python -m bench.corpus.agreement_news_real     # data/news_real/agreement/{first,second}.jsonl -> report

Both annotations are stand-off records (offsets only, no text). Measured, with article-bootstrap intervals:
strict entity F1 (span and label), claim boundary F1 (identical claim spans), Cohen's kappa of certainty on
the claims both annotators delimited identically, and exact cue-span F1. F1 between two annotators is
symmetric: 2|A ∩ B| / (|A| + |B|), the scorer's F1 of ``Counts(shared, second only, first only)``, with its
zero-division rule (0 when neither annotator marked anything). Every measure is a ``Statistic`` of
per-article counts and its interval is the scorer's ``bootstrap`` (DEFAULT_EVAL settings).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.core.jsonl import write_text_atomic
from bench.core.paths import PROJECT_ROOT
from bench.core.provenance import tracked_note
from bench.corpus.agreement import cohen_kappa
from bench.corpus.standoff import source_group
from bench.errors import InputError, run_command
from bench.metrics.counts import Counts, f1_of
from bench.metrics.settings import DEFAULT_EVAL
from bench.metrics.stats import Statistic, bootstrap, count_statistic

FOLDER = PROJECT_ROOT / "data" / "news_real" / "agreement"
REPORT = PROJECT_ROOT / "results" / "agreement_news_real.md"
MEANTIME_FOLDER = PROJECT_ROOT / "data" / "news_real" / "agreement_meantime"
MEANTIME_REPORT = PROJECT_ROOT / "results" / "agreement_meantime.md"
COMMAND = "python -m bench.corpus.agreement_news_real"


CERTAINTIES = ("confirmed", "hedged")
ENTITY_F1 = "entity F1 (strict: span and label)"
CLAIM_F1 = "claim boundary F1 (identical spans)"
KAPPA = "certainty Cohen's kappa (identically delimited claims)"
CUE_F1 = "cue F1 (exact span)"


@dataclass(frozen=True)
class ArticleAgreement:
    """Per-article counts per layer (tp: both, fp: the second only, fn: the first only), certainty pairs on
    shared claims."""

    entities: Counts
    claims: Counts
    cues: Counts
    certainty: tuple[tuple[str, str], ...]


def _overlap(first: set, second: set) -> Counts:
    return Counts(len(first & second), len(second - first), len(first - second))


def compare(first: dict, second: dict) -> ArticleAgreement:
    entities = _overlap(
        *({(e["start"], e["end"], e["label"]) for e in r["entities"]} for r in (first, second))
    )
    claim_sets = [{(c["start"], c["end"]): c for c in r["claims"]} for r in (first, second)]
    claims = _overlap(set(claim_sets[0]), set(claim_sets[1]))
    cues = _overlap(
        *({(q["start"], q["end"]) for c in r["claims"] for q in c["cues"]} for r in (first, second))
    )
    shared = sorted(set(claim_sets[0]) & set(claim_sets[1]))
    certainty = tuple((claim_sets[0][s]["certainty"], claim_sets[1][s]["certainty"]) for s in shared)
    return ArticleAgreement(entities, claims, cues, certainty)


def _confusion(pairs: Sequence[tuple[str, str]]) -> list[int]:
    """The certainty confusion matrix of one article's pairs, row-major (first annotator's rows)."""
    return [sum(1 for p in pairs if p == (a, b)) for a in CERTAINTIES for b in CERTAINTIES]


def _kappa_of(totals: np.ndarray) -> np.ndarray:
    return np.asarray(cohen_kappa(totals.reshape(*totals.shape[:-1], len(CERTAINTIES), len(CERTAINTIES))))


def statistics(items: Sequence[ArticleAgreement]) -> dict[str, Statistic]:
    """Each measure as the scorer's ``Statistic``: per-article counts and a function of their totals."""

    def counts(layer: str) -> np.ndarray:
        rows = [getattr(item, layer) for item in items]
        return np.array([[c.tp, c.fp, c.fn] for c in rows], dtype=np.int64).reshape(len(items), 3)

    confusion = np.array([_confusion(i.certainty) for i in items], dtype=np.int64).reshape(len(items), 4)
    return {
        ENTITY_F1: count_statistic(counts("entities"), f1_of),
        CLAIM_F1: count_statistic(counts("claims"), f1_of),
        KAPPA: count_statistic(confusion, _kappa_of),
        CUE_F1: count_statistic(counts("cues"), f1_of),
    }


def measures(items: Sequence[ArticleAgreement]) -> dict[str, float]:
    return {name: float(stat.value()) for name, stat in statistics(items).items()}


def with_intervals(items: Sequence[ArticleAgreement]) -> dict[str, tuple[float, float, float]]:
    """Each measure with the scorer's percentile bootstrap interval over articles (DEFAULT_EVAL settings)."""
    settings = DEFAULT_EVAL
    intervals = bootstrap(
        statistics(items), resamples=settings.resamples, seed=settings.seed, confidence=settings.confidence
    )
    return {name: (i.value, i.ci_low, i.ci_high) for name, i in intervals.items()}


def read(path: Path) -> dict[str, dict]:
    try:
        return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(path, None, f"not a stand-off annotation file: {exc}") from None


def _spans(record: dict) -> tuple:
    return (record["topic"], record["entities"], record["claims"])


def report(
    first: dict[str, dict], second: dict[str, dict], folder: Path = FOLDER, command: str = COMMAND
) -> str:
    ids = sorted(second)
    missing = [i for i in ids if i not in first]
    if missing:
        raise InputError(folder / "second.jsonl", None, f"no first annotation for {missing[0]!r}")
    items = [compare(first[i], second[i]) for i in ids]
    pairs = [p for i in items for p in i.certainty]
    level = DEFAULT_EVAL.level
    where = folder.relative_to(PROJECT_ROOT)
    lines = ["# Inter-annotator agreement on news_real", "",
             f"Written by `{command}` from the two independent annotations",
             f"in `{where}/` ({len(ids)} articles, stand-off); {level} bootstrap intervals",
             "over articles.", "", f"| measure | value | {level} CI |", "|---|---:|---:|"]  # fmt: skip
    for name, (value, low, high) in with_intervals(items).items():
        lines.append(f"| {name} | {value:.3f} | [{low:.3f}, {high:.3f}] |")
    groups = sorted({source_group(i) for i in ids})
    lines += [
        "",
        "| source | articles | entity F1 | claim boundary F1 | kappa | cue F1 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for group in groups:
        part = [item for i, item in zip(ids, items, strict=True) if source_group(i) == group]
        m = list(measures(part).values())
        lines.append(f"| {group} | {len(part)} | " + " | ".join(f"{v:.3f}" for v in m) + " |")
    kinds = [(a, b) for a in CERTAINTIES for b in CERTAINTIES]
    confusion = {k: sum(1 for p in pairs if p == k) for k in kinds}
    same = [i for i in ids if _spans(first[i]) == _spans(second[i])]
    differing = [item for i, item in zip(ids, items, strict=True) if i not in same]
    if differing:
        m = list(measures(differing).values())
        lines += ["", f"{len(same)} of the {len(ids)} articles were annotated identically by both annotators "
                  f"(every span and label). Over the other {len(differing)}: entity F1 {m[0]:.3f}, claim "
                  f"boundary F1 {m[1]:.3f}, kappa {m[2]:.3f}, cue F1 {m[3]:.3f}."]  # fmt: skip
    lines += ["", "Certainty on identically delimited claims (first/second): "
              + ", ".join(f"{a}/{b} {n}" for (a, b), n in confusion.items()) + ".", ""]  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.corpus.agreement_news_real", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--meantime", action="store_true",
                        help=f"the second study: {MEANTIME_FOLDER.relative_to(PROJECT_ROOT)} -> "
                             f"{MEANTIME_REPORT.relative_to(PROJECT_ROOT)}")  # fmt: skip
    args = parser.parse_args(argv)
    folder, out, notes, command = (
        (MEANTIME_FOLDER, MEANTIME_REPORT, MEANTIME_NOTES, f"{COMMAND} --meantime")
        if args.meantime
        else (FOLDER, REPORT, NOTES, COMMAND)
    )

    def action() -> None:
        text = report(read(folder / "first.jsonl"), read(folder / "second.jsonl"), folder, command)
        write_text_atomic(out, text + "\n" + notes)
        print(text)
        print(f"wrote {out}{tracked_note(out)}", file=sys.stderr)

    run_command(action)


NOTES = """How the two annotations were made, and how to read them
- Both annotators are language-model agents of one family working from `data/GUIDELINES.md` and the same
  brief of real-text decisions; the second annotator was told not to read the first annotation and kept its
  scratch files in a private folder. Unlike the written corpus's study, each annotator also segmented the
  claims itself, so claim boundaries are part of what is measured.
- A first attempt at the second annotation is not used: 12 of its 30 files came out byte-identical to the
  first annotation and most others nearly so. The annotators shared `/tmp` and worked at the same time, so
  independence could not be assured; the annotation was redone under stricter rules (private scratch
  folders, no wildcards over shared folders) and that redo is what is reported here.
- The redo, too, is byte-identical to the first annotation for 12 of 30 articles (mostly short press
  releases, but also a 900-word election report that three separate agents marked up identically). Either
  the agents, one model given the same guidelines and text, decode almost deterministically, or something
  leaked through the shared machine; this project cannot tell which. So these figures are not evidence of
  independent judgement: read them as an upper bound, and the figures over the non-identical articles
  (above) as the more honest estimate. A human second annotation is the missing piece.
- The differences were adjudicated into the released annotation (`data/news_real/annotations.jsonl`).
"""

MEANTIME_NOTES = """How the two annotations were made, and how to read them
- 40 of the 120 MEANTIME articles (10 from each first annotator's batch, chosen by a hash of the id) were
  annotated a second time from `data/GUIDELINES.md` alone, by a language-model agent that was never shown the
  first annotation: it worked in its own scratch folder outside the repository, and its brief forbade it to
  open, list or search the folders where the first annotators worked. Both sides segmented the claims
  themselves, so claim boundaries are part of what is measured.
- Both annotators are agents of one model family given the same guidelines; identical files (counted above)
  are therefore weaker evidence of independent judgement than between two people. A human second annotation
  is still the missing piece.
- `first.jsonl` is the first annotation as it was before adjudication. The released annotation
  (`data/news_real/annotations.jsonl`) then had a consistency pass over all 120 articles (rules for the cases
  where annotators went different ways, now in data/GUIDELINES.md 6.13) and a review of these 40 pairs'
  differences, which fixed 8 first-annotation errors; it is not what was compared here.
"""


if __name__ == "__main__":
    main()
