"""`python -m bench.train`: see `bench.training.train`."""

from bench.training.train import main

if __name__ == "__main__":
    main()
