"""Fine-tune minilm from its pretrained weights and write the measured time to results/train_minilm.md.

    python scripts/train_time.py [extra overrides for bench.training.train ...]

The budget is 15 minutes on 2 cores. The wall clock is measured around the whole command (interpreter start,
imports, data loading, training, dev evaluation, saving); the load average is recorded before and after,
because on a shared machine other jobs slow training down.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir

from bench.core.paths import CONFIG_DIR, PROJECT_ROOT, resolve

OUTPUT = PROJECT_ROOT / "results" / "train_minilm.md"
BUDGET_SECONDS = 15 * 60


def checkpoint_folder(overrides: list[str]) -> Path:
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        return resolve(compose("train", overrides=["model=minilm", *overrides]).model.checkpoint)


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown"


def history_table(history: list[dict[str, Any]], best: int) -> list[str]:
    rows = ["| epoch | train loss | dev entity F1 (strict) | dev hedged F1 |", "|---:|---:|---:|---:|"]
    for h in history:
        mark = " (kept)" if h["epoch"] == best else ""
        scores = f"{h['dev_entity_f1']:.4f} | {h['dev_hedged_f1']:.4f}"
        rows.append(f"| {h['epoch']}{mark} | {h['loss']:.4f} | {scores} |")
    return rows


def report(command: str, wall: float, loads: tuple[float, float], manifest: dict[str, Any]) -> str:
    hyper = manifest["hyperparameters"]
    recipe = {k: v for k, v in hyper["train"].items() if k != "base"}
    verdict = "within" if wall < BUDGET_SECONDS else "OVER"
    corpora = ", ".join(f"{d['id']}: {d['articles']}" for d in manifest["data"])
    lines = [
        "# Fine-tuning MiniLM: measured training time",
        "",
        "Written by `python scripts/train_time.py`; do not edit by hand.",
        "",
        "| | |",
        "|---|---|",
        f"| command | `{command}` |",
        f"| wall clock, all of it | **{wall / 60:.1f} min** ({wall:.0f} s), {verdict} the 15-min budget |",
        f"| of which inside `bench.training.train` (manifest `seconds`) | {manifest['seconds']:.0f} s |",
        f"| machine | {os.cpu_count()} cores, {cpu_model()}; torch threads {hyper['threads']} |",
        f"| 1-minute load average before / after | {loads[0]:.2f} / {loads[1]:.2f} (shared machine) |",
        f"| training articles | {corpora} |",
        f"| dev articles | {manifest['dev_articles']} |",
        f"| windows | max_length {hyper['model']['max_length']}, stride {hyper['model']['stride']} |",
        f"| recipe | `{json.dumps(recipe, sort_keys=True)}` |",
        f"| base weights sha256 | `{manifest['base']['weights_sha256']}` |",
        f"| torch / transformers | {manifest['environment']['packages']['torch']} / "
        f"{manifest['environment']['packages']['transformers']} |",
        "",
        "all-MiniLM-L6-v2 is **uncased**: its tokenizer lowercases the text, so the entity head cannot use",
        "capitalisation, the strongest cue for names in English news; expect a cased encoder to do better.",
        "",
        "## Dev scores per epoch (the kept epoch is the best dev mean of the two F1s)",
        "",
        *history_table(manifest["dev"]["history"], manifest["dev"]["best_epoch"]),
        "",
    ]
    return "\n".join(lines)


def main(overrides: list[str]) -> int:
    command = " ".join(["python -m bench.train model=minilm", *overrides])
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    env = {**os.environ, "TQDM_DISABLE": "1"}
    argv = [sys.executable, "-m", "bench.training.train", "model=minilm", *overrides]
    done = subprocess.run(argv, cwd=PROJECT_ROOT, env=env, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        return done.returncode
    manifest = json.loads((checkpoint_folder(overrides) / "train_manifest.json").read_text(encoding="utf-8"))
    OUTPUT.write_text(report(command, wall, (load_before, os.getloadavg()[0]), manifest), encoding="utf-8")
    print(f"{wall:.0f} s; written {OUTPUT.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
