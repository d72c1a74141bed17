"""``python -m bench.fetch news_real``: download a stand-off corpus's source files at their pinned commits.

Every file is checked against the sha256 in ``data/<id>/sources.json``. All files are downloaded into a
staging folder first and moved into the cache only when every one checked out: a failed, partial or corrupt
download leaves nothing behind and names the file that failed. Files already in the cache with the right
sha256 are not downloaded again.

    python -m bench.fetch news_real [--to FOLDER] [--mirror URL]

``--to``: the cache (default ``$BENCH_SOURCES`` or ``~/.cache/bench/sources``: where news_real looks).
``--mirror``: download ``<URL>/<relative path>`` instead of each file's public URL (a local mirror, tests).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from bench.core.paths import PROJECT_ROOT
from bench.data.news_real import SourceFile, read_source_list
from bench.errors import InputError, run_command

FETCHABLE = {"news_real": PROJECT_ROOT / "data" / "news_real" / "sources.json"}
TIMEOUT_SECONDS = 60


def default_cache() -> Path:
    return Path(os.environ.get("BENCH_SOURCES", "~/.cache/bench/sources")).expanduser()


def _verified(path: Path, sha256: str) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def _download(url: str, target: Path, expected: str) -> None:
    """Download ``url`` to ``target``; refuse it (and remove it) unless its sha256 is ``expected``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response, target.open("wb") as out:
            while block := response.read(1 << 16):
                digest.update(block)
                out.write(block)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise InputError(url, None, f"download failed: {getattr(exc, 'reason', exc)}") from None
    if digest.hexdigest() != expected:
        raise InputError(
            url, None, f"sha256 {digest.hexdigest()[:16]}… differs from the pinned {expected[:16]}…"
        )


def fetch(files: Sequence[SourceFile], cache: Path, mirror: str | None = None) -> int:
    """Bring every file into ``cache``; return how many were downloaded. All or nothing."""
    missing = [f for f in files if not _verified(cache / f.path, f.sha256)]
    if not missing:
        return 0
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=cache, prefix=".fetch-"))
    try:
        for entry in tqdm(missing, desc="fetch", unit="file", disable=None):  # no bar when not a terminal
            url = f"{mirror.rstrip('/')}/{entry.path}" if mirror else entry.url
            _download(url, staging / entry.path, entry.sha256)
        for entry in missing:
            (cache / entry.path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / entry.path, cache / entry.path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(missing)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fetch", description=__doc__.splitlines()[0])
    parser.add_argument("dataset", choices=sorted(FETCHABLE))
    parser.add_argument(
        "--to", type=Path, default=None, help="cache folder (default: $BENCH_SOURCES or ~/.cache)"
    )
    parser.add_argument("--mirror", help="base URL of a mirror laid out like the cache")
    args = parser.parse_args(argv)

    def action() -> int:
        cache = args.to or default_cache()
        files = read_source_list(FETCHABLE[args.dataset])
        downloaded = fetch(files, cache, args.mirror)
        print(f"{args.dataset}: {len(files)} source files in {cache} ({downloaded} downloaded)")
        return 0

    run_command(action)
