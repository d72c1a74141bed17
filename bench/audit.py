"""`python -m bench.audit`: see `bench.run.audit`."""

from bench.run.audit import main

if __name__ == "__main__":
    main()
