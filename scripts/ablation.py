"""Ablation (issues 12 and 28): what makes the fine-tuned MiniLM hold up on real text, one change at a time.

    python scripts/ablation.py [--rows a,h,k,j,i] [--no-train]

Rows, each adding one change to the row it builds on (the row above it, except (f) and (g): on (d)):

  (a) minilm                      the shipped baseline (results/checkpoints/minilm)
  (b) + select on news_real dev   the epoch is picked on real-news dev instead of the written corpus's dev
  (c) + wikigold                  Wikigold entities added to the training data
  (d) + bioscope + szeged_wiki    certainty and cues added, 3 epochs (the first minilm_real)
  (e) + word-shape entity head    the capitalisation the uncased encoder cannot see (``shape_features=true``)
  (f) (d) + claim bias            the hedged cut moved to news_real dev's best F1 (``calibrate_certainty``)
  (g) (d) for 8 epochs            the length of training of (a)-(c), which (d) cut to 3 for time
  (h) (g) + claim bias            as (f), on (g): the shipped minilm_real (conf/train/minilm_real.yaml)
  (i) + more human annotation, 25 %   minilm_wide's recipe (issue 28) with 25 % of its added entity corpora
  (j) 50 %                        the same with 50 %
  (k) 100 %                       all of it: the shipped minilm_wide (conf/train/minilm_wide.yaml)

Rows (i)-(k) are also the learning curve: their strict entity F1 on news_real dev and test against the
fraction of added entity data, in the report's last section.

Every row whose checkpoint folder is missing is trained first, one at a time (waiting while another
``bench.train`` runs), and only then is anything evaluated, so no evaluation shares the cores with a
training. Each row is evaluated on news_real test, news test and uner_pud_news with
``python -m bench``; an evaluation already done for the same weights is reused. ``spacy_sm`` and ``lexicon``
are run on the same data as references. The script then writes results/ablation.md: per row the strict entity
micro F1, hedged F1 and the certainty calibration error (ECE) with 95% bootstrap intervals, the
paired-bootstrap p of the two F1s against the row it builds on, and the training seconds. Rows not run are
listed as such. Run directories go under results/runs/ablation/ so that the ablation's runs stay out of the
main tables' ``--latest`` folders.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir

from bench.core.configs import data_config
from bench.core.fingerprints import sha256_files
from bench.core.paths import CONFIG_DIR, PROJECT_ROOT, resolve
from bench.data import load as data_module
from bench.models.transformers.encoder import EncoderModel
from bench.results.compare import compare_to_reference
from bench.run.rundir import Run, load_run

OUTPUT = PROJECT_ROOT / "results" / "ablation.md"
RUN_ROOT = "results/runs/ablation"
DATASETS = ("news_real", "news", "uner_pud_news")
CURVE_ROWS = ("h", "i", "j", "k")  # rows evaluated on news_real dev too: the learning curve
CURVE_REFERENCE = "spacy_sm"  # the curve's one reference: the entity tagger to catch
CURVE_SPLITS = (("news_real", "dev"), ("news_real", "test"))
ENTITY, HEDGED, ECE = "entities.strict.micro.f1", "claims.hedged.f1", "claims.ece"
METRICS = (ENTITY, HEDGED)
REFERENCES = ("spacy_sm", "lexicon")
MARGIN = 0.10  # issue 12: the fine-tuned model should beat the references by 10 points


@dataclass(frozen=True)
class Row:
    key: str
    change: str
    model: str  # conf/model/<id>.yaml
    checkpoint: str
    train_overrides: tuple[str, ...]  # beyond model=<model> model.checkpoint=<checkpoint>
    builds_on: str | None  # the row whose single change this row measures

    def train_command(self) -> list[str]:
        return [
            "bench.train",
            f"model={self.model}",
            f"model.checkpoint={self.checkpoint}",
            *self.train_overrides,
        ]


def real_mixture() -> dict[str, Any]:
    """The shipped model's training data choices, so rows (b) and (c) take theirs from one place."""
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("train", overrides=["model=minilm_real"])
    return {"select_on": cfg.select_on, "wikigold_cap": int(cfg.extra_max_articles.wikigold)}


# Rows (d)-(f) were trained before minilm_real's recipe went to 8 epochs and calibration (row (h)).
THREE_EPOCHS = ("train.epochs=3",)


