"""PcscMonitor's watchdog: a pcscd restart must not silently stop reader/card events.

The PC/SC service is replaced at its API boundary (the `smartcard.scard` functions) by a
small in-memory pcsc-lite that can be "restarted"; the monitor itself is the real one.
"""

from __future__ import annotations

import threading
import time

import pytest

scard = pytest.importorskip("smartcard.scard")

from app.readers.base import EventType, ReaderEvent  # noqa: E402
from app.readers.pcsc import PNP_READER, PcscMonitor  # noqa: E402


class FakePcscLite:
    """pcsc-lite as the monitor sees it: contexts, readers, status changes, restarts."""

    def __init__(self) -> None:
        for name in dir(scard):
            if name.startswith(("SCARD_", "SCardGetErrorMessage")):
                setattr(self, name, getattr(scard, name))
        self.readers: dict[str, bool] = {}
        self.up = True
        self.generation = 0
        self.lock = threading.Lock()

    def SCardEstablishContext(self, scope):
        with self.lock:
            if not self.up:
                return self.SCARD_E_NO_SERVICE, None
            return self.SCARD_S_SUCCESS, self.generation

    def SCardReleaseContext(self, ctx):
        return self.SCARD_S_SUCCESS

    def SCardCancel(self, ctx):
        return self.SCARD_S_SUCCESS

    def _valid(self, ctx) -> bool:
        return self.up and ctx == self.generation

    def SCardListReaders(self, ctx, groups):
        with self.lock:
            if not self._valid(ctx):
                return self.SCARD_E_NO_SERVICE, []
            if not self.readers:
                return self.SCARD_E_NO_READERS_AVAILABLE, []
            return self.SCARD_S_SUCCESS, list(self.readers)

    def _state(self, name: str) -> int:
        return self.SCARD_STATE_PRESENT if self.readers.get(name) else self.SCARD_STATE_EMPTY

    def SCardGetStatusChange(self, ctx, timeout_ms, states):
        end = time.monotonic() + timeout_ms / 1000
        while True:
            with self.lock:
                if not self._valid(ctx):
                    return self.SCARD_E_NO_SERVICE, []
                out, changed = [], False
                for name, current in states:
                    if name == PNP_READER:
                        out.append((name, current, []))
                        continue
                    if name not in self.readers:
                        out.append((name, self.SCARD_STATE_UNKNOWN | self.SCARD_STATE_CHANGED, []))
                        changed = True
                        continue
                    now = self._state(name)
                    if current == self.SCARD_STATE_UNAWARE or (now ^ current) & (
                            self.SCARD_STATE_PRESENT | self.SCARD_STATE_EMPTY):
                        changed = True
                        now |= self.SCARD_STATE_CHANGED
                    out.append((name, now, []))
            if changed:
                return self.SCARD_S_SUCCESS, out
            if time.monotonic() >= end:
                return self.SCARD_E_TIMEOUT, []
            time.sleep(0.005)

    # test controls
    def restart(self, down_for: float) -> None:
        with self.lock:
            self.up = False
            self.generation += 1
        time.sleep(down_for)
        with self.lock:
            self.up = True


def wait_until(pred, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.01)
    raise AssertionError("condition not reached")


def test_events_survive_a_pcscd_restart() -> None:
    api = FakePcscLite()
    api.readers["Reader A"] = True
    monitor = PcscMonitor(api, poll_ms=50, retry_s=0.05)
    events: list[ReaderEvent] = []
    monitor.subscribe(events.append)  # no running loop: delivered on the monitor thread
    try:
        wait_until(lambda: (EventType.CARD_INSERTED, "Reader A") in
                   [(e.type, e.reader) for e in events])
        assert events[0] == ReaderEvent(EventType.READER_ADDED, "Reader A")

        api.restart(down_for=0.3)  # pcscd goes away and comes back: old contexts are dead
        wait_until(lambda: monitor.restarts == 1)
        kinds = [e.type for e in events]
        assert kinds.count(EventType.READER_REMOVED) == 1
        assert kinds.count(EventType.CARD_REMOVED) == 1
        wait_until(lambda: [e.type for e in events].count(EventType.READER_ADDED) == 2)

        # after the restart the monitor still sees cards come and go
        api.readers["Reader A"] = False
        wait_until(lambda: [e.type for e in events].count(EventType.CARD_REMOVED) == 2)
        api.readers["Reader B"] = False  # hot-plugged reader shows up
        wait_until(lambda: ReaderEvent(EventType.READER_ADDED, "Reader B") in events, 3)
        assert monitor.readers() == {"Reader A": False, "Reader B": False}
    finally:
        monitor.stop()
    assert not monitor.running


def test_no_service_at_start_then_service_appears() -> None:
    api = FakePcscLite()
    api.up = False
    api.readers["Late"] = True
    monitor = PcscMonitor(api, poll_ms=50, retry_s=0.05)
    events: list[ReaderEvent] = []
    monitor.subscribe(events.append)
    try:
        time.sleep(0.2)
        assert events == []
        api.up = True
        wait_until(lambda: ReaderEvent(EventType.CARD_INSERTED, "Late") in events)
    finally:
        monitor.stop()
