"""`python -m bench.fetch`: see `bench.data.fetch`."""

from bench.data.fetch import main

if __name__ == "__main__":
    main()
