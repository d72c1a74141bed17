"""`python -m bench.training`: fine-tune a model (same as `python -m bench.train`)."""

from bench.core.hydra_entry import run_hydra
from bench.training.train import main

run_hydra(main)
