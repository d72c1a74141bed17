"""Run each model twice, each time with an empty prediction cache, and compare the scores.json bytes.

    python scripts/check_reproducible.py [model ...]      # default: lexicon spacy_sm tiny minilm

Writes results/reproducibility.md. tiny and minilm must be trained first (python -m bench.train model=...).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.core.paths import PROJECT_ROOT

OUTPUT = PROJECT_ROOT / "results" / "reproducibility.md"
DEFAULT_MODELS = ("lexicon", "spacy_sm", "tiny", "minilm")


def scores_digest(model: str, scratch: Path) -> str:
    """sha256 of the scores.json of one uncached run."""
    runs = scratch / "runs"
    command = [
        sys.executable,
        "-m",
        "bench",
        f"model={model}",
        f"run.root={runs}",
        f"run.cache={scratch / 'cache'}",
    ]
    subprocess.run(command, cwd=PROJECT_ROOT, check=True, capture_output=True)
    (scores,) = runs.rglob("scores.json")
    return hashlib.sha256(scores.read_bytes()).hexdigest()


def main(models: list[str]) -> None:
    rows = []
    for model in models:
        digests = []
        for _ in range(2):
            with tempfile.TemporaryDirectory() as scratch:
                digests.append(scores_digest(model, Path(scratch)))
        verdict = "identical" if digests[0] == digests[1] else "DIFFERENT"
        rows.append(f"| {model} | `{digests[0][:16]}` | `{digests[1][:16]}` | {verdict} |")
        print(rows[-1])
    lines = [
        "# Reproducibility: the same run twice, each with an empty prediction cache",
        "",
        f"Written by `python scripts/check_reproducible.py` on {time.strftime('%Y-%m-%d', time.gmtime())}; "
        "the sha256 of `scores.json` of each run (first 16 hex digits).",
        "",
        "| model | first run | second run | scores.json |",
        "|---|---|---|---|",
        *rows,
        "",
    ]
    OUTPUT.write_text("\n".join(lines), encoding="utf-8")
    if any("DIFFERENT" in row for row in rows):
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:] or list(DEFAULT_MODELS))