def rows() -> list[Row]:
    mix = real_mixture()
    select = f"select_on={mix['select_on']}"
    wikigold = ("extra_data=[wikigold]", f"extra_max_articles.wikigold={mix['wikigold_cap']}")
    return [
        Row(
            "a",
            "minilm (news train, epoch picked on news dev)",
            "minilm",
            "results/checkpoints/minilm",
            (),
            None,
        ),
        Row(
            "b", "+ epoch picked on news_real dev", "minilm", "results/checkpoints/ablation/b", (select,), "a"
        ),
        Row("c", "+ wikigold", "minilm", "results/checkpoints/ablation/c", (select, *wikigold), "b"),
        Row(
            "d",
            "+ bioscope + szeged_wiki, 3 epochs (the first minilm_real)",
            "minilm_real",
            "results/checkpoints/ablation/d",
            (*THREE_EPOCHS, "calibrate_certainty=false"),
            "c",
        ),
        Row(
            "e",
            "+ word-shape entity head (capitalised, all caps, digit, sentence start)",
            "minilm_real",
            "results/checkpoints/ablation/e",
            (*THREE_EPOCHS, "calibrate_certainty=false", "shape_features=true"),
            "d",
        ),
        Row(
            "f",
            "(d) + claim bias shifted to news_real dev's best hedged F1",
            "minilm_real",
            "results/checkpoints/ablation/f",
            (*THREE_EPOCHS, "calibrate_certainty=true"),
            "d",
        ),
        Row(
            "g",
            "(d) trained 8 epochs, as (a)-(c)",
            "minilm_real",
            "results/checkpoints/ablation/g",
            ("calibrate_certainty=false",),
            "d",
        ),
        Row(
            "h",
            "(g) + claim bias shifted to news_real dev's best hedged F1 = minilm_real",
            "minilm_real",
            "results/checkpoints/minilm_real",
            (),
            "g",
        ),
        *wide_rows(),
    ]


# Issue 28: rows (i)-(k) train minilm_wide's recipe on a growing fraction of its added entity corpora.
CURVE_FRACTIONS = {"i": 0.25, "j": 0.5, "k": 1.0}


def wide_rows() -> list[Row]:
    added = "all BioScope + Szeged sampled per epoch, Wikigold + UNER-EWT + GUM"
    return [
        Row(
            "i",
            f"(h) + more human annotation: {added} at 25 %",
            "minilm_wide",
            "results/checkpoints/ablation/i",
            ("entity_fraction=0.25",),
            "h",
        ),
        Row(
            "j",
            "(i) with 50 % of the added entity data",
            "minilm_wide",
            "results/checkpoints/ablation/j",
            ("entity_fraction=0.5",),
            "i",
        ),
        Row("k", "(j) with 100 % = minilm_wide", "minilm_wide", "results/checkpoints/minilm_wide", (), "j"),
    ]


# ---- running -------------------------------------------------------------------------------------------


def run_module(args: Sequence[str], stream: bool = False) -> str:
    """``python -m <args>``; ``stream`` passes its output through (a training's per-epoch dev scores)."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1"}
    print(
        f"{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f} $ python -m {' '.join(args)}", flush=True
    )
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=PROJECT_ROOT,
        env=env,
        text=True,
        capture_output=not stream,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"failed ({done.returncode}): python -m {' '.join(args)}\n{(done.stderr or '')[-3000:]}"
        )
    return done.stdout or ""


def other_training() -> list[int]:
    """Pids of running ``bench.train`` processes: two trainings on 2 cores would each take twice as long."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if b"-m bench.train" in cmdline or b"-m bench.training" in cmdline:
                found.append(int(proc.name))
    return found


def ensure_trained(row: Row) -> None:
    """Train ``row`` unless its checkpoint exists, once no other training runs (it may have been that one)."""
    while busy := other_training():
        print(f"waiting: another training runs (pid {busy})", flush=True)
        time.sleep(10)
    if not (resolve(row.checkpoint) / "config.json").is_file():
        run_module(row.train_command(), stream=True)


def weights_sha(checkpoint: str) -> str:
    return sha256_files(EncoderModel(checkpoint).weights_files())


@cache
def fingerprint(data_id: str) -> str:
    return data_module.load(data_config(data_id)).fingerprint


