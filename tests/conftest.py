"""Fixtures shared by the test modules (helpers they import are in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_corpus


@pytest.fixture
def runs_root(tmp_path: Path) -> Path:
    return tmp_path / "runs"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The synthetic corpus's split files (``helpers.write_corpus``), one per test module."""
    return write_corpus(tmp_path_factory.mktemp("corpus"))
