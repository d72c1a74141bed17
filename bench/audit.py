"""`python -m bench.audit`: see `bench.run.audit`."""

from bench.core.hydra_entry import run_hydra
from bench.run.audit import main

if __name__ == "__main__":
    run_hydra(main)
