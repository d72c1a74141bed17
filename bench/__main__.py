"""``python -m bench [model=<id>] [data=<id>] [split=<name>] ...``: one evaluation run (see README.md)."""

import sys
from pathlib import Path

import hydra
from omegaconf import DictConfig

from bench.core.configs import dataset_ids, model_ids
from bench.core.hydra_entry import run_hydra
from bench.core.paths import CONFIG_DIR
from bench.errors import reported_input_errors
from bench.run.runner import run

HELP = """bench: a reproducible benchmark for named entities and claim certainty in news text.

  python -m bench [model=<id>] [data=<id>] [split=test] [limit=N] [eval.confidence=0.95] ...
      one run: load and validate the data, predict (cached per article), score, write a run directory.
      models: conf/model/*.yaml ({models});
      data: conf/data/*.yaml ({datasets}).
      Sweeps: python -m bench -m model=lexicon,spacy_sm

Other commands (each has --help):
  python -m bench.suite     models x datasets, one table
  python -m bench.tables    Markdown/LaTeX/CSV tables of runs, with intervals and paired tests
  python -m bench.gate      fail CI only on a real regression against a committed baseline
  python -m bench.report    HTML error report of a run, or of two runs
  python -m bench.rescore   recompute a run's scores from its predictions alone
  python -m bench.train     fine-tune tiny or minilm
  python -m bench.audit     does a prediction depend on the batch size (or device)? logits compared
  python -m bench.fetch     download the external corpora from pinned public files (sha256-checked)
  python -m bench.corpus    build, check, compile and describe the corpus (authoring)
  python -m bench.lint      annotation consistency lint

Installed as a package, `bench <command> ...` is `python -m bench.<command> ...`. Relative paths are
relative to the current folder. Hydra's own help: python -m bench --hydra-help
"""


def help_text(config_dir: Path | None = None) -> str:
    """``HELP`` with the models and datasets that ``conf/`` holds."""
    models, datasets = ", ".join(model_ids(config_dir)), ", ".join(dataset_ids(config_dir))
    return HELP.format(models=models, datasets=datasets)


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> None:
    with reported_input_errors():
        run(cfg)


if __name__ == "__main__":
    if any(arg in ("--help", "-h") for arg in sys.argv[1:]):
        print(help_text(), end="")
        raise SystemExit(0)
    run_hydra(main)
