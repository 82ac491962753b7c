"""Wake-ups across worker processes: PostgreSQL LISTEN/NOTIFY on one dedicated connection.

The state is in the database; only the nudge "session X changed" has to travel.
Every worker listens on one channel and publishes the sessions its commits
touched; a received id wakes the local long-polls of that session (our own
notifications come back too: a spurious wake-up only costs a re-read).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy.engine import make_url

from backend_stub import extras
from backend_stub.engine.notify import Notifier

log = logging.getLogger("backend_stub.pgbus")
CHANNEL = "touchpoint_wake"
MAX_PAYLOAD = 7000  # PostgreSQL's NOTIFY payload limit is 8000 bytes


def asyncpg_dsn(url: str) -> str:
    """The plain libpq DSN of a SQLAlchemy `postgresql+asyncpg://` URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class PgBus:
    """Publishes and receives session wake-ups; reconnects after a lost connection."""

    def __init__(self, url: str, notifier: Notifier) -> None:
        self._asyncpg = extras.asyncpg()  # the postgres extra (imported only when used)
        self._dsn = asyncpg_dsn(url)
        self._notifier = notifier
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._conn: Any = None
        self.ready = asyncio.Event()

    def publish(self, session_id: str) -> None:
        self._queue.put_nowait(session_id)

    def _received(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        for sid in payload.split(","):
            if sid:
                self._notifier.notify(sid)

    async def run(self) -> None:
        """Listen and publish until cancelled."""
        while True:
            try:
                self._conn = await self._asyncpg.connect(self._dsn)
                await self._conn.add_listener(CHANNEL, self._received)
                self.ready.set()
                while True:
                    sids = {await self._queue.get()}
                    while not self._queue.empty():
                        sids.add(self._queue.get_nowait())
                    for payload in _chunks(sorted(sids)):
                        await self._conn.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # lost connection: long-polls still time out and re-read
                log.warning("wake-up channel lost (%s); reconnecting", exc)
                self.ready.clear()
                await asyncio.sleep(0.5)
            finally:
                if self._conn is not None:
                    with contextlib.suppress(Exception):
                        await self._conn.close()
                    self._conn = None


def _chunks(sids: list[str]) -> list[str]:
    out: list[str] = []
    cur = ""
    for sid in sids:
        if cur and len(cur) + len(sid) + 1 > MAX_PAYLOAD:
            out.append(cur)
            cur = ""
        cur = f"{cur},{sid}" if cur else sid
    if cur:
        out.append(cur)
    return out
