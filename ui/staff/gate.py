"""The staff tab of the desktop window before the PIN: set one on first use, or enter it.

Checking a PIN runs scrypt (tens of milliseconds) in an executor, never on the
Qt thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from qasync import asyncSlot

from app.pinstore import MAX_LENGTH, MIN_LENGTH, PinError
from ui.context import UiContext
from ui.widgets.build import labelled
from ui.widgets.pincheck import check_pin
from ui.widgets.pinpad import PinPad

log = logging.getLogger(__name__)


class StaffGate(QWidget):
    """The staff tab before the PIN: set one (first use) or enter it."""

    unlocked = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *,
                 tester: bool = False) -> None:
        """`tester`: the gate of the Tester tab (the same PIN; shown only when one is set)."""
        super().__init__(parent)
        self.ctx = ctx
        self.tester = tester
        self.setObjectName("tester-gate" if tester else "staff-gate")
        col = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setProperty("role", "title")
        self.message = QLabel(self)
        self.message.setObjectName("gate-message")
        self.message.setProperty("role", "warning")
        self.message.setWordWrap(True)
        col.addWidget(self.title)
        # first use: choose a PIN
        self.setup = QWidget(self)
        form = QFormLayout(self.setup)
        self.new_pin = QLineEdit(self.setup)
        self.new_pin.setObjectName("new-pin")
        self.new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin2 = QLineEdit(self.setup)
        self.new_pin2.setObjectName("new-pin-again")
        self.new_pin2.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_label = labelled(form, self.new_pin)
        self.new_label2 = labelled(form, self.new_pin2)
        self.set_button = QPushButton(self.setup)
        self.set_button.setObjectName("set-pin")
        form.addRow(self.set_button)
        self.pinpad = PinPad(self)
        self.pinpad.setObjectName("tester-gate-pinpad" if tester else "gate-pinpad")
        self.pinpad.cancel_button.hide()
        col.addWidget(self.setup)
        col.addWidget(self.pinpad, 0, Qt.AlignmentFlag.AlignLeft)
        col.addWidget(self.message)
        col.addStretch(1)
        self.set_button.clicked.connect(self._set_pin)
        self.pinpad.submitted.connect(self._check)
        self.retranslate()
        self.update_mode()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.pinpad.isVisibleTo(self):  # typed digits go to the pad without a click first
            QTimer.singleShot(0, self, self._focus_pad)

    def _focus_pad(self) -> None:
        if self.pinpad.isVisible():
            self.pinpad.setFocus()

    def update_mode(self) -> None:
        is_set = self.ctx.pins.is_set()
        self.setup.setVisible(not is_set)
        self.pinpad.setVisible(is_set)
        self.pinpad.clear()
        self.message.setText(self._keyring_note())
        if is_set and self.isVisible():
            QTimer.singleShot(0, self, self._focus_pad)

    def _set_pin(self) -> None:
        a, b = self.new_pin.text(), self.new_pin2.text()
        if a != b:
            self.message.setText(self.tr("The two PINs differ."))
            return
        if not (a.isascii() and a.isdigit() and MIN_LENGTH <= len(a) <= MAX_LENGTH):
            self.message.setText(self.tr("The PIN must have %1 to %2 digits, and digits only.")
                                 .replace("%1", str(MIN_LENGTH)).replace("%2", str(MAX_LENGTH)))
            return
        try:
            self.ctx.pins.set_pin(a)
        except PinError as exc:
            log.warning("the staff PIN could not be stored: %s", exc)
            self.message.setText(self.tr("The PIN could not be saved. Check that the data "
                                         "folder can be written, or ask an administrator."))
            return
        self.new_pin.clear()
        self.new_pin2.clear()
        self.update_mode()
        self.unlocked.emit()

    @asyncSlot(str)
    async def _check(self, pin: str) -> None:
        if await check_pin(self.pinpad, self.ctx.pins, pin):  # it says why not, on the pad
            self.message.setText(self._keyring_note())
            self.unlocked.emit()

    def _keyring_note(self) -> str:
        pins = self.ctx.pins
        return self.tr("No secure keyring is available: the staff PIN hash is kept in %1 "
                       "(readable only by this user).").replace("%1", str(pins.path)) \
            if pins.in_file else ""

    def retranslate(self) -> None:
        self.title.setText(self.tr("Tester mode is protected by the staff PIN") if self.tester
                           else self.tr("Staff mode is protected by the staff PIN"))
        self.new_label.setText(self.tr("New staff PIN (4 to 12 digits)"))
        self.new_label2.setText(self.tr("The same PIN again"))
        self.set_button.setText(self.tr("Set the PIN"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

