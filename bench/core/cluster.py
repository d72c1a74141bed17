"""What a sweep on a SLURM cluster (Hydra's submitit launcher) prints when things go wrong, and what not.

A submission the cluster refuses (``sbatch`` exits non-zero: more memory or CPUs than a node has, an unknown
partition, a time limit above the partition's) reaches the user as submitit's ``FailedJobError`` with a
30-line traceback; here it is one line naming the resource and the override that sets it. Where the cluster
keeps no accounting, every poll of ``sacct`` logs "Bypassing sacct error" warnings although the jobs run and
their results are read from files: that warning is dropped.
"""

from __future__ import annotations

import contextlib
import io
import logging
import sys
from collections.abc import Iterator

# sbatch's word for a refused resource -> the override that sets it (conf/hydra/launcher/slurm.yaml).
OVERRIDES = (
    ("memory", "hydra.launcher.mem_gb"),
    ("cpu", "hydra.launcher.cpus_per_task (it follows threads=)"),
    ("time limit", "hydra.launcher.timeout_min"),
    ("partition", "hydra.launcher.partition"),
    ("account", "hydra.launcher.account"),
    ("node", "hydra.launcher.nodes or hydra.launcher.tasks_per_node"),
)


def refused_submission(error: BaseException) -> str | None:
    """The one line for a submission SLURM refused; ``None`` for any other error."""
    utils = sys.modules.get("submitit.core.utils")  # not imported: no SLURM sweep ran, nothing to recognise
    if utils is None or not isinstance(error, utils.FailedJobError) or "sbatch: error" not in str(error):
        return None
    reasons = [
        line.split("sbatch: error:", 1)[1].strip()
        for line in str(error).splitlines()
        if "sbatch: error:" in line
    ]
    said = "; ".join(reasons)
    override = next((o for word, o in OVERRIDES if word in said.lower()), "the hydra.launcher.* overrides")
    return f"SLURM refused the submission: {said} (set it with {override})"


class _NoSacctNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "Bypassing sacct error" not in record.getMessage()


def quiet_sacct() -> None:
    """Drop submitit's per-poll sacct warning (a cluster without accounting); keep every other message."""
    logging.getLogger("submitit").addFilter(_NoSacctNoise())


class _HeldSbatchEcho(io.TextIOBase):
    """stderr, less the echo of a failed ``sbatch`` that submitit prints before raising (held, not lost)."""

    def __init__(self, stream: io.TextIOBase) -> None:
        self.stream, self.held, self._newline_held = stream, [], False

    def write(self, text: str) -> int:
        if text.startswith("sbatch: error:"):
            self.held.append(text)
            self._newline_held = True
        elif text == "\n" and self._newline_held:
            self._newline_held = False
        else:
            self._newline_held = False
            self.stream.write(text)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    # The rest is the real stream's: progress bars and fault handlers see a terminal where there is one.
    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")


@contextlib.contextmanager
def held_sbatch_echo() -> Iterator[_HeldSbatchEcho]:
    """While a sweep submits: hold sbatch's refusal echo, which ``refused_submission`` says in one line."""
    held = _HeldSbatchEcho(sys.stderr)
    saved, sys.stderr = sys.stderr, held
    try:
        yield held
    finally:
        sys.stderr = saved
