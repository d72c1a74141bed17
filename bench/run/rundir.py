"""The run-directory format, written and read in one place.

A run directory ``<root>/<data>-<split>/<model>/<UTC timestamp to the microsecond>-<random>`` holds
``config.yaml``, ``predictions.jsonl``, ``scores.json`` and ``manifest.json``. It is written all at once (a
staging folder, fsync, one rename): it appears complete, or not at all; two runs started in the same second
get different names. Readers get typed objects and validated predictions, and never instantiate code named in
the run's own config: the dataset is resolved through the project's ``conf/data/<id>.yaml``.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from omegaconf import DictConfig, OmegaConf

from bench.core.jsonl import canonical_line, current_umask, read_records
from bench.core.paths import CONFIG_DIR
from bench.core.predictions import match_predictions, parse_prediction, prediction_problems
from bench.data import load as data_module
from bench.errors import InputError, naming_the_file
from bench.run.manifest import Manifest
from bench.schema import Article, Prediction

RUN_FILES = ("config.yaml", "predictions.jsonl", "scores.json", "manifest.json")
_STAGING = ".staging-"


# ---- writing -------------------------------------------------------------------------------------------


def new_run_path(root: Path, data_id: str, split: str, model_id: str) -> Path:
    """``<root>/<data>-<split>/<model>/<UTC timestamp to the microsecond>-<6 random hex>``: unique without a
    lock, and sorting by name sorts by time even for two runs in one second (``latest_runs`` relies on it)."""
    now = time.time_ns()
    stamp = f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime(now // 10**9))}.{now // 1000 % 10**6:06d}"
    return root / f"{data_id}-{split}" / model_id / f"{stamp}-{secrets.token_hex(3)}"


def predictions_text(predictions: Sequence[Prediction]) -> str:
    return "".join(canonical_line(p.to_json()) + "\n" for p in predictions)


def _remove_dead_staging(parent: Path) -> None:
    """Staging folders left by killed runs (their process is gone) are removed by the next run."""
    for folder in parent.glob(f"{_STAGING}*"):
        pid = folder.name[len(_STAGING) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunWriter:
    """Writes one run directory as the run goes: ``predictions.jsonl`` a chunk at a time into a staging
    folder (a million articles' predictions are never held in memory), the other files at the end, then one
    rename. Used as a context manager: an error or interrupt removes the staging folder, and a killed
    process's folder is removed by the next run, so no half-written run is ever visible."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._created = [folder for folder in path.parents if not folder.exists()]  # removed again on failure
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_dead_staging(path.parent)
        self.staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=f"{_STAGING}{os.getpid()}-"))
        os.chmod(self.staging, 0o777 & ~current_umask())  # mkdtemp makes 0700; follow the user's umask
        self._predictions = (self.staging / "predictions.jsonl").open("w", encoding="utf-8", newline="\n")

    def __enter__(self) -> RunWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        if kind is not None:
            with contextlib.suppress(OSError):  # a full disk fails the close's flush too; the fd is closed
                self._predictions.close()
            shutil.rmtree(self.staging, ignore_errors=True)
            for folder in self._created:  # innermost first; a folder another run wrote into stays
                with contextlib.suppress(OSError):
                    folder.rmdir()

    def add_predictions(self, predictions: Sequence[Prediction]) -> None:
        with naming_the_file(self.path / "predictions.jsonl"):
            self._predictions.write(predictions_text(predictions))

    def commit(self, files: dict[str, str]) -> Path:
        """Write ``files`` beside the predictions, make all durable, and rename the folder into place;
        refuses to replace an existing folder."""
        with naming_the_file(self.path / "predictions.jsonl"):
            _close_durably(self._predictions)
        for name, text in files.items():
            _write_durably(self.staging / name, text, named=self.path / name)
        os.rename(self.staging, self.path)  # fails if ``path`` exists and is not empty: never overwrites
        return self.path


def _write_durably(path: Path, text: str, named: Path) -> None:
    """``text`` into ``path``, fsynced; an error names the file by ``named`` (its place in the run)."""
    with naming_the_file(named), path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        _close_durably(handle)


