"""Staff (and tester) mode locks after an idle time: nobody walks up to an open staff
screen left behind. Any touch, click or key restarts the countdown; a delivery
going on (`busy`) postpones the lock, which never cuts a card's work short, and a
card tapped or taken away counts as activity (staff going through a stack of cards
hands-free are not idle).

Also the touch sizes for staff mode inside the kiosk: the staff screen there is
pressed with fingers like the rest of the kiosk (theme.TOUCH).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ui import theme

_INPUT = {
    QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.Wheel,
}

TOUCH_QSS = f"""
QPushButton, QToolButton, QComboBox, QLineEdit, QDateEdit {{
    min-height: {theme.TOUCH}px; min-width: {theme.TOUCH}px; font-size: 18px; }}
QCheckBox, QRadioButton {{ min-height: {theme.TOUCH}px; font-size: 18px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 32px; height: 32px; }}
QLabel {{ font-size: 18px; }}
QHeaderView::section, QTableView {{ font-size: 16px; }}
QScrollBar:vertical {{ width: 28px; }}
"""


class IdleLock(QObject):
    locked = Signal()

    def __init__(self, idle_s: float, busy: Callable[[], bool] = lambda: False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle_s = idle_s
        self.busy = busy
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expired)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def armed(self) -> bool:
        return self._timer.isActive()

    def arm(self) -> None:
        self._timer.start(max(1, int(self.idle_s * 1000)))

    def poke(self, *_args: object) -> None:
        """Activity other than input (a card tapped or taken away): the countdown starts over."""
        if self._timer.isActive():
            self.arm()

    def disarm(self) -> None:
        self._timer.stop()

    def _expired(self) -> None:
        if self.busy():
            self.arm()  # after the delivery, a full idle time again
            return
        self.locked.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._timer.isActive() and event.type() in _INPUT:
            self.arm()
        return False

    def close(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()
