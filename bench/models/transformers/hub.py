"""Where a Hugging Face checkpoint comes from: a local folder, or a hub id at a pinned commit."""

from __future__ import annotations

import re
from pathlib import Path

from bench.core.paths import resolve
from bench.errors import InputError

CONFIG_FILE = "conf/model/hf.yaml"
_COMMIT = re.compile(r"[0-9a-f]{40}")
# What a hub snapshot needs: weights as safetensors only (never pickles), configs and tokenizer files.
_HUB_FILES = ["*.json", "*.safetensors", "*.txt", "*.model"]


def locate(checkpoint: str, revision: str | None, key: str = "model.checkpoint") -> Path:
    """The folder of ``checkpoint``: itself when it is a local folder (relative to the project root), else a
    hub snapshot, which needs ``revision`` to be a 40-hex commit (no unpinned hub fetches)."""
    local = resolve(checkpoint)
    if local.is_dir():
        return local
    if revision is None or not _COMMIT.fullmatch(revision):
        revision_key = key.replace("checkpoint", "revision")
        raise InputError(
            CONFIG_FILE,
            None,
            f"{key}={checkpoint!r} is no local folder; a hub id needs {revision_key}=<40-hex commit>, "
            f"got {revision!r} (no unpinned hub fetches)",
        )
    return _fetch(checkpoint, revision)


def _fetch(repo_id: str, revision: str) -> Path:
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(repo_id, revision=revision, allow_patterns=_HUB_FILES))
    except OSError as error:  # huggingface_hub's errors (offline, unknown repo or revision) are OSErrors
        raise InputError(CONFIG_FILE, None, f"cannot fetch {repo_id}@{revision}: {error}") from None
