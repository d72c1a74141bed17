"""Hydra entry points that fail like every other command: one ``error:`` line and exit status 2.

Hydra reports a bad override (``evall.resamples=3``, ``model=nope``) itself, over several lines with exit
status 1, before the task function runs. With ``HYDRA_FULL_ERROR`` set it raises the exception instead, and
``run_hydra`` turns it into the project's one line.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from hydra.errors import ConfigCompositionException, MissingConfigException, OverrideParseException

COMPOSITION_ERRORS = (ConfigCompositionException, MissingConfigException, OverrideParseException)


def composition_message(error: Exception) -> str:
    """Hydra's message in one line, without the config search path (noise here)."""
    return " ".join(str(error).split()).split(" Config search path:")[0]


def run_hydra(main: Callable[[], None]) -> None:
    os.environ.setdefault("HYDRA_FULL_ERROR", "1")
    try:
        main()
    except COMPOSITION_ERRORS as error:
        print(f"error: config: {composition_message(error)}", file=sys.stderr)
        raise SystemExit(2) from None
