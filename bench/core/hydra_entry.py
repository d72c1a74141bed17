"""Hydra entry points that fail like every other command: one ``error:`` line and exit status 2.

Hydra reports a bad override (``evall.resamples=3``, ``model=nope``) itself, over several lines with exit
status 1, before the task function runs. With ``HYDRA_FULL_ERROR`` set it raises the exception instead, and
``run_hydra`` turns it into the project's one line, printed by ``bench.errors.exit_bad_input`` like every
other command's bad input (see ``bench.errors``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from hydra.errors import ConfigCompositionException, MissingConfigException, OverrideParseException

from bench.core.cluster import held_sbatch_echo, quiet_sacct, refused_submission
from bench.errors import exit_bad_input

COMPOSITION_ERRORS = (ConfigCompositionException, MissingConfigException, OverrideParseException)


def composition_message(error: Exception) -> str:
    """Hydra's message in one line, without the config search path (noise here)."""
    return " ".join(str(error).split()).split(" Config search path:")[0]


def run_hydra(main: Callable[[], None]) -> None:
    """Run a ``@hydra.main`` function; a bad override or a refused cluster submission is one line, exit 2."""
    os.environ.setdefault("HYDRA_FULL_ERROR", "1")
    quiet_sacct()
    try:
        with held_sbatch_echo() as echo:
            main()
    except COMPOSITION_ERRORS as error:
        exit_bad_input(f"config: {composition_message(error)}")
    except Exception as error:
        refused = refused_submission(error)
        if refused is None:
            sys.stderr.write("".join(f"{line}\n" for line in echo.held))
            raise
        exit_bad_input(refused)
