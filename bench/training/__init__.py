"""Pieces of ``python -m bench.train``: building a base model, examples, the loop, selection, saving."""
