"""Reading finished run directories back, for rescoring, tables and the regression gate.

Comparisons are only meaningful between runs on the same data (dataset fingerprint and split) scored by the
same metrics version; ``check_comparable`` refuses anything else instead of printing misleading numbers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from bench.core.jsonl import read_records
from bench.data import load as data_module
from bench.errors import InputError
from bench.run.rundir import RUN_FILES
from bench.schema import Article, Prediction


@dataclass(frozen=True)
class Run:
    path: Path
    config: DictConfig
    manifest: dict[str, Any]
    scores: dict[str, Any]

    @property
    def model_id(self) -> str:
        return str(self.manifest["model"]["id"])

    @property
    def headline(self) -> dict[str, dict[str, float | None]]:
        return self.scores.get("headline", {})

    def predictions(self) -> list[Prediction]:
        return [p for _, p in read_records(self.path / "predictions.jsonl", Prediction.from_json)]


def load_run(path: Path) -> Run:
    for name in RUN_FILES:
        if not (path / name).is_file():
            raise InputError(path / name, None, "missing: not a complete run directory")
    return Run(
        path=path,
        config=OmegaConf.load(path / "config.yaml"),
        manifest=json.loads((path / "manifest.json").read_text(encoding="utf-8")),
        scores=json.loads((path / "scores.json").read_text(encoding="utf-8")),
    )


def latest_runs(root: Path) -> list[Path]:
    """The newest run directory of each model under ``root`` (``<root>/<model>/<timestamp>``)."""
    newest = []
    for model_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        runs = sorted(p for p in model_dir.iterdir() if (p / "scores.json").is_file())
        if runs:
            newest.append(runs[-1])
    if not newest:
        raise InputError(root, None, "no run directories found under this folder")
    return newest


def _identity(run: Run) -> tuple[str, str, str]:
    data = run.manifest["data"]
    return data["fingerprint"], data["split"], str(run.scores.get("metrics_version"))


def check_comparable(runs: Sequence[Run]) -> None:
    """Refuse runs on different data, splits or metric versions."""
    first = runs[0]
    for run in runs[1:]:
        for what, mine, theirs in zip(
            ("dataset fingerprint", "split", "metrics version"), _identity(run), _identity(first), strict=True
        ):
            if mine != theirs:
                raise InputError(
                    run.path / "manifest.json",
                    None,
                    f"{what} {mine[:16]} differs from {first.path}: {theirs[:16]}",
                )


def gold_articles(run: Run) -> tuple[data_module.LoadedData, list[Article]]:
    """The gold split the run was scored on; refuses if the data changed since."""
    loaded = data_module.load(run.config.data)
    recorded = run.manifest["data"]["fingerprint"]
    if loaded.fingerprint != recorded:
        raise InputError(
            run.path / "manifest.json", None, f"the data changed since this run ({recorded[:12]}…)"
        )
    return loaded, data_module.split_articles(loaded, run.config.split)
