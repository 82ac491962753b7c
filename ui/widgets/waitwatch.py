"""No wait without an end: "taking longer than usual" after `slow_s` without news, and
the time limit after `limit_s` without news, which cancels the delivery it watches.

"News" is any progress report of the runner (a batch sent, an APDU answered, the
next fetch): a long script that keeps moving is never cut, a backend or SP that
stopped answering is. The screens show the slow state and, after the limit, the
clear result "it took too long" (the runner ends CANCELLED; `timed_out` says why).
Pauses while the user is asked something (`pause()`), since then nobody waits on
the backend. Also estimates the time left where the script's length is known.
"""

from __future__ import annotations

import time
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from app.delivery import Phase, Progress


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class WaitWatch(QObject):
    slow = Signal(bool)  # True: taking longer than usual; False: news again
    expired = Signal()  # the time limit passed: the watched runner was cancelled

    def __init__(self, slow_s: float, limit_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.slow_s = slow_s
        self.limit_s = max(limit_s, slow_s)
        self.is_slow = False
        self.timed_out = False
        self.running = False
        self._runner: Cancellable | None = None
        self._started = 0.0
        self._first_apdu: tuple[float, int] | None = None
        self._slow_timer = QTimer(self)
        self._slow_timer.setSingleShot(True)
        self._slow_timer.timeout.connect(self._went_slow)
        self._limit_timer = QTimer(self)
        self._limit_timer.setSingleShot(True)
        self._limit_timer.timeout.connect(self._expire)

    def start(self, runner: Cancellable | None) -> None:
        """A new wait for `runner` (cancelled at the limit)."""
        self._runner = runner
        self.timed_out = False
        self.running = True
        self._started = time.monotonic()
        self._first_apdu = None
        self.poke()

    def poke(self) -> None:
        """News: both countdowns start over and the slow state ends."""
        if not self.running:
            return
        self._slow_timer.start(int(self.slow_s * 1000))
        self._limit_timer.start(int(self.limit_s * 1000))
        if self.is_slow:
            self.is_slow = False
            self.slow.emit(False)

    def progress(self, p: Progress) -> None:
        if p.phase in (Phase.DONE, Phase.FAILED, Phase.CANCELLED):
            self.stop()
            return
        if p.phase is Phase.USER_INPUT:
            self.pause()
            return
        if not self.running and self._runner is not None and not self.timed_out:
            self.running = True  # after a pause
        if p.apdus_done and self._first_apdu is None:
            self._first_apdu = (time.monotonic(), p.apdus_done)
        self.poke()

    def pause(self) -> None:
        """The user is asked something: nobody waits on the backend meanwhile."""
        self._slow_timer.stop()
        self._limit_timer.stop()
        self.running = False
        if self.is_slow:
            self.is_slow = False
            self.slow.emit(False)

    def resume(self) -> None:
        """After a pause (the card back on the reader): the countdowns start over."""
        if self._runner is not None and not self.timed_out:
            self.running = True
            self.poke()

    def hold(self, held: bool) -> None:
        """"Place your card again" shows (True: nobody waits on the backend) or ends."""
        if held:
            self.pause()
        else:
            self.resume()

    def stop(self) -> None:
        self.pause()
        self._runner = None

    def seconds_left(self, p: Progress | None) -> float | None:
        """The time left at the pace so far, when the script's length is known (None if not)."""
        if p is None or self._first_apdu is None or not p.apdus_expected:
            return None
        t0, n0 = self._first_apdu
        done = p.apdus_done - n0
        elapsed = time.monotonic() - t0
        if done <= 0 or elapsed <= 0 or p.apdus_done >= p.apdus_expected:
            return None
        return (p.apdus_expected - p.apdus_done) * elapsed / done

    def _went_slow(self) -> None:
        if self.running and not self.is_slow:
            self.is_slow = True
            self.slow.emit(True)

    def _expire(self) -> None:
        if not self.running:
            return
        runner = self._runner
        self.timed_out = True
        self.stop()
        if runner is not None:
            runner.cancel()
        self.expired.emit()


def bar_value(p: Progress) -> tuple[int, int]:
    """(maximum, value) for a progress bar that reaches 100 % only when the delivery is done:
    the count of APDUs sent so far is never the whole (the backend may send more batches,
    and the SP still has to say it is completed), so one step is kept for the end."""
    if p.phase is Phase.DONE:
        top = max(p.apdus_expected, p.apdus_done, 1) + 1
        return top, top
    top = max(p.apdus_expected, p.apdus_done) + 1
    return top, min(p.apdus_done, top - 1)