def existing_run(data_id: str, model: str, label: str, sha: str | None, split: str = "test") -> Path | None:
    """The newest ablation run of this model with the same checkpoint (and weights, if known) on the data as
    it is now: annotations edited since a run make it incomparable with newer runs."""
    folder = resolve(RUN_ROOT) / f"{data_id}-{split}" / model
    for path in sorted(folder.glob("*/manifest.json"), reverse=True):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        record, data = manifest["model"], manifest["data"]
        same_model = record.get("label", "") == label and (sha is None or record["weights_sha256"] == sha)
        if same_model and data["fingerprint"] == fingerprint(data_id):
            return path.parent
    return None


def evaluate(data_id: str, model: str, checkpoint: str | None, split: str = "test") -> Path:
    sha = weights_sha(checkpoint) if checkpoint else None
    found = existing_run(data_id, model, checkpoint or "", sha, split)
    if found:
        return found
    args = ["bench", f"model={model}", f"data={data_id}", f"split={split}", f"run.root={RUN_ROOT}"]
    out = run_module(args + ([f"model.checkpoint={checkpoint}"] if checkpoint else []))
    line = next(x for x in out.splitlines() if x.startswith("run directory: "))
    return resolve(line.removeprefix("run directory: ").strip())


# ---- the report ----------------------------------------------------------------------------------------


def train_manifest(row: Row) -> dict[str, Any]:
    return json.loads((resolve(row.checkpoint) / "train_manifest.json").read_text(encoding="utf-8"))


def cell(run: Run, metric: str, decimals: int | None = None) -> str:
    """The metric ×100 to one decimal with its interval; with ``decimals``, unscaled to that many."""
    score = run.headline.get(metric)
    if not score or score.get("value") is None:
        return "not scored"
    scale, places = (1, decimals) if decimals is not None else (100, 1)
    low, value, high = (scale * score[key] for key in ("ci_low", "value", "ci_high"))
    return f"{value:.{places}f} [{low:.{places}f}, {high:.{places}f}]"


def paired(reference: Run, run: Run, metrics: Sequence[str]) -> dict[str, tuple[float, float, float, float]]:
    """metric -> (delta, ci_low, ci_high, p) of ``run`` minus ``reference``; p is the raw paired bootstrap."""
    found = compare_to_reference(reference, [run], metrics)
    return {
        c.metric: (c.result.delta, c.result.ci_low, c.result.ci_high, c.result.p_bootstrap) for c in found
    }


def interval_text(test: tuple[float, float, float, float]) -> str:
    """A paired difference ×100 with its interval: ``+7.9 [+6.5, +9.5]``."""
    delta, low, high, _ = test
    return f"{100 * delta:+.1f} [{100 * low:+.1f}, {100 * high:+.1f}]"


def p_text(test: tuple[float, float, float, float] | None, base: str | None) -> str:
    if test is None:
        return "–"
    delta, _, _, p = test
    return f"{100 * delta:+.1f} vs ({base}), p={p:.3f}"


def corpus_text(described: dict[str, Any]) -> str:
    """``wikigold 40``, or ``bioscope 40 of 1273 an epoch`` for a corpus sampled afresh each epoch."""
    per_epoch = described.get("per_epoch")
    sampled = f"{per_epoch} of " if per_epoch is not None else ""
    return f"{described['id']} {sampled}{described['articles']}" + (" an epoch" if sampled else "")


def training_line(row: Row) -> str:
    m = train_manifest(row)
    load = m.get("load_average")
    loads = f"{load['before'][0]:.2f} / {load['after'][0]:.2f}" if load else "not recorded"
    corpora = ", ".join(corpus_text(d) for d in m["data"])
    selected = m.get("selected_on", {}).get("id", "its own dev (news)")
    history = m["dev"]["history"]
    best = m["dev"]["best_epoch"]
    shift = (m.get("calibration") or {}).get("claim_bias_shift")
    shown = "–" if shift is None else f"{shift:+.1f}"
    return (
        f"| ({row.key}) | {m['seconds']:.0f} | {loads} | {corpora} | {selected} | {best}/{len(history)} "
        f"| {history[best - 1].get('dev_selection', float('nan')):.4f} | {shown} |"
    )


