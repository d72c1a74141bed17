"""``python -m bench [model=<id>] [data=<id>] [split=<name>]``: one evaluation run (see README.md)."""

import hydra
from omegaconf import DictConfig

from bench.core.paths import CONFIG_DIR
from bench.errors import reported_input_errors
from bench.run.runner import run


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> None:
    with reported_input_errors():
        run(cfg)


if __name__ == "__main__":
    main()
