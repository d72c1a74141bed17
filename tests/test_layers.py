"""The import contract of the README's "Layout" ([tool.importlinter] in pyproject.toml) holds and can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from bench.core.paths import PROJECT_ROOT


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [
        shutil.which("lint-imports") or "lint-imports",
        "--config",
        str(root / "pyproject.toml"),
        "--no-cache",
    ]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_the_package_keeps_its_import_contracts() -> None:
    done = lint_imports(PROJECT_ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_a_run_module_importing_an_authoring_tool_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / "bench", tmp_path / "bench", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    cache = tmp_path / "bench" / "run" / "cache.py"
    cache.write_text(
        cache.read_text(encoding="utf-8") + "\nimport bench.corpus.markup  # noqa\n", encoding="utf-8"
    )
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "BROKEN" in done.stdout and "bench.run.cache -> bench.corpus.markup" in done.stdout
