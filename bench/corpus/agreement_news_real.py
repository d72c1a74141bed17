"""Inter-annotator agreement on news_real, where the annotators also segmented the claims themselves.

    python -m bench.corpus.agreement_news_real     # data/news_real/agreement/{first,second}.jsonl -> report

Both annotations are stand-off records (offsets only, no text). Measured, with article-bootstrap intervals:
strict entity F1 (span and label), claim boundary F1 (identical claim spans), Cohen's kappa of certainty on
the claims both annotators delimited identically, and exact cue-span F1. F1 between two annotators is
symmetric: 2|A ∩ B| / (|A| + |B|).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.core.jsonl import write_text_atomic
from bench.core.paths import PROJECT_ROOT
from bench.corpus.agreement import cohen_kappa
from bench.corpus.standoff import source_group
from bench.errors import InputError, reported_input_errors
from bench.metrics.settings import DEFAULT_EVAL

FOLDER = PROJECT_ROOT / "data" / "news_real" / "agreement"
REPORT = PROJECT_ROOT / "results" / "agreement_news_real.md"
MEANTIME_FOLDER = PROJECT_ROOT / "data" / "news_real" / "agreement_meantime"
MEANTIME_REPORT = PROJECT_ROOT / "results" / "agreement_meantime.md"


@dataclass(frozen=True)
class ArticleAgreement:
    """Per-article counts: (shared, first only, second only) per layer, certainty pairs on shared claims."""

    entities: tuple[int, int, int]
    claims: tuple[int, int, int]
    cues: tuple[int, int, int]
    certainty: tuple[tuple[str, str], ...]


def _overlap(a: set, b: set) -> tuple[int, int, int]:
    return len(a & b), len(a - b), len(b - a)


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


def f1(counts: Sequence[tuple[int, int, int]]) -> float:
    shared, only_a, only_b = (sum(c[i] for c in counts) for i in range(3))
    total = 2 * shared + only_a + only_b
    return 1.0 if total == 0 else 2 * shared / total


def kappa(pairs: Sequence[tuple[str, str]]) -> float:
    labels = ("confirmed", "hedged")
    matrix = [[sum(1 for p in pairs if p == (a, b)) for b in labels] for a in labels]
    return cohen_kappa(matrix) if pairs else float("nan")


def measures(items: Sequence[ArticleAgreement]) -> dict[str, float]:
    return {
        "entity F1 (strict: span and label)": f1([i.entities for i in items]),
        "claim boundary F1 (identical spans)": f1([i.claims for i in items]),
        "certainty Cohen's kappa (identically delimited claims)": kappa(
            [p for i in items for p in i.certainty]
        ),
        "cue F1 (exact span)": f1([i.cues for i in items]),
    }


def with_intervals(items: Sequence[ArticleAgreement]) -> dict[str, tuple[float, float, float]]:
    """Each measure with a percentile interval from resampling articles (DEFAULT_EVAL settings)."""
    settings = DEFAULT_EVAL
    rng = np.random.default_rng(settings.seed)
    draws = [
        measures([items[k] for k in rng.integers(0, len(items), len(items))])
        for _ in range(settings.resamples)
    ]
    tail = (1 - settings.confidence) / 2
    out = {}
    for name, value in measures(items).items():
        values = np.array([d[name] for d in draws])
        values = values[~np.isnan(values)]
        out[name] = (value, float(np.quantile(values, tail)), float(np.quantile(values, 1 - tail)))
    return out


def read(path: Path) -> dict[str, dict]:
    try:
        return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(path, None, f"not a stand-off annotation file: {exc}") from None


def _spans(record: dict) -> tuple:
    return (record["topic"], record["entities"], record["claims"])


def report(first: dict[str, dict], second: dict[str, dict], folder: Path = FOLDER) -> str:
    ids = sorted(second)
    missing = [i for i in ids if i not in first]
    if missing:
        raise InputError(folder / "second.jsonl", None, f"no first annotation for {missing[0]!r}")
    items = [compare(first[i], second[i]) for i in ids]
    pairs = [p for i in items for p in i.certainty]
    level = DEFAULT_EVAL.level
    where = folder.relative_to(PROJECT_ROOT)
    command = "python -m bench.corpus.agreement_news_real" + (
        " --meantime" if folder == MEANTIME_FOLDER else ""
    )
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
    kinds = [(a, b) for a in ("confirmed", "hedged") for b in ("confirmed", "hedged")]
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
    folder, out, notes = (
        (MEANTIME_FOLDER, MEANTIME_REPORT, MEANTIME_NOTES) if args.meantime else (FOLDER, REPORT, NOTES)
    )
    with reported_input_errors():
        text = report(read(folder / "first.jsonl"), read(folder / "second.jsonl"), folder)
    write_text_atomic(out, text + "\n" + notes)
    print(text)


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
