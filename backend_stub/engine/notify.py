"""Wake-ups for long-polling touch points (memory only: the state itself is in the DB)."""

from __future__ import annotations

import asyncio
from collections import defaultdict


class Notifier:
    """Per-session events: a fetch subscribes before it reads, so no wake-up is lost."""

    def __init__(self) -> None:
        self._subs: dict[str, set[asyncio.Event]] = defaultdict(set)

    def subscribe(self, key: str) -> asyncio.Event:
        ev = asyncio.Event()
        self._subs[key].add(ev)
        return ev

    def unsubscribe(self, key: str, ev: asyncio.Event) -> None:
        subs = self._subs.get(key)
        if subs is not None:
            subs.discard(ev)
            if not subs:
                del self._subs[key]

    def notify(self, key: str) -> None:
        for ev in self._subs.get(key, ()):
            ev.set()
