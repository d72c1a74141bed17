"""`python -m bench.agreement`: see `bench.corpus.agreement`."""

from bench.corpus.agreement import main

if __name__ == "__main__":
    main()
