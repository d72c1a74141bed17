"""Inter-annotator agreement: a second, independent annotation of some articles against the corpus.

    python -m bench.agreement          # compares data/agreement/*.txt with data/articles/*.txt

The second annotator saw the text with the gold claim segmentation only. Agreement is measured with the
benchmark's own scorer, the second annotation playing the part of a prediction (entity F1 is symmetric in the
two annotators; certainty agreement is also given as Cohen's kappa), and is written to results/agreement.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from argparse import RawDescriptionHelpFormatter as RawDescription
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from bench.core.paths import PROJECT_ROOT
from bench.core.provenance import tracked_note
from bench.corpus.build import ARTICLES_DIR, DATA_DIR, compile_all, compile_source
from bench.errors import InputError, run_command
from bench.metrics import dumps_scores, score_run
from bench.metrics.counts import ratio
from bench.metrics.settings import DEFAULT_EVAL
from bench.schema import TASKS, Article, ClaimPrediction, Prediction

SECOND_DIR = DATA_DIR / "agreement"
REPORT = PROJECT_ROOT / "results" / "agreement.md"
ROWS = (
    ("entities.strict.micro.f1", "entity F1, strict (span and type)"),
    ("entities.exact.micro.f1", "entity F1, span only"),
    ("entities.strict.by_type.PER.f1", "  PER"),
    ("entities.strict.by_type.ORG.f1", "  ORG"),
    ("entities.strict.by_type.LOC.f1", "  LOC"),
    ("entities.strict.by_type.MISC.f1", "  MISC"),
    ("claims.accuracy", "certainty agreement (observed)"),
    ("claims.hedged.f1", "hedged F1"),
    ("claims.cues.exact.f1", "cue F1, exact span"),
    ("claims.cues.token.f1", "cue F1, token overlap"),
)


def as_prediction(first: Article, second: Article) -> Prediction:
    """The second annotation as a prediction for the first; both must share text and claim spans."""
    if second.text != first.text:
        raise InputError(SECOND_DIR / f"{second.id}.txt", None, "text differs from the corpus article")
    if [c.span for c in second.claims] != [c.span for c in first.claims]:
        raise InputError(SECOND_DIR / f"{second.id}.txt", None, "claim segmentation differs from the corpus")
    claims = tuple(
        ClaimPrediction(c.start, c.end, c.certainty, float(c.certainty == "hedged"), c.cues)
        for c in second.claims
    )
    return Prediction(second.id, second.entities, claims)


def cohen_kappa(matrix: ArrayLike) -> float | np.ndarray:
    """Cohen's kappa of a square confusion matrix (rows one annotator, columns the other), or of each of a
    stack of them (``(..., k, k)``: the bootstrap's samples). NaN for an empty matrix: nothing was judged."""
    counts = np.asarray(matrix, dtype=np.float64)
    total = counts.sum(axis=(-2, -1))
    observed = ratio(np.trace(counts, axis1=-2, axis2=-1), total)
    rows, columns = ratio(counts.sum(axis=-1), total[..., None]), ratio(counts.sum(axis=-2), total[..., None])
    expected = (rows * columns).sum(axis=-1)
    kappa = np.where(expected == 1, 1.0, ratio(observed - expected, 1 - expected))
    kappa = np.where(total == 0, np.nan, kappa)
    return float(kappa) if kappa.ndim == 0 else kappa


def agreement_scores(first: Sequence[Article], second: Sequence[Article]) -> dict:
    predictions = [as_prediction(a, b) for a, b in zip(first, second, strict=True)]
    scores = json.loads(dumps_scores(score_run(first, predictions, TASKS, DEFAULT_EVAL)))
    scores["claims"]["kappa"] = round(cohen_kappa(scores["claims"]["confusion"]["matrix"]), 6)
    return scores


def report(scores: dict, ids: Sequence[str]) -> str:
    headline = scores["headline"]
    lines = [
        "# Inter-annotator agreement",
        "",
        "Written by `python -m bench.agreement`: a second annotator, who saw only the text and the gold",
        f"claim segmentation, annotated {len(ids)} test articles independently (`data/agreement/`).",
        "Scored with the benchmark's scorer, the second annotation in the place of a prediction;",
        f"{DEFAULT_EVAL.level} bootstrap CIs over articles.",
        "",
        f"| measure | value | {DEFAULT_EVAL.level} CI |",
        "|---|---:|---:|",
    ]
    for key, label in ROWS:
        cell = headline.get(key)
        if cell is not None:
            lines.append(f"| {label} | {cell['value']:.3f} | [{cell['ci_low']:.3f}, {cell['ci_high']:.3f}] |")
    lines.append(f"| certainty Cohen's kappa | {scores['claims']['kappa']:.3f} | |")
    matrix = scores["claims"]["confusion"]["matrix"]
    lines += [
        "",
        "Certainty confusion (rows: corpus, columns: second annotator): "
        f"confirmed/confirmed {matrix[0][0]}, confirmed/hedged {matrix[0][1]}, "
        f"hedged/confirmed {matrix[1][0]}, hedged/hedged {matrix[1][1]}.",
        "",
        f"Articles: {', '.join(ids)}.",
        "",
        "Read these numbers as an upper bound, not as human agreement: both annotators are language-model",
        "agents of one family working from the same guidelines; the text was written to be annotated (its",
        "authors avoided the ambiguous senses of hedge words that the lint flags); and the claim",
        "segmentation, a hard part of the task, was given. Two human annotators on sampled news would",
        "agree less.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    # --help explains and stops before anything is read or written.
    argparse.ArgumentParser(
        prog="python -m bench.agreement", description=__doc__, formatter_class=RawDescription
    ).parse_args(argv)

    def action() -> None:
        corpus = compile_all(ARTICLES_DIR)
        second = [compile_source(path) for path in sorted(SECOND_DIR.glob("*.txt"))]
        missing = [article.id for article in second if article.id not in corpus]
        if missing:
            raise InputError(SECOND_DIR, None, f"no corpus article for {missing}")
        text = report(agreement_scores([corpus[a.id] for a in second], second), [a.id for a in second])
        REPORT.write_text(text, encoding="utf-8")
        print(text)
        print(f"wrote {REPORT}{tracked_note(REPORT)}", file=sys.stderr)

    run_command(action)


if __name__ == "__main__":
    main()
