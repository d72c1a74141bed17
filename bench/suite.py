"""`python -m bench.suite`: see `bench.results.suite`."""

from bench.results.suite import main

if __name__ == "__main__":
    main()
