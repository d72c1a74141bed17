"""`python -m bench.corpus <build|check|compile|stats>`: see `bench.corpus.build`."""

from bench.corpus.build import main

main()
