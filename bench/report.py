"""`python -m bench.report`: see `bench.results.report`."""

from bench.results.report import main

if __name__ == "__main__":
    main()
