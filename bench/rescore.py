"""`python -m bench.rescore`: see `bench.results.rescore`."""

from bench.results.rescore import main

if __name__ == "__main__":
    main()
