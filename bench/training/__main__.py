"""`python -m bench.training`: fine-tune a model (same as `python -m bench.train`)."""

from bench.training.train import main

main()
