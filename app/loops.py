"""Handing work from a worker thread to an asyncio loop.

Reader workers and Qt threads never touch the loop's objects themselves: they
hand a call over with `call_soon`, and code that may already run on the loop
checks `running_on` to call at once instead.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any


def running_on(loop: asyncio.AbstractEventLoop) -> bool:
    """True when the calling code runs inside `loop` (in its thread, while it runs)."""
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def call_soon(loop: asyncio.AbstractEventLoop, fn: Callable[..., Any], *args: Any) -> bool:
    """`fn(*args)` on `loop`, from any thread; False when the loop is closed (nobody is
    left to call it for)."""
    if loop.is_closed():
        return False
    with contextlib.suppress(RuntimeError):  # closed between the check and the call
        loop.call_soon_threadsafe(fn, *args)
        return True
    return False
