"""Does a parallel sweep ever lose a job? Runs a 5-job joblib sweep N times and counts run directories.

    python scripts/sweep_collisions.py [tries=10]    # writes results/sweep_collisions.md

Each sweep runs `model=lexicon` with seeds 0-4 through Hydra's joblib launcher (jobs start within the same
second, in parallel), into a fresh run root; a sweep that leaves fewer than 5 run directories lost a job.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def one_sweep(root: Path) -> tuple[int, int]:
    command = [sys.executable, "-m", "bench", "-m", "hydra/launcher=joblib", "model=lexicon",
               "seed=0,1,2,3,4", "eval.resamples=50", f"run.root={root / 'runs'}",
               f"run.cache={root / 'cache'}"]  # fmt: skip
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env={**os.environ, "TQDM_DISABLE": "1"})  # fmt: skip
    return done.returncode, len(list((root / "runs").rglob("scores.json")))


def main(tries: int = 10) -> None:
    started, rows = time.time(), []
    for attempt in range(1, tries + 1):
        with tempfile.TemporaryDirectory() as folder:
            status, found = one_sweep(Path(folder))
        rows.append(f"| {attempt} | {status} | {found} |")
        print(rows[-1], flush=True)
    lost = sum(1 for row in rows if not row.endswith("| 0 | 5 |"))
    load = os.getloadavg()
    text = "\n".join([
        "# Parallel sweeps never lose a job", "",
        f"`python scripts/sweep_collisions.py {tries}` on {time.strftime('%Y-%m-%d')}, "
        f"{time.time() - started:.0f} s, load average {load[0]:.2f}: {tries} sweeps of 5 jobs "
        f"(joblib launcher), {lost} lost a job.", "",
        "| try | exit status | run directories (of 5) |", "|---:|---:|---:|", *rows, "",
    ])  # fmt: skip
    (PROJECT_ROOT / "results" / "sweep_collisions.md").write_text(text, encoding="utf-8")
    print(f"{lost} of {tries} sweeps lost a job")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
