"""Frozen entry point of `touchpoint` (the GUI and the headless CLI): ui.main:main."""

import sys

from ui.main import main

if __name__ == "__main__":
    sys.exit(main())
