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


def run_hydra(main: Callable[[], None]) -> None:
    os.environ.setdefault("HYDRA_FULL_ERROR", "1")
    try:
        main()
    except (ConfigCompositionException, MissingConfigException, OverrideParseException) as error:
        message = " ".join(str(error).split()).split(" Config search path:")[0]  # the path list is noise here
        print(f"error: config: {message}", file=sys.stderr)
        raise SystemExit(2) from None
