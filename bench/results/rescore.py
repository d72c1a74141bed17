"""``python -m bench.rescore RUN_DIR``: recompute ``scores.json`` from ``predictions.jsonl`` alone.

No model is loaded. The gold data is loaded from the run's own resolved ``config.yaml`` and must have the
fingerprint that ``manifest.json`` recorded; otherwise the scores would silently describe other data.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.core.jsonl import write_text_atomic
from bench.errors import InputError, run_command
from bench.run.rundir import Run, gold_articles, load_run
from bench.run.runner import score_text


def recomputed_scores(run: Run) -> str:
    """The ``scores.json`` text that the run's predictions and the gold data give; a run file of a shape
    that scoring cannot take is one ``InputError`` naming the run."""
    try:
        loaded, gold = gold_articles(run)
        predictions = run.predictions(gold)  # validated against the gold split: file and line on a problem
        return score_text(run.manifest.eval, loaded, gold, predictions)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 -- a run file of the wrong shape must not read as DIFFERENT (1)
        message = f"cannot rescore this run: {type(exc).__name__}: {' '.join(str(exc).split())}"
        raise InputError(run.path, None, message) from None


def rescore(run_dir: Path) -> tuple[str, bool]:
    """Return the recomputed scores text and whether it equals the stored ``scores.json``."""
    text = recomputed_scores(load_run(run_dir))
    return text, (run_dir / "scores.json").read_text(encoding="utf-8") == text


def verified_run(run_dir: Path) -> Run:
    """The run, when its ``scores.json`` is what its predictions and the gold data give: tables and reports
    show ``scores.json``, so an edited one (a row both best and significantly worse) is refused."""
    run = load_run(run_dir)
    if (run_dir / "scores.json").read_text(encoding="utf-8") != recomputed_scores(run):
        message = (f"differs from the scores recomputed from predictions.jsonl and the gold data; not shown "
                   f"(python -m bench.rescore {run_dir} says how)")  # fmt: skip
        raise InputError(run_dir / "scores.json", None, message)
    return run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.rescore", description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--write", action="store_true", help="replace scores.json with the recomputed scores")
    args = parser.parse_args(argv)

    def action() -> int:
        text, identical = rescore(args.run_dir)
        if args.write:
            write_text_atomic(args.run_dir / "scores.json", text)
        print(f"{args.run_dir / 'scores.json'}: {'identical' if identical else 'DIFFERENT'}")
        return 0 if identical or args.write else 1

    run_command(action)


if __name__ == "__main__":
    main()
