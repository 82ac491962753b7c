"""Work-arounds for known defects of the Qt binding, each with the condition it applies under.

PySide6 6.12.0 on CPython 3.11 drops one reference to None on every call of
a C++ method returning void (measured: `QWidget.update()` 1000 times lowers
`sys.getrefcount(None)` by 1000; 6.11.3 does not). Python 3.12 made None,
True and False immortal (PEP 683), so there it is harmless; on 3.11 the
process aborts with "deallocating None" after enough calls. Until the
dependency is pinned below 6.12 (or Python 3.12+ is used), we give these
statically allocated singletons the same treatment 3.12 does: a reference
count so high it cannot reach zero. They are never freed either way.
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)
_FLOOR = 1 << 60


def _affected() -> bool:
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    try:
        import PySide6
    except ImportError:
        return False
    parts = PySide6.__version__.split(".")
    try:
        major, minor = int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return True
    return (major, minor) >= (6, 12)


def protect_singletons() -> bool:
    """Makes None/True/False effectively immortal where the binding leaks their references."""
    if not _affected():
        return False
    import ctypes  # only where needed: it costs milliseconds at every start

    for obj in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(obj))
        if count.value < _FLOOR:
            count.value += _FLOOR
    log.debug("PySide6 %s on Python %s: None/True/False protected against reference leaks",
              sys.modules["PySide6"].__version__, sys.version.split()[0])
    return True
