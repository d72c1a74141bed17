"""``python -m bench [model=<id>] [data=<id>] [split=<name>]``: one evaluation run (see README.md)."""

import hydra
from omegaconf import DictConfig

from bench.errors import InputError, report_and_exit
from bench.runner import run


@hydra.main(config_path="../conf", config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> None:
    try:
        run(cfg)
    except InputError as error:
        report_and_exit(error)


if __name__ == "__main__":
    main()
