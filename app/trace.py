"""The APDU trace: every command and answer a delivery carried, decoded.

Entries are appended from reader worker threads; listeners (the CLI's
`--trace-apdu` printer, the tester UI) are called on the asyncio loop the
trace was created on when there is one, so the UI never touches widgets from
a worker thread. Recording keeps the raw bytes and two timestamps; decoding
happens when the trace is read or shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.apdunames import command_name, redact, sw_meaning
from app.logs import TRAFFIC, TRAFFIC_LOGGER
from app.loops import call_soon, running_on
from app.paths import write_atomic

Listener = Callable[["TraceEntry"], None]
log = logging.getLogger(__name__)
traffic = logging.getLogger(TRAFFIC_LOGGER)


def log_traffic(entry: TraceEntry) -> None:
    """The TRAFFIC level's listener: the entry as the trace shows it (secrets redacted)."""
    traffic.log(TRAFFIC, "%s", entry.to_text() if entry.direction != "--" else f"-- {entry.name}")


@dataclass(frozen=True)
class TraceEntry:
    """One direction of one exchange: `>>` command to the card, `<<` answer from it."""

    time: float  # seconds since the epoch
    direction: str  # ">>" or "<<"
    data: bytes
    name: str  # decoded command name (the command's, on both lines)
    sw: int | None = None  # answers only
    meaning: str = ""  # status word meaning (answers) or "" (commands)
    duration_ms: float | None = None  # answers only: time the card took
    redacted: bool = False

    def to_text(self) -> str:
        stamp = datetime.fromtimestamp(self.time).strftime("%H:%M:%S.%f")[:-3]
        hexdata = self.data.hex().upper()
        if self.direction == ">>":
            return f"{stamp} >> {hexdata}  {self.name}"
        took = f" ({self.duration_ms:.1f} ms)" if self.duration_ms is not None else ""
        sw = f"{self.sw:04X} " if self.sw is not None else ""
        return f"{stamp} << {hexdata}  {sw}{self.meaning}{took}"

    def to_json(self) -> dict[str, Any]:
        return {
            "time": datetime.fromtimestamp(self.time, UTC).isoformat(),
            "direction": self.direction,
            "apdu": self.data.hex().upper(),
            "name": self.name,
            "sw": f"{self.sw:04X}" if self.sw is not None else None,
            "meaning": self.meaning,
            "durationMs": self.duration_ms,
            "redacted": self.redacted,
        }


@dataclass(slots=True)
class _Exchange:
    """One physical exchange as recorded; its two entries are made on first read."""

    command: bytes
    response: bytes | None
    t0: float
    t1: float
    decoded: tuple[TraceEntry, TraceEntry] | None = None

    def entries(self) -> tuple[TraceEntry, TraceEntry]:
        if self.decoded is None:
            self.decoded = _decode(self.command, self.response, self.t0, self.t1)
        return self.decoded


def _decode(command: bytes, response: bytes | None, t0: float, t1: float
            ) -> tuple[TraceEntry, TraceEntry]:
    name = command_name(command)
    safe = redact(command)
    out = TraceEntry(t0, ">>", safe if safe is not None else bytes(command), name,
                     redacted=safe is not None)
    if response is None:
        back = TraceEntry(t1, "<<", b"", name, None, "no answer (card removed or reader error)",
                          (t1 - t0) * 1000)
    else:
        sw = int.from_bytes(response[-2:], "big") if len(response) >= 2 else None
        meaning = sw_meaning(sw) if sw is not None else "no status word"
        back = TraceEntry(t1, "<<", bytes(response), name, sw, meaning, (t1 - t0) * 1000)
    return out, back


def _flatten(items: list[TraceEntry | _Exchange]) -> list[TraceEntry]:
    out: list[TraceEntry] = []
    for item in items:
        if isinstance(item, TraceEntry):
            out.append(item)
        else:
            out.extend(item.entries())
    return out


