"""Shared test helpers, imported by the test modules (``from helpers import ...``; conftest.py holds only
fixtures): running the CLI as a user would, locating the external corpora and their data configs, and the
synthetic corpus that the trained-model tests share."""

from __future__ import annotations

import contextlib
import functools
import http.server
import inspect
import io
import os
import random
import runpy
import shutil
import subprocess
import sys
import threading
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.utils import get_class
from omegaconf import DictConfig, OmegaConf

from bench.core.jsonl import canonical_line
from bench.core.paths import CONFIG_DIR, PROJECT_ROOT
from bench.corpus.markup import parse
from bench.data.load import ArticleChecker, Located
from bench.data.sources import reader_arguments
from bench.errors import InputError
from bench.schema import Article

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


def examples(full: int) -> int:
    """Hypothesis examples for a property test: ``full`` under CI (``.ci/run`` sets CI=true), a quarter in a
    local run, so the inner loop stays quick while CI searches as widely as before. Hypothesis keeps every
    failing example it finds in its local database and replays it first, whatever the budget."""
    return full if os.environ.get("CI", "").lower() == "true" else max(10, full // 4)


def requires_shared(corpus: str) -> pytest.MarkDecorator:
    """Skip (with the reason) when an external corpus is not on this machine, as on a user's fresh clone."""
    path = SHARED_DATA / corpus
    return pytest.mark.skipif(
        not path.exists(), reason=f"{path} not found: external corpus not on this machine"
    )


def run_cli(*args: str, timeout: float = 600, isolated: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``python -m <args>`` from the project root and capture its output: in this process (``runpy``,
    as ``python -m`` would run it: a fraction of a second instead of a fresh interpreter's import time),
    or in a new process with ``isolated`` (exit status as a shell sees it, signals, clean ``sys.modules``)."""
    if not isolated:
        return run_in_process(*args)
    env = {**os.environ, "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1"}
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def run_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m <args>`` through ``runpy`` with ``sys.argv``, the working folder and the output redirected;
    ``SystemExit`` gives the return code, an uncaught exception code 1 and its traceback on stderr."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv, Path.cwd(), os.environ.get("TQDM_DISABLE")
    sys.argv, code = [args[0], *args[1:]], 0
    os.environ["TQDM_DISABLE"] = "1"
    os.chdir(PROJECT_ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            # runpy warns that a command module (bench.results.gate) was imported before: as in a fresh
            # process, its code runs again as __main__, so the warning says nothing here.
            warnings.filterwarnings("ignore", "'bench", RuntimeWarning)
            try:
                runpy.run_module(args[0], run_name="__main__", alter_sys=True)
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
            except Exception:  # noqa: BLE001 -- what a crashing process would print
                traceback.print_exc()
                code = 1
    finally:
        sys.argv = saved[0]
        os.chdir(saved[1])
        if saved[2] is None:
            os.environ.pop("TQDM_DISABLE", None)
        else:
            os.environ["TQDM_DISABLE"] = saved[2]
    return subprocess.CompletedProcess(["python", "-m", *args], code, out.getvalue(), err.getvalue())


def run_dirs(root: Path) -> list[Path]:
    return sorted(path.parent for path in root.rglob("scores.json"))


def check_splits(splits: dict[str, list[Located]]) -> None:
    """Check read splits as ``load`` does (``ArticleChecker``, sorted split names): ``InputError`` for the
    first invalid article or repeated id."""
    checker = ArticleChecker()
    for name in sorted(splits):
        for located in splits[name]:
            checker.check(located)


def data_config(name: str, config_dir: Path = CONFIG_DIR) -> DictConfig:
    with initialize_config_dir(str(config_dir), version_base="1.3"):
        return compose("config", overrides=[f"data={name}"]).data


def assert_source_binds(cfg: DictConfig, name: str) -> None:
    """The data config's ``source`` arguments bind to its ``_target_``'s constructor (the schema)."""
    assert cfg.id == name and isinstance(cfg.version, int)
    arguments = OmegaConf.to_container(cfg.source)
    target = get_class(arguments.pop("_target_"))
    inspect.signature(target).bind(**arguments)


def corpus_path(cfg: DictConfig) -> Path:
    """The corpus file a run would read (../shared/data, else the fetch cache); skip when it is in neither."""
    try:
        return Path(reader_arguments(cfg)["path"])
    except InputError as missing:
        pytest.skip(f"{cfg.file} not found: external corpus not on this machine ({missing.message})")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP on 127.0.0.1 (ephemeral port): a stand-in for a public origin or mirror."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


PEOPLE = [
    "Amina Diallo",
    "Peter Novak",
    "Lucia Ferreira",
    "Kwame Mensah",
    "Hana Sato",
    "Tomas Berg",
    "Ruth Phiri",
    "Omar Haddad",
    "Elena Petrova",
    "Joseph Banda",
]
ORGS = [
    "Delta Mining Group",
    "the National Grain Board",
    "Harbor Bank",
    "Unity Party",
    "Coastal Airways",
    "the Medical Council",
    "Ridge Capital",
    "Pan African Telecom",
]
PLACES = ["Lagos", "Nairobi", "Lisbon", "Accra", "Osaka", "Oslo", "Lilongwe", "Beirut", "Sofia", "Lusaka"]
MISC = ["Kenyan", "Portuguese", "Japanese", "Ghanaian", "European", "Norwegian"]

CONFIRMED = [
    "[[PER:{per}]] arrived in [[LOC:{loc}]] on Monday.",
    "{org} reported a profit of 12 percent in [[LOC:{loc}]].",
    "[[PER:{per}]] signed the agreement with {org} on Tuesday.",
    "The [[MISC:{misc}]] delegation met [[PER:{per}]] in [[LOC:{loc}]].",
    "{org} opened a new office in [[LOC:{loc}]] last year.",
    "[[PER:{per}]] told reporters that the plant had closed.",
]
HEDGED = [
    "[[PER:{per}]] ((may)) resign before the vote in [[LOC:{loc}]].",
    "{org} is ((reportedly)) planning to sell its stake.",
    "The deal ((could)) be delayed, a source close to {org} ((said)).",
    "[[PER:{per}]] is ((expected)) to visit [[LOC:{loc}]] next week.",
    "Prices ((might)) rise further, ((according to)) analysts in [[LOC:{loc}]].",
    "The [[MISC:{misc}]] investors ((allegedly)) moved funds through [[LOC:{loc}]].",
]


def _org(name: str) -> str:
    # The guidelines keep determiners out of entity spans.
    return f"the [[ORG:{name[4:]}]]" if name.startswith("the ") else f"[[ORG:{name}]]"


def _sentence(rng: random.Random) -> str:
    hedged = rng.random() < 0.4
    template = rng.choice(HEDGED if hedged else CONFIRMED)
    filled = template.format(
        per=rng.choice(PEOPLE), loc=rng.choice(PLACES), org=_org(rng.choice(ORGS)), misc=rng.choice(MISC)
    )
    filled = filled[0].upper() + filled[1:]
    return f"<<{'H' if hedged else 'C'}:{filled}>>"


def make_article(article_id: str, rng: random.Random, sentences: int) -> Article:
    body = " ".join(_sentence(rng) for _ in range(sentences))
    source = f"id: {article_id}\ntitle: Synthetic {article_id}\ntopic: politics\n---\n{body}\n"
    return parse(source, f"<{article_id}>")


def write_corpus(folder: Path, sizes: dict[str, int] | None = None, sentences: int = 10) -> dict[str, Path]:
    """Write ``<folder>/<split>.jsonl`` for each split; the same arguments always give the same bytes."""
    rng = random.Random(20240611)
    paths = {}
    folder.mkdir(parents=True, exist_ok=True)
    for split, count in (sizes or {"train": 16, "dev": 4, "test": 6}).items():
        articles = [make_article(f"{split}-{i:03d}", rng, sentences) for i in range(count)]
        paths[split] = folder / f"{split}.jsonl"
        paths[split].write_text(
            "".join(canonical_line(a.to_json()) + "\n" for a in articles), encoding="utf-8"
        )
    return paths


def data_overrides(paths: dict[str, Path]) -> list[str]:
    return [f"data.source.splits.{split}={path}" for split, path in paths.items()]


# Short windows so that the synthetic articles (~150 tokens) are windowed as long real articles are.
WINDOW_OVERRIDES = ["model.max_length=64", "model.stride=16"]


def _tiny(
    command: str, corpus: dict[str, Path], checkpoint: Path, *options: str
) -> subprocess.CompletedProcess[str]:
    """``python -m <command> model=tiny`` with ``checkpoint``, short windows and ``corpus`` as the data."""
    return run_cli(
        command,
        "model=tiny",
        f"model.checkpoint={checkpoint}",
        *WINDOW_OVERRIDES,
        *data_overrides(corpus),
        *options,
    )


def train_tiny(
    corpus: dict[str, Path], checkpoint: Path, epochs: int, *options: str
) -> subprocess.CompletedProcess[str]:
    """``python -m bench.training.train model=tiny`` on ``corpus``; ``options``: more Hydra overrides."""
    return _tiny(
        "bench.training.train",
        corpus,
        checkpoint,
        f"train.epochs={epochs}",
        "train.batch_articles=2",
        *options,
    )


def run_tiny(
    corpus: dict[str, Path], checkpoint: Path, runs: Path, *overrides: str
) -> subprocess.CompletedProcess[str]:
    """A run of ``checkpoint`` on ``corpus``'s test split, into ``runs`` (its cache beside it)."""
    where = (f"run.root={runs}", f"run.cache={runs.parent / 'cache'}", "eval.resamples=50")
    return _tiny("bench", corpus, checkpoint, *where, *overrides)


# ---- file systems that refuse writes -------------------------------------------------------------------


def mount_tmpfs(folder: Path, options: str) -> bool:
    """A tmpfs mounted at ``folder`` (created) with ``options`` (``size=256k``, ``ro``); False where mounts
    are not permitted. Whoever mounts unmounts: ``unmount``."""
    folder.mkdir(parents=True, exist_ok=True)
    command = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)]
    return shutil.which("mount") is not None and subprocess.run(command, capture_output=True).returncode == 0


def unmount(folder: Path | str) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def make_read_only(folder: Path) -> str:
    """``folder`` (created, empty) made one nothing can be written into, and the reason a write there gives: a
    read-only tmpfs where mounts are permitted, else a folder without write permission; skips the test as
    root without mounts (root ignores permissions)."""
    if mount_tmpfs(folder, "size=64k,ro"):
        return "Read-only file system"
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return "Permission denied"
    pytest.skip("no read-only folder: mount is not permitted and root ignores permissions")
