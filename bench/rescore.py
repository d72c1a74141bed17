"""``python -m bench.rescore RUN_DIR``: recompute ``scores.json`` from ``predictions.jsonl`` alone.

No model is loaded. The gold data is loaded from the run's own resolved ``config.yaml`` and must have the
fingerprint that ``manifest.json`` recorded; otherwise the scores would silently describe other data.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from omegaconf import OmegaConf

from bench import data as data_module
from bench.errors import InputError, report_and_exit
from bench.jsonl import read_records
from bench.runner import gold_split, score_text
from bench.schema import Prediction


def rescore(run_dir: Path) -> tuple[str, bool]:
    """Return the recomputed scores text and whether it equals the stored ``scores.json``."""
    config_path, manifest_path = run_dir / "config.yaml", run_dir / "manifest.json"
    for path in (config_path, manifest_path, run_dir / "predictions.jsonl"):
        if not path.is_file():
            raise InputError(path, None, "missing: not a complete run directory")
    cfg = OmegaConf.load(config_path)
    loaded = data_module.load(cfg.data)
    recorded = json.loads(manifest_path.read_text(encoding="utf-8"))["data"]["fingerprint"]
    if loaded.fingerprint != recorded:
        raise InputError(
            manifest_path, None, f"the data changed since this run (fingerprint {recorded[:12]}…)"
        )
    gold = gold_split(loaded, cfg.split)
    predictions = [p for _, p in read_records(run_dir / "predictions.jsonl", Prediction.from_json)]
    try:
        text = score_text(cfg, gold, predictions, loaded.tasks)
    except ValueError as exc:  # predictions that do not fit the gold data: the file is the bad input
        raise InputError(run_dir / "predictions.jsonl", None, str(exc)) from None
    stored = run_dir / "scores.json"
    return text, stored.is_file() and stored.read_text(encoding="utf-8") == text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.rescore", description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--write", action="store_true", help="replace scores.json with the recomputed scores")
    args = parser.parse_args(argv)
    try:
        text, identical = rescore(args.run_dir)
    except InputError as error:
        report_and_exit(error)
    if args.write:
        (args.run_dir / "scores.json").write_text(text, encoding="utf-8", newline="\n")
    print(f"{args.run_dir / 'scores.json'}: {'identical' if identical else 'DIFFERENT'}")
    raise SystemExit(0 if identical or args.write else 1)


if __name__ == "__main__":
    main()
