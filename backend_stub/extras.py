"""Optional dependencies (pyproject extras), imported when first needed.

asyncpg is only for a PostgreSQL store (`pip install 'se-touchpoint[postgres]'`); a
SQLite backend runs without it. A missing one is named with the command that installs
it, at the point it is needed, instead of an ImportError from inside SQLAlchemy.
"""

from __future__ import annotations

import importlib
from types import ModuleType

DIST = "se-touchpoint"


class MissingExtra(RuntimeError):
    """An optional dependency is not installed; the message says which extra brings it."""


def require(module: str, extra: str, needed_for: str) -> ModuleType:
    """`module`, imported; MissingExtra naming `pip install 'se-touchpoint[extra]'`."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(
            f"{needed_for} needs the Python package {module}, which is not installed "
            f"({exc}): pip install '{DIST}[{extra}]'") from None


def asyncpg() -> ModuleType:
    """The asyncpg driver of a PostgreSQL store."""
    return require("asyncpg", "postgres", "a PostgreSQL database")
