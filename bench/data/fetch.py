"""``python -m bench.fetch <dataset>… | --all``: download external corpora from their public origins.

Each external dataset's config (``conf/data/<id>.yaml``) names its pinned file list (``sources:``: public URL
at a pinned commit, sha256) and its ``licence``. Every file is checked against its sha256. All files are
downloaded into a staging folder first and moved into the cache only when every one checked out: a failed,
partial or corrupt download leaves nothing behind and names the file and both hashes. Files already in the
cache with the right sha256 are not downloaded again. The licence is printed and recorded beside the files
(``<cache>/licences/<id>.json``).

    python -m bench.fetch wikigold bioscope [--to FOLDER] [--mirror URL]
    python -m bench.fetch --all

``--to``: the cache (default ``$BENCH_SOURCES``, else ``~/.cache/bench/sources``: where runs look).
``--mirror``: download ``<URL>/<path under the cache>`` instead of each public URL (an air-gapped site's
copy laid out like the cache, as ``../shared/data`` is); default ``$BENCH_MIRROR``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from bench.data.sources import Corpus, SourceFile, cache_root, corpus, fetchable
from bench.errors import InputError, run_command

TIMEOUT_SECONDS = 60
MIRROR_VARIABLE = "BENCH_MIRROR"


def _verified(path: Path, sha256: str) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def _download(url: str, target: Path, expected: str) -> None:
    """Download ``url`` to ``target``; refuse it unless its sha256 is ``expected``."""
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
        raise InputError(url, None, f"sha256 {digest.hexdigest()} differs from the pinned {expected}")


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


def record_licence(found: Corpus, cache: Path) -> Path:
    """Write which files a dataset came from and under which licence, beside the files."""
    target = cache / "licences" / f"{found.dataset}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    record = {"dataset": found.dataset, "licence": found.licence,
              "files": [{"path": f.path, "url": f.url, "sha256": f.sha256} for f in found.files]}  # fmt: skip
    target.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return target


def _parser(choices: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fetch",
        description="Download external corpora from their public origins at pinned commits, sha256-checked.",
        epilog=f"datasets: {', '.join(choices)}. Nothing is downloaded by --help.",
    )
    parser.add_argument("datasets", nargs="*", metavar="dataset", help="dataset ids (conf/data/<id>.yaml)")
    parser.add_argument("--all", action="store_true", help="every dataset with pinned sources")
    parser.add_argument(
        "--to", type=Path, default=None, help="cache folder (default: $BENCH_SOURCES or ~/.cache)"
    )
    parser.add_argument("--mirror", default=os.environ.get(MIRROR_VARIABLE) or None,
                        help=f"base URL of a copy laid out like the cache (${MIRROR_VARIABLE})")  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> None:
    configs = fetchable()
    parser = _parser(sorted(configs))
    args = parser.parse_args(argv)
    unknown = sorted(set(args.datasets) - set(configs))
    if unknown or not (args.datasets or args.all):
        parser.error(f"unknown dataset {unknown[0]!r}" if unknown else "name a dataset, or --all")

    def action() -> int:
        cache = args.to or cache_root()
        for name in sorted(configs) if args.all else args.datasets:
            found = corpus(configs[name])
            assert found is not None  # fetchable() holds only configs with sources
            downloaded = fetch(found.files, cache, args.mirror)
            record_licence(found, cache)
            print(f"{name}: {len(found.files)} files in {cache}, {downloaded} downloaded")
            print(f"{name}: licence: {found.licence}")
        return 0

    run_command(action)
