"""`python -m bench.gate`: see `bench.results.gate`."""

from bench.results.gate import main

if __name__ == "__main__":
    main()
