"""`python -m bench.lint`: see `bench.corpus.lint`."""

from bench.corpus.lint import main

if __name__ == "__main__":
    main()
