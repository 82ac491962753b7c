"""Frozen entry point of `cardsim` (the virtual card; `cardsim vpcd` puts it behind pcscd)."""

import sys

from cardsim.cli import main

if __name__ == "__main__":
    sys.exit(main())