def _close_durably(handle: TextIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()


def write_files_atomically(path: Path, files: dict[str, str]) -> Path:
    """Create the folder ``path`` holding ``files`` in one rename; refuses to replace an existing folder."""
    with RunWriter(path) as writer:
        return writer.commit(files)


def run_files(config_yaml: str, scores_json: str, manifest: Manifest) -> dict[str, str]:
    """The files of a run directory other than its predictions."""
    return {"config.yaml": config_yaml, "scores.json": scores_json, "manifest.json": manifest.to_json()}


# ---- reading -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    path: Path
    config: DictConfig
    manifest: Manifest
    scores: dict[str, Any]

    @property
    def model_id(self) -> str:
        return self.manifest.model.id

    @property
    def row_label(self) -> str:
        return self.manifest.row_label

    @property
    def headline(self) -> dict[str, dict[str, float | None]]:
        return self.scores.get("headline", {})

    def predictions(self, gold: Sequence[Article]) -> list[Prediction]:
        """The run's predictions, validated against ``gold`` (first problem: one line, file and line)."""
        return read_predictions(self.path / "predictions.jsonl", gold)


def read_predictions(path: Path, gold: Sequence[Article]) -> list[Prediction]:
    """A ``predictions.jsonl`` checked against the gold articles: every reader goes through this."""
    records = list(read_records(path, parse_prediction))
    ordered, problem = match_predictions(gold, records)
    if problem:
        line, message = problem
        raise InputError(path, line or None, message)
    lines = {prediction.article_id: line for line, prediction in records}
    for article, prediction in zip(gold, ordered, strict=True):
        first = next(prediction_problems(prediction, article), None)
        if first:
            raise InputError(path, lines[article.id], first, article_id=article.id)
    return ordered


def load_run(path: Path) -> Run:
    for name in RUN_FILES:
        if not (path / name).is_file():
            raise InputError(path / name, None, "missing: not a complete run directory")
    try:
        manifest = Manifest.from_json((path / "manifest.json").read_text(encoding="utf-8"))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise InputError(path / "manifest.json", None, f"not a bench manifest: {exc}") from None
    try:
        scores = json.loads((path / "scores.json").read_text(encoding="utf-8"))
        config = OmegaConf.load(path / "config.yaml")
    except Exception as exc:  # noqa: BLE001 -- any parse failure of a foreign file is bad input
        # Parsers' messages can span lines (YAML quotes the offending line): one line, as every error.
        raise InputError(path, None, f"unreadable run file: {' '.join(str(exc).split())}") from None
    if not isinstance(config, DictConfig) or not isinstance(scores, dict):
        raise InputError(path, None, "config.yaml or scores.json is not a mapping")
    where = _interpolation(OmegaConf.to_container(config, resolve=False))
    if where is not None:
        # A run writes its config resolved; resolving one read back would run resolvers (``oc.env`` prints a
        # CI secret into the log). Only the key is named, never what it would resolve to.
        raise InputError(path / "config.yaml", None, f"refused: an interpolation ('${{...}}') at {where}")
    return Run(path, config, manifest, scores)


def _interpolation(node: Any, dotted: str = "") -> str | None:
    """The dotted key of the first value that OmegaConf would resolve (``${...}``), or None."""
    if isinstance(node, str):
        return dotted if "${" in node else None
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found = _interpolation(value, f"{dotted}.{key}" if dotted else str(key))
        if found is not None:
            return found
    return None


def not_a_result(manifest: Manifest) -> str | None:
    """Why a run's scores are no result to table or gate (a smoke run; requests that failed, whose fallbacks
    would read as a worse model, not an outage), or None."""
    if manifest.limit is not None:
        return f"a limit={manifest.limit} smoke run"
    failed = manifest.model.diagnostics.get("failed_requests", 0)
    if failed:
        return f"a run with {failed} failed model request(s), scored on fallbacks"
    return None


@dataclass(frozen=True)
class Selection:
    """The runs a table uses, and every run under the folder it leaves out, each with the reason."""

    chosen: list[Path]
    skipped: list[tuple[Path, str]]


def latest_runs(root: Path, clean_only: bool = False) -> Selection:
    """The newest usable run directory of each model under ``root`` (``<root>/<model>/<timestamp>``).

    A ``limit`` smoke run is never a result: the model's newest full run is used instead. A run made from a
    working tree with uncommitted changes is used (a table marks it) unless ``clean_only``. Nothing is left
    out silently: every other run is in ``skipped`` with its reason."""
    if not root.is_dir():
        raise InputError(root, None, "not a folder of run directories")
    chosen: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for model_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        runs = sorted(p for p in model_dir.iterdir() if (p / "scores.json").is_file())
        usable = []
        for path in runs:
            reason = _unusable(path, clean_only)
            if reason:
                skipped.append((path, reason))
            else:
                usable.append(path)
        if usable:
            chosen.append(usable[-1])
            skipped.extend((path, f"older than {usable[-1].name}") for path in usable[:-1])
    if not chosen:
        reasons = "; ".join(sorted({reason for _, reason in skipped}))
        raise InputError(root, None, f"no usable run directories under this folder ({reasons or 'none'})")
    return Selection(chosen, sorted(skipped))


def _unusable(path: Path, clean_only: bool) -> str | None:
    """Why a run cannot stand in a table, or ``None``."""
    try:
        manifest = Manifest.from_json((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return "no readable manifest.json"
    reason = not_a_result(manifest)
    if reason:
        return f"{reason}: not a result (the model's newest full run is used)"
    if clean_only and manifest.git.get("dirty") is not False:  # unknown provenance counts as dirty
        return "made from uncommitted changes (--clean-only)"
    return None


def _identity(run: Run) -> tuple[str, str, str]:
    data = run.manifest.data
    return data.fingerprint, data.split, str(run.scores.get("metrics_version"))


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


def safe_data_config(run: Run) -> DictConfig:
    """The run's data config with the project's own ``_target_`` for its dataset id.

    The recorded arguments (paths, options) are kept; the class comes from ``conf/data/<id>.yaml``. A run
    whose recorded ``_target_`` differs from the project's, or names anything outside ``bench.``, is refused:
    reading a run directory must never run code it names."""
    recorded = run.config.get("data")
    where = run.path / "config.yaml"
    if not isinstance(recorded, DictConfig) or "id" not in recorded:
        raise InputError(where, None, "no data config with an id")
    project_file = CONFIG_DIR / "data" / f"{recorded.id}.yaml"
    if not str(recorded.id).replace("_", "").replace("-", "").isalnum() or not project_file.is_file():
        raise InputError(where, None, f"unknown dataset id {recorded.id!r}: no conf/data/<id>.yaml")
    project = OmegaConf.load(project_file)
    _refuse_foreign_targets(OmegaConf.to_container(recorded), where, project.source._target_)
    merged = OmegaConf.merge(project, recorded)
    merged.source._target_ = project.source._target_
    return merged


def _refuse_foreign_targets(node: Any, where: Path, allowed: str, top: bool = True) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "_target_" and (value != allowed or not top):
                raise InputError(where, None, f"refused: _target_ {value!r} is not the project's {allowed!r}")
            _refuse_foreign_targets(value, where, allowed, top=top and key in ("source",))
    elif isinstance(node, list):
        for item in node:
            _refuse_foreign_targets(item, where, allowed, top=False)


def gold_articles(run: Run) -> tuple[data_module.LoadedData, list[Article]]:
    """The gold split the run was scored on; refuses if the data changed since.

    The project's own files for the run's dataset come first: a run records absolute paths (every shipped
    config names its files ``${bench:...}``), which name another checkout or machine once a run directory
    travels (a committed baseline, a colleague's run). The recorded paths are read only when the project's
    files do not give the data the run was scored on (a run on a data folder of the user's)."""
    recorded = run.manifest.data.fingerprint
    checked = safe_data_config(run)  # refuses an unknown id or a foreign _target_ first
    try:
        loaded = data_module.load(project_data_config(checked))
    except InputError:
        loaded = None  # the project cannot load it here (sources not fetched): the recorded paths may
    if loaded is None or loaded.fingerprint != recorded:
        loaded = data_module.load(checked)
    if loaded.fingerprint != recorded:
        raise InputError(
            run.path / "manifest.json", None, f"the data changed since this run ({recorded[:12]}…)"
        )
    return loaded, data_module.split_articles(loaded, run.manifest.data.split)


def project_data_config(checked: DictConfig) -> DictConfig:
    """The project's ``conf/data/<id>.yaml`` for a checked run data config, with its non-source options."""
    project = OmegaConf.load(CONFIG_DIR / "data" / f"{checked.id}.yaml")
    options = OmegaConf.masked_copy(checked, [key for key in checked if key != "source"])
    return OmegaConf.merge(options, project)
