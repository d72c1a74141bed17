"""`python -m bench.train`: see `bench.training.train`."""

from bench.core.hydra_entry import run_hydra
from bench.training.train import main

if __name__ == "__main__":
    run_hydra(main)
