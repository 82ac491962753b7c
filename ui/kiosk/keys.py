"""The kiosk by keyboard: Enter presses the focused button, Esc/Backspace go one step back.

Esc is never a way out of kiosk mode (that needs the staff PIN): it closes an
overlay or goes to the screen before, and on the attract screen does nothing.
Keys reach here when the focused widget did not use them (a text field keeps
its Backspace, a list its Enter).

`BackKeys` is the same step back for any other screen (the desktop's Staff and
Tester tabs, the kiosk's staff mode): it watches a screen for the Esc/Backspace
its children left unused and asks the screen's `back()` (ui/backsteps.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

if TYPE_CHECKING:
    from ui.kiosk.view import KioskView

BACK = (Qt.Key.Key_Escape, Qt.Key.Key_Back, Qt.Key.Key_Backspace)
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def handle_key(view: KioskView, event: QKeyEvent) -> bool:
    """True when the key was used (or, for Esc, swallowed)."""
    key = event.key()
    if key in ENTER:
        focus = QApplication.focusWidget()  # a plain button passes Enter on: press it here
        if isinstance(focus, QAbstractButton) and view.isAncestorOf(focus):
            event.accept()
            focus.click()
            return True
        return False
    if is_back(event):
        event.accept()
        go_back(view)
        return True
    return False


def is_back(event: QEvent) -> bool:
    """An Esc or Backspace (or a keypad's Back) that reached a screen: its focused widget,
    if any, did not use it (a text field deletes with Backspace; Esc passes through)."""
    return isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
        and event.key() in BACK


class BackKeys(QObject):
    """Esc/Backspace call `back()` on `screen`; a True answer takes the key, False lets it
    go on (to the window: nothing to go back to here)."""

    def __init__(self, screen: QWidget, back: Callable[[], bool]) -> None:
        super().__init__(screen)
        self.screen, self.back = screen, back
        screen.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.screen and is_back(event) and self.back():
            event.accept()
            return True
        return False


def go_back(view: KioskView) -> bool:
    """Closes an overlay, or shows the screen before (not during a delivery: its own Cancel
    stops it). False when there is nothing to go back to."""
    if not view._built:
        return False
    for overlay in (view.pin_overlay, view.menu_overlay):
        if overlay.isVisible():
            overlay.dismiss()
            return True
    if view.idle_overlay.isVisible():
        view.overlays.still_here()
        return True
    current = view.stack.currentWidget()
    if current is view.detail:
        view.show_apps()
    elif current is view.apps:
        view.finish()
    elif current is view.service and not view.delivering:
        view.service.go_back()
    else:
        return False
    return True