def dataset_table(data_id: str, done: list[Row], runs: dict[tuple[str, str], Run]) -> list[str]:
    lines = [
        f"### {data_id} test ({runs[(done[0].key, data_id)].manifest.data.articles} articles)",
        "",
        "| row | change | strict entity micro F1 | Δ vs the row it builds on | hedged F1 | Δ | claims ECE |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in done:
        run = runs[(row.key, data_id)]
        base = runs.get((row.builds_on, data_id)) if row.builds_on else None
        metrics = [m for m in METRICS if run.headline.get(m, {}).get("value") is not None]
        tests = paired(base, run, metrics) if base is not None and metrics else {}
        lines.append(
            f"| ({row.key}) | {row.change} | {cell(run, ENTITY)} "
            f"| {p_text(tests.get(ENTITY), row.builds_on)} "
            f"| {cell(run, HEDGED)} | {p_text(tests.get(HEDGED), row.builds_on)} | {cell(run, ECE, 3)} |"
        )
    for name in REFERENCES:
        reference = runs[(name, data_id)]
        lines.append(
            f"| | {name} (reference) | {cell(reference, ENTITY)} | | {cell(reference, HEDGED)} | "
            f"| {cell(reference, ECE, 3)} |"
        )
    return [*lines, ""]


def verdicts(done: list[Row], runs: dict[tuple[str, str], Run]) -> list[str]:
    goals = [
        ("news_real", ENTITY, "spacy_sm"),
        ("uner_pud_news", ENTITY, "spacy_sm"),
        ("news_real", HEDGED, "lexicon"),
    ]
    lines = [
        "| row | goal | model | reference | Δ [95% CI] | p | beats by ≥ 10 points? |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for row in done:
        for data_id, metric, reference in goals:
            run, ref = runs[(row.key, data_id)], runs[(reference, data_id)]
            test = paired(ref, run, [metric])[metric]
            delta, low, high, p = test
            # "Beats by 10 points" is claimed only when the whole interval clears the margin.
            verdict = "yes" if low >= MARGIN else ("no (better, < 10)" if low > 0 else "no")
            lines.append(
                f"| ({row.key}) | {metric} on {data_id} | {100 * run.headline[metric]['value']:.1f} "
                f"| {reference} {100 * ref.headline[metric]['value']:.1f} "
                f"| {interval_text(test)} | {p:.3f} | {verdict} |"
            )
    return lines


def added_entity_articles(row: Row) -> int:
    """The articles of the external entity corpora in ``row``'s training manifest."""
    entity_corpora = [
        d for d in train_manifest(row)["data"] if d["id"] != "news" and "entities" in d["tasks"]
    ]
    return sum(d["articles"] for d in entity_corpora)


def learning_curve(done: list[Row], runs: dict[tuple[str, str], Run]) -> list[str]:
    """Strict entity F1 on news_real dev and test against the share of the added entity data."""
    curve = [row for row in done if row.key in CURVE_ROWS]
    if not curve:
        return []
    lines = [
        "## Learning curve: news_real strict entity F1 against the added human entity annotation",
        "",
        "Rows (i)-(k) differ only in `entity_fraction` (a fixed shuffle of each added entity corpus by",
        "id hash, so every fraction spans the genres); (h) is minilm_real, with 40 Wikigold documents as its",
        "only added entity data. Dev picked each row's epoch, so the test column is the honest one.",
        "",
        "| row | added entity data | added entity articles | news_real dev | news_real test "
        "| Δ test vs the row before |",
        "|---|---|---:|---:|---:|---:|",
    ]
    previous: Run | None = None
    for row in curve:
        articles = added_entity_articles(row)
        share = f"{100 * CURVE_FRACTIONS[row.key]:.0f} %" if row.key in CURVE_FRACTIONS else "Wikigold 40"
        test, dev = runs[(row.key, "news_real")], runs[(row.key, "news_real/dev")]
        step = paired(previous, test, [ENTITY]).get(ENTITY) if previous is not None else None
        shown = "–" if step is None else f"{interval_text(step)}, p={step[3]:.3f}"
        lines.append(
            f"| ({row.key}) | {share} | {articles} | {cell(dev, ENTITY)} | {cell(test, ENTITY)} | {shown} |"
        )
        previous = test
    dev, test = runs[(CURVE_REFERENCE, "news_real/dev")], runs[(CURVE_REFERENCE, "news_real")]
    lines.append(f"| | {CURVE_REFERENCE} (reference) | | {cell(dev, ENTITY)} | {cell(test, ENTITY)} | |")
    return [*lines, ""]


def wide_goals(done: list[Row], runs: dict[tuple[str, str], Run]) -> list[str]:
    """Issue 28's must-shows for the shipped minilm_wide (k): each a paired bootstrap."""
    keys = {row.key for row in done}
    if not {"h", "k"} <= keys:
        return []
    goals = [
        ("news_real", ENTITY, ("h", "minilm_real"), 0.05),
        ("news_real", ENTITY, ("spacy_sm", "spacy_sm"), 0.0),
        ("uner_pud_news", ENTITY, ("spacy_sm", "spacy_sm"), 0.0),
        ("news_real", HEDGED, ("lexicon", "lexicon"), 0.10),
    ]
    lines = [
        "## Issue 28: minilm_wide (k) against what it must beat",
        "",
        "| goal | minilm_wide | against | Δ [95% CI] | p | met (p < 0.05 and Δ ≥ the margin)? |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for data_id, metric, (key, label), margin in goals:
        run, ref = runs[("k", data_id)], runs[(key, data_id)]
        test = paired(ref, run, [metric])[metric]
        delta, low, high, p = test
        met = "yes" if p < 0.05 and delta > 0 and delta >= margin else "no"
        lines.append(
            f"| {metric} on {data_id}, margin {100 * margin:.0f} | {100 * run.headline[metric]['value']:.1f} "
            f"| {label} {100 * ref.headline[metric]['value']:.1f} "
            f"| {interval_text(test)} | {p:.3f} | {met} |"
        )
    return [*lines, ""]


def report(all_rows: list[Row], done: list[Row], runs: dict[tuple[str, str], Run]) -> str:
    missing = [row for row in all_rows if row not in done]
    lines = [
        "# Ablation: fine-tuned MiniLM on real text (issues 12 and 28)",
        "",
        "Written by `python scripts/ablation.py`; do not edit by hand. Each row adds one change to the",
        "row it builds on (the row above it, except (f) and (g), which build on (d)); every row has its own",
        "checkpoint folder and the recipe of conf/train/minilm.yaml (batch 2 articles, lr 1e-4, heads 1e-3,",
        "seed 0, 2 torch threads), 8 epochs except rows (d), (e) and (f): 3 epochs, because 8 did not fit",
        "the 30-minute budget on the busier machine of the session that made (d), then the shipped",
        "minilm_real. Row (g) restores the 8 epochs; row (h) is the shipped minilm_real. Rows (i)-(k)",
        "(issue 28) train conf/train/minilm_wide.yaml on 25, 50 and 100 % of its added entity corpora;",
        "(k) is the shipped minilm_wide. The change from (h) to (i) is the training data as a whole: the",
        "entity corpora and the certainty corpora, now sampled afresh each epoch from all of BioScope and",
        "Szeged instead of the first 20 and 80 articles.",
        "",
        "Scores ×100 with 95% bootstrap intervals over articles. Δ: this row minus the row it builds on,",
        "with the two-sided paired-bootstrap p (1,000 resamples of articles, not corrected for the number",
        "of tests).",
        "",
    ]
    if missing:
        lines += [
            "**Not run on this version of the data** (each is one command, then rerun this script). Rows",
            "(b)-(g) were measured on news_real version 1 (57 test articles): see this file at commit",
            "36fbe47. Their checkpoints are not kept, and retraining them did not fit issue 28's session.",
            "",
        ]
        lines += [
            f"- ({row.key}) {row.change}: `python -m {' '.join(row.train_command())}`" for row in missing
        ]
        lines += [""]
    lines += ["## Training", "", "| row | seconds | 1-min load before / after | training articles |"]
    lines[-1] += " selection dev | kept epoch | dev selection score | claim bias shift |"
    lines += ["|---|---:|---|---|---|---:|---:|---:|", *(training_line(row) for row in done), ""]
    lines += ["## Test scores", ""]
    for data_id in DATASETS:
        lines += dataset_table(data_id, done, runs)
    lines += [
        "## Against the references (paired bootstrap; the margin is 10 points)",
        "",
        *verdicts(done, runs),
    ]
    lines += ["", *learning_curve(done, runs), *wide_goals(done, runs)]
    lines += ["", *NOTES]
    return "\n".join(lines) + "\n"


NOTES = [
    "## Notes",
    "",
    "- Selection never reads a test split: `select_on` only accepts a dataset with a dev split",
    "  (bench/training/mixture.py); rows (b)-(h) pick the epoch on news_real dev (31 articles).",
    "- Rows (a) and (b) share their training trajectory (same data, seed and order; evaluation consumes no",
    "  random numbers): they differ only in which epoch is kept, so equal kept epochs mean equal weights.",
    "- Rows (a)-(h): per-corpus caps (first N articles by id; conf/train/minilm_real.yaml) keep every",
    "  external corpus smaller than the news train split (69 articles, 35k tokens), so none drowns it,",
    "  and the training under the 30-minute budget of issue 12. Rows (i)-(k) read their entity corpora",
    "  whole (or the fraction) and draw 40 BioScope abstracts and 160 Szeged articles afresh each epoch",
    "  (`extra_per_epoch`, bench/training/epochs.py): about 800 claims an epoch beside news train's",
    "  1,320, and most articles of both corpora over the epochs. Issue 28's budget is 60 minutes.",
    "- Each corpus teaches only the entity types it annotates: UNER-EWT has no MISC, so on its articles",
    "  the MISC tags' logits are left out of the softmax (neither taught nor punished;",
    "  bench/training/loop.py). GUM's entity layer is mapped to the four types by",
    "  bench/data/importers/gum.py (named mentions, outermost span, nationality adjectives as MISC);",
    "  only its licence-clean genres (academic, bio, court, voyage) are used, and",
    "  conf/data/gum_other_nc.yaml holds the rest as an opt-in.",
    "- BioScope and Szeged do not annotate attribution to an unnamed source as a hedge, as",
    "  data/GUIDELINES.md does. Their claims holding a reporting word (said, told, according to, reported,",
    "  claimed, ...) teach no cue tags, and no certainty when labelled confirmed (`attribution_unmarked`,",
    "  bench/training/examples.py). The match is deliberately broad: without entity annotation a named",
    "  source cannot be told from an unnamed one.",
    "- news_real dev picks the epoch of rows (b)-(h), so their news_real *test* scores are the honest ones;",
    "  news test is the written corpus (in-domain for every row); uner_pud_news scores PER/ORG/LOC only.",
    "- All-MiniLM-L6-v2 is uncased: its entity head has no capitalisation cue, unlike spacy_sm. Row (e) adds",
    "  a linear head over four features of each token's word (capitalised, all caps, digit, sentence start;",
    "  bench/models/transformers/orthography.py) to the entity logits, initialised at zero.",
    "- Rows (f) and (h) train as (d) and (g), then add one number to the claim head's bias: the shift",
    "  (half-logit grid, -6 to +3) that gives news_real dev its best hedged F1",
    "  (bench/training/calibration.py). Trained mostly on written text, the model calls first-person",
    "  hopes, conditionals and reported plans hedged far more often than real-news annotation does; the",
    "  shift is chosen on dev, so only test scores are honest.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="a,h,k,j,i,d,e,f,g,b,c", help="rows to run, most informative first")
    parser.add_argument("--no-train", action="store_true", help="evaluate only rows already trained")
    args = parser.parse_args()
    all_rows = rows()
    wanted = [next(r for r in all_rows if r.key == key) for key in args.rows.split(",")]
    if not args.no_train:
        for row in wanted:  # every training first: no evaluation shares the cores with one
            ensure_trained(row)
    done = sorted(
        (row for row in wanted if (resolve(row.checkpoint) / "config.json").is_file()), key=lambda r: r.key
    )  # the table reads one change at a time, whatever the run order
    runs = evaluate_all(done)
    OUTPUT.write_text(report(all_rows, done, runs), encoding="utf-8")
    print(f"wrote {OUTPUT}")


def evaluate_all(done: list[Row]) -> dict[tuple[str, str], Run]:
    """(row key or reference name, dataset id, or "<id>/<split>" off test) -> its run."""
    runs: dict[tuple[str, str], Run] = {}
    for name in REFERENCES:
        for data_id in DATASETS:
            runs[(name, data_id)] = load_run(evaluate(data_id, name, None))
    runs[(CURVE_REFERENCE, "news_real/dev")] = load_run(evaluate("news_real", CURVE_REFERENCE, None, "dev"))
    for row in done:
        for data_id in DATASETS:
            runs[(row.key, data_id)] = load_run(evaluate(data_id, row.model, row.checkpoint))
        if row.key in CURVE_ROWS:
            runs[(row.key, "news_real/dev")] = load_run(
                evaluate("news_real", row.model, row.checkpoint, "dev")
            )
    return runs


if __name__ == "__main__":
    main()
