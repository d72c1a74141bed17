"""`python -m bench.tables`: see `bench.results.tables`."""

from bench.results.tables import main

if __name__ == "__main__":
    main()
