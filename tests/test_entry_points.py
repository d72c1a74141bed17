"""Every command refuses bad input through one wrapper (``bench.errors``): an argparse command's ``main``
ends in ``run_command``, a Hydra task function wraps its work in ``reported_input_errors``, and only
``bench.errors`` prints ``error:`` and exits 2 itself."""

from __future__ import annotations

import ast

from bench.core.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "bench"


def _mains() -> dict[str, ast.FunctionDef]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name == "main":
                found[str(path.relative_to(PROJECT_ROOT))] = node
    return found


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def test_every_command_main_uses_the_one_wrapper() -> None:
    mains = {path: main for path, main in _mains().items() if path != "bench/cli.py"}  # the dispatcher
    assert len(mains) >= 13
    for path, main in mains.items():
        hydra = any("hydra" in ast.unparse(decorator) for decorator in main.decorator_list)
        wrapper = "reported_input_errors" if hydra else "run_command"
        assert wrapper in _names(main), f"{path}: main does not use {wrapper}"


def test_only_bench_errors_prints_the_error_line_and_exits_2() -> None:
    for path in PACKAGE.rglob("*.py"):
        if path.name == "errors.py" and path.parent == PACKAGE:
            continue
        text = path.read_text(encoding="utf-8")
        assert "SystemExit(2)" not in text, path
        assert 'print(f"error:' not in text, path
