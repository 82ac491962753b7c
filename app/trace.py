"""The APDU trace: every command and answer a delivery carried, decoded.

Entries are appended from reader worker threads; listeners (the CLI's
`--trace-apdu` printer, the tester UI) are called on the asyncio loop the
trace was created on when there is one, so the UI never touches widgets from
a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.apdunames import command_name, redact, sw_meaning

Listener = Callable[["TraceEntry"], None]


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


class Trace:
    """An append-only list of TraceEntry with thread-safe listeners."""

    def __init__(self) -> None:
        self._entries: list[TraceEntry] = []
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None

    # -- recording ------------------------------------------------------------------
    def record(self, command: bytes, response: bytes | None, t0: float, t1: float) -> None:
        """Observer for reader transports: one physical exchange (response None = it failed)."""
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
        with self._lock:
            self._entries.append(out)
            self._entries.append(back)
        self._notify(out)
        self._notify(back)

    def note(self, text: str) -> None:
        """A free-text line (phase changes, errors) so a saved trace reads as a story."""
        entry = TraceEntry(time.time(), "--", b"", text)
        with self._lock:
            self._entries.append(entry)
        self._notify(entry)

    # -- reading --------------------------------------------------------------------
    @property
    def entries(self) -> list[TraceEntry]:
        with self._lock:
            return list(self._entries)

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
        target = Path(path)
        text = (json.dumps(self.to_json(), indent=1) if target.suffix.lower() == ".json"
                else self.to_text() + "\n")
        tmp = target.with_name(f".{target.name}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        return target

    # -- listeners ------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Calls `listener` for every new entry; returns the unsubscribe function."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, entry: TraceEntry) -> None:
        if not self._listeners:
            return
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is not loop:
                for listener in list(self._listeners):
                    loop.call_soon_threadsafe(listener, entry)
                return
        for listener in list(self._listeners):
            listener(entry)
