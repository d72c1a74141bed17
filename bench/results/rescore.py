"""``python -m bench.rescore RUN_DIR``: recompute ``scores.json`` from ``predictions.jsonl`` alone.

No model is loaded. The gold data is loaded from the run's own resolved ``config.yaml`` and must have the
fingerprint that ``manifest.json`` recorded; otherwise the scores would silently describe other data.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.core.jsonl import write_text_atomic
from bench.errors import InputError, reported_input_errors
from bench.run.rundir import gold_articles, load_run
from bench.run.runner import score_text


def rescore(run_dir: Path) -> tuple[str, bool]:
    """Return the recomputed scores text and whether it equals the stored ``scores.json``."""
    run = load_run(run_dir)
    loaded, gold = gold_articles(run)
    predictions = run.predictions(gold)  # validated against the gold split: file and line on a problem
    text = score_text(run.manifest.eval, loaded, gold, predictions)
    return text, (run_dir / "scores.json").read_text(encoding="utf-8") == text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.rescore", description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--write", action="store_true", help="replace scores.json with the recomputed scores")
    args = parser.parse_args(argv)
    with reported_input_errors():
        try:
            text, identical = rescore(args.run_dir)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 -- a run file of the wrong shape must not read as DIFFERENT (1)
            message = f"cannot rescore this run: {type(exc).__name__}: {' '.join(str(exc).split())}"
            raise InputError(args.run_dir, None, message) from None
    if args.write:
        write_text_atomic(args.run_dir / "scores.json", text)
    print(f"{args.run_dir / 'scores.json'}: {'identical' if identical else 'DIFFERENT'}")
    raise SystemExit(0 if identical or args.write else 1)


if __name__ == "__main__":
    main()
