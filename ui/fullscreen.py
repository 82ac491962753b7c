"""Full screen with or without a window manager.

`showFullScreen()` only asks a window manager for full screen (X11's
_NET_WM_STATE_FULLSCREEN); on a plain `xinit` start there is none, and the
window keeps its default size in a corner. So the kiosk also takes the screen's
geometry itself, and again when the screen changes (a monitor plugged in, a
rotated display). No `Qt` namespace here: the kiosk calls this before its first
frame (ui/kiosk/attract.py says why that matters).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, Slot
from PySide6.QtWidgets import QWidget


class _ScreenFollower(QObject):
    """The window's child: its connection to the screen ends with the window."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        window.screen().geometryChanged.connect(self.fit)

    @Slot(QRect)
    def fit(self, _rect: QRect | None = None) -> None:
        geometry = self.window.screen().geometry()
        if self.window.geometry() != geometry:
            self.window.setGeometry(geometry)


def fill_screen(window: QWidget) -> None:
    """Shows `window` full screen and as large as its screen, WM or not."""
    follower = _ScreenFollower(window)
    follower.fit()
    window.showFullScreen()
    follower.fit()  # no window manager granted it (or one moved it): the screen's size wins
