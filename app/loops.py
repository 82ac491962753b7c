"""Which asyncio loop the caller runs on: work for a loop runs at once when the caller is
on it, else it is handed over with call_soon_threadsafe (reader workers, Qt threads)."""

from __future__ import annotations

import asyncio


def running_on(loop: asyncio.AbstractEventLoop) -> bool:
    """True when the calling code runs inside `loop` (in its thread, while it runs)."""
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
