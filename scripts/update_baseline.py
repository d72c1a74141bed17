"""Write the committed CI baseline: run a model and copy its run directory to results/baselines/.

    python scripts/update_baseline.py [model] [data] [split]       # default: lexicon news test

The gate (``python -m bench.gate``) compares candidate runs with these files, and a test reads them, so a
baseline that no longer matches the data fails CI until this script is run again (and the change reviewed).
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from bench.core.paths import PROJECT_ROOT
from bench.run.rundir import RUN_FILES, write_files_atomically

BASELINES = PROJECT_ROOT / "results" / "baselines"


def main(model: str = "lexicon", data: str = "news", split: str = "test") -> None:
    runs_root = PROJECT_ROOT / "results" / "runs" / "baseline-staging"
    command = [sys.executable, "-m", "bench", f"model={model}", f"data={data}", f"split={split}",
               "run.root=results/runs/baseline-staging"]  # fmt: skip
    subprocess.run(command, cwd=PROJECT_ROOT, check=True)
    newest = sorted(runs_root.glob(f"{data}-{split}/{model}/*"))[-1]
    target = BASELINES / f"{data}-{split}" / model
    fresh = target.with_name(f".{model}.new")
    shutil.rmtree(fresh, ignore_errors=True)
    write_files_atomically(fresh, {name: (newest / name).read_text(encoding="utf-8") for name in RUN_FILES})
    old = target.with_name(f".{model}.old")
    if target.exists():
        target.rename(old)  # two renames: a reader sees the old baseline or the new one, never a mix
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    print(f"baseline written: {target.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
