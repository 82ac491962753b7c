"""Full screen with or without a window manager.

`showFullScreen()` only asks a window manager for full screen (X11's
_NET_WM_STATE_FULLSCREEN); on a plain `xinit` start there is none, and the
window keeps its default size in a corner. So the kiosk also takes the screen's
geometry itself, and again when the screen changes (a monitor plugged in, a
rotated display). No `Qt` namespace here: the kiosk calls this before its first
frame (ui/kiosk/attract.py says why that matters).
"""

from __future__ import annotations

from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QWidget


def fill_screen(window: QWidget) -> None:
    """Shows `window` full screen and as large as its screen, WM or not."""
    screen = window.screen()
    _fit(window, screen)
    window.showFullScreen()
    _fit(window, screen)  # a window manager may have moved it: the screen's geometry wins
    screen.geometryChanged.connect(lambda _rect: _fit(window, screen))


def _fit(window: QWidget, screen: QScreen) -> None:
    if window.geometry() != screen.geometry():
        window.setGeometry(screen.geometry())
