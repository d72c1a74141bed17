"""Build hook: ship the benchmark's own files in the wheel.

The configs (``conf/``), the data a run reads (``data/``: the written splits, news_real's stand-off files and
the pinned source lists) and the lexicon resources are copied to ``bench/_home`` in the built package, where
``bench.core.paths`` finds them when there is no checkout. An editable install reads them from the checkout.
Everything else is in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# Paths relative to the checkout, kept as they are under bench/_home (configs name them `${bench:<path>}`).
HOME_FILES = (
    "conf/**/*.yaml",
    "conf/prompts/*.txt",
    "data/*.jsonl",
    "data/news_real/*.json",
    "data/news_real/*.jsonl",
    "data/sources/*.json",
    "bench/resources/*.tsv",
)


class BuildWithHome(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        home = Path(self.build_lib) / "bench" / "_home"
        for pattern in HOME_FILES:
            for path in sorted(ROOT.glob(pattern)):
                target = home / path.relative_to(ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)


setup(cmdclass={"build_py": BuildWithHome})
