"""Frozen entry point of `touchpoint` (the GUI and the headless CLI): app.cli:main."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
