"""Inactivity: a warning `warn_s` before the reset, then the reset (WCAG 2.2.1: 20 s to react).

One application-wide event filter restarts the countdown on any touch, click
or key; the kiosk enables it only while a visitor's session is open (not on
the attract screen, not while a service runs).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT = {
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    warn = Signal(int)  # seconds left
    tick = Signal(int)  # seconds left, every second while warning
    reset = Signal()
    resumed = Signal()  # activity during the warning

    def __init__(self, idle_s: float, warn_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle_s = idle_s
        self.warn_s = min(warn_s, idle_s)
        self._enabled = False
        self._warning = False
        self._deadline = 0.0
        self._warn_timer = QTimer(self)
        self._warn_timer.setSingleShot(True)
        self._warn_timer.timeout.connect(self._start_warning)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(250)
        self._tick_timer.timeout.connect(self._on_tick)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def warning(self) -> bool:
        return self._warning

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, on: bool) -> None:
        self._enabled = on
        if on:
            self.poke()
        else:
            self._stop()

    def poke(self) -> None:
        """Activity: the countdown starts over (and a warning goes away)."""
        if not self._enabled:
            return
        was_warning = self._warning
        self._stop()
        self._deadline = time.monotonic() + self.idle_s
        self._warn_timer.start(max(0, int((self.idle_s - self.warn_s) * 1000)))
        if was_warning:
            self.resumed.emit()

    def left(self) -> int:
        return max(0, round(self._deadline - time.monotonic()))

    def _stop(self) -> None:
        self._warn_timer.stop()
        self._tick_timer.stop()
        self._warning = False

    def _start_warning(self) -> None:
        self._warning = True
        self.warn.emit(self.left())
        self._tick_timer.start()

    def _on_tick(self) -> None:
        if time.monotonic() >= self._deadline:
            self._stop()
            self._enabled = False
            self.reset.emit()
            return
        self.tick.emit(self.left())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._enabled and event.type() in _INPUT:
            self.poke()
        return False

    def close(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._stop()
