"""A touch PIN pad (digits, clear, OK) that also takes the keyboard's digits.

The message line keeps a fixed space (six lines), so a message never moves the
keys under the finger; a lockout counts down second by second (`count_down`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.pinstore import MAX_LENGTH


class PinPad(QWidget):
    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pin = ""
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        col = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setProperty("role", "subtitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display = QLabel(self)
        self.display.setObjectName("pin-display")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setMinimumHeight(56)
        self.display.setStyleSheet("font-size: 34px; letter-spacing: 8px;")
        self.message = QLabel(self)
        self.message.setProperty("role", "warning")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setObjectName("pin-message")
        # its width follows the keys and its height is kept: the keys never move
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._tick)
        self._until = 0.0
        self._countdown_text: Callable[[int], str] | None = None
        col.addWidget(self.title)
        col.addWidget(self.display)
        col.addWidget(self.message)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.digits: dict[str, QPushButton] = {}
        for i, d in enumerate("123456789"):
            self.digits[d] = self._key(d, grid, i // 3, i % 3)
        self.clear_button = self._key("", grid, 3, 0)
        self.digits["0"] = self._key("0", grid, 3, 1)
        self.ok_button = self._key("", grid, 3, 2)
        self.ok_button.setProperty("kind", "primary")
        self.clear_button.clicked.connect(self.clear)
        self.ok_button.clicked.connect(self._submit)
        col.addLayout(grid)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("pin-cancel")
        self.cancel_button.clicked.connect(self.cancelled)
        col.addWidget(self.cancel_button)
        self.retranslate()

    def _key(self, text: str, grid: QGridLayout, row: int, column: int) -> QPushButton:
        b = QPushButton(text, self)
        b.setMinimumSize(88, 64)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if text:
            b.setObjectName(f"pin-{text}")
            b.clicked.connect(lambda _=False, d=text: self.press(d))
        grid.addWidget(b, row, column)
        return b

    def retranslate(self) -> None:
        self.title.setText(self.tr("Staff PIN"))
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setAccessibleName(self.tr("Clear"))
        self.ok_button.setText(self.tr("OK"))
        self.ok_button.setObjectName("pin-ok")
        self.cancel_button.setText(self.tr("Cancel"))
        self.clear_button.setAccessibleDescription(self.tr("Removes the digits entered"))
        self.ok_button.setAccessibleDescription(self.tr("Checks the PIN"))
        self.cancel_button.setAccessibleDescription(self.tr("Closes the PIN pad"))
        for digit in self.digits.values():
            digit.setAccessibleDescription(self.tr("Adds this digit to the PIN"))
        self.display.setAccessibleName(self.tr("PIN entered: %n digit(s)", "", len(self._pin)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def press(self, digit: str) -> None:
        if len(self._pin) < MAX_LENGTH:
            self._pin += digit
            self._show()

    def clear(self) -> None:
        self._pin = ""
        self._show()

    def set_message(self, text: str) -> None:
        self._countdown.stop()
        self.message.setText(text)

    def count_down(self, seconds: float, text: Callable[[int], str]) -> None:
        """Shows `text(seconds left)`, updated every second, then clears it."""
        self._until = time.monotonic() + seconds
        self._countdown_text = text
        self._countdown.start()
        self._tick()

    @property
    def counting(self) -> bool:
        return self._countdown.isActive()

    def _tick(self) -> None:
        left = math.ceil(self._until - time.monotonic())
        if left <= 0 or self._countdown_text is None:
            self._countdown.stop()
            self.message.setText("")
            return
        self.message.setText(self._countdown_text(left))

    def showEvent(self, event: QShowEvent) -> None:
        self.message.ensurePolished()  # the style sheet's font, then six lines of it
        self.message.setFixedHeight(self.message.fontMetrics().lineSpacing() * 6 + 4)
        super().showEvent(event)

    def _show(self) -> None:
        self.display.setText("●" * len(self._pin))
        self.display.setAccessibleName(self.tr("PIN entered: %n digit(s)", "", len(self._pin)))

    def _submit(self) -> None:
        pin, self._pin = self._pin, ""
        self._show()
        self.submitted.emit(pin)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and text.isascii():
            self.press(text)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
        elif event.key() == Qt.Key.Key_Backspace:
            self._pin = self._pin[:-1]
            self._show()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)