class Trace:
    """An append-only list of TraceEntry with thread-safe listeners.

    The trace is the reader's Observer (`record`, also as `__call__`), so it is
    called on the worker thread between two APDUs, while the card waits: it
    keeps the raw exchange there, and names, status word meanings and redaction
    are worked out when someone reads the trace (`entries`, `to_text`, `save`)
    or when listeners are due. Listeners get every entry, in order, on the
    trace's loop, at most every `notify_interval` seconds while a worker records.
    """

    notify_interval = 0.05

    def __init__(self) -> None:
        # list.append is atomic: the worker appends without the lock, readers copy
        self._items: list[TraceEntry | _Exchange] = []
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._outbox: list[TraceEntry | _Exchange] = []
        self._flush_due = False  # a flush is scheduled on the loop
        self._last_flush = 0.0
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        if traffic.isEnabledFor(TRAFFIC):  # -vvv / --log-level traffic: every APDU, masked
            self.subscribe(log_traffic)

    # -- recording ------------------------------------------------------------------
    def record(self, command: bytes, response: bytes | None, t0: float, t1: float) -> None:
        """One physical exchange (response None: it failed), from a reader's worker."""
        item = _Exchange(command, response, t0, t1)
        self._items.append(item)
        if self._listeners:
            self._publish(item)

    def __call__(self, command: bytes, response: bytes | None, t0: float, t1: float) -> None:
        """The trace is itself an observer: `record`."""
        self.record(command, response, t0, t1)

    def note(self, text: str) -> None:
        """A free-text line (phase changes, errors) so a saved trace reads as a story."""
        item = TraceEntry(time.time(), "--", b"", text)
        self._items.append(item)
        if self._listeners:
            self._publish(item)

    def _publish(self, item: TraceEntry | _Exchange) -> None:
        with self._lock:
            self._outbox.append(item)
        self._deliver()

    # -- reading --------------------------------------------------------------------
    @property
    def entries(self) -> list[TraceEntry]:
        """Every entry so far, in order (each exchange is decoded once)."""
        return _flatten(self._items[:])

    def commands(self) -> list[TraceEntry]:
        return [e for e in self.entries if e.direction == ">>"]

    def to_text(self) -> str:
        lines = []
        for e in self.entries:
            lines.append(e.to_text() if e.direction != "--" else f"-- {e.name}")
        return "\n".join(lines)

    def to_json(self) -> list[dict[str, Any]]:
        return [e.to_json() for e in self.entries]

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Writes JSON (`.json`) or text (anything else) atomically."""
        json_file = Path(path).suffix.lower() == ".json"
        return write_atomic(path, json.dumps(self.to_json(), indent=1) if json_file
                            else self.to_text() + "\n")

    # -- listeners ------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Calls `listener` for every new entry; returns the unsubscribe function."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def flush(self) -> None:
        """Hands every pending entry to the listeners now (on the calling thread)."""
        with self._lock:
            items, self._outbox = self._outbox, []
            self._flush_due = False
            listeners = list(self._listeners)
        self._last_flush = time.monotonic()
        if not items:
            return
        for entry in _flatten(items):
            for listener in listeners:
                try:
                    listener(entry)
                except Exception:  # a broken viewer must not break the delivery
                    log.exception("trace listener failed")

    def _deliver(self) -> None:
        """Listeners run on the trace's loop: now when we are on it (or there is none),
        else through one scheduled flush per `notify_interval`."""
        loop = self._loop
        if loop is None or loop.is_closed() or running_on(loop):
            self.flush()
            return
        with self._lock:
            if self._flush_due:
                return
            self._flush_due = True
        call_soon(loop, self._flush_later)

    def _flush_later(self) -> None:
        wait = self._last_flush + self.notify_interval - time.monotonic()
        if wait > 0 and self._loop is not None:
            self._loop.call_later(wait, self.flush)
        else:
            self.flush()
