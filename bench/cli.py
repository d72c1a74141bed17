"""The ``bench`` console script: ``bench <command> …`` is ``python -m bench.<command> …``, and ``bench …``
with anything else (Hydra overrides, ``-m``, ``--help``) is ``python -m bench …``. One dispatcher, so a wheel
installs every command under one name and ``python -m`` keeps working unchanged."""

from __future__ import annotations

import runpy
import sys

COMMANDS = ("agreement", "audit", "corpus", "fetch", "gate", "lint", "report", "rescore", "suite", "tables",
            "train")  # fmt: skip


def main() -> None:
    args = sys.argv[1:]
    module = f"bench.{args[0]}" if args and args[0] in COMMANDS else "bench"
    sys.argv = [sys.argv[0], *(args[1:] if module != "bench" else args)]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
