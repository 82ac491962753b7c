"""Frozen entry point of `touchpoint-backend`, started by app/backend.py from the same folder."""

import sys

from backend_stub.cli import main

if __name__ == "__main__":
    sys.exit(main())
