"""The two top-level windows: the full-screen kiosk, and the desktop window with three tabs.

Kiosk: the kiosk view fills the screen; closing is refused until the staff
PIN was entered and "Exit kiosk mode" chosen; staff mode replaces the view
until "Back to the kiosk". Desktop: Card (the same flow in a window),
Staff (behind the PIN) and Tester, with the language switcher beside the tabs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from ui import theme
from ui.context import UiContext
from ui.kiosk.view import KioskView
from ui.pinstore import PinError
from ui.widgets.langbar import LanguageBar
from ui.widgets.pinpad import PinPad

if TYPE_CHECKING:
    from ui.staff.panel import StaffPanel


class KioskWindow(QMainWindow):
    closed = Signal()

    def __init__(self, ctx: UiContext, *, lazy: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.unlocked = False
        self.setObjectName("kiosk-window")
        self.stack = QStackedWidget(self)
        self.kiosk = KioskView(ctx, self.stack, lazy=lazy)
        self._staff: StaffPanel | None = None  # made when staff first need it
        self.stack.addWidget(self.kiosk)
        self.setCentralWidget(self.stack)
        self.kiosk.exit_requested.connect(self.unlock_and_close)
        self.kiosk.staff_requested.connect(self.show_staff)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.retranslate()

    @property
    def staff(self) -> StaffPanel:
        if self._staff is None:
            from ui.staff.panel import StaffPanel

            self._staff = StaffPanel(self.ctx, self.stack, back_button=True)
            self.stack.addWidget(self._staff)
            self._staff.back_requested.connect(self.show_kiosk)
        return self._staff

    def show_staff(self) -> None:
        self.kiosk.set_active(False)
        self.staff.refresh()
        self.stack.setCurrentWidget(self.staff)

    def show_kiosk(self) -> None:
        if self._staff is not None:
            self._staff.stop()
        self.stack.setCurrentWidget(self.kiosk)
        self.kiosk.set_active(True)
        self.kiosk.finish()

    def unlock_and_close(self) -> None:
        self.unlocked = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.unlocked:
            event.ignore()  # Alt+F4 and friends: no way out without the staff PIN
            return
        event.accept()
        self.closed.emit()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Card services"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class StaffGate(QWidget):
    """The staff tab before the PIN: set one (first use) or enter it."""

    unlocked = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("staff-gate")
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
        self.new_label = QLabel(self.setup)
        self.new_label2 = QLabel(self.setup)
        self.new_label.setBuddy(self.new_pin)
        self.new_label2.setBuddy(self.new_pin2)
        self.set_button = QPushButton(self.setup)
        self.set_button.setObjectName("set-pin")
        form.addRow(self.new_label, self.new_pin)
        form.addRow(self.new_label2, self.new_pin2)
        form.addRow(self.set_button)
        self.pinpad = PinPad(self)
        self.pinpad.setObjectName("gate-pinpad")
        self.pinpad.cancel_button.hide()
        col.addWidget(self.setup)
        col.addWidget(self.pinpad, 0, Qt.AlignmentFlag.AlignLeft)
        col.addWidget(self.message)
        col.addStretch(1)
        self.set_button.clicked.connect(self._set_pin)
        self.pinpad.submitted.connect(self._check)
        self.retranslate()
        self.update_mode()

    def update_mode(self) -> None:
        is_set = self.ctx.pins.is_set()
        self.setup.setVisible(not is_set)
        self.pinpad.setVisible(is_set)
        self.message.setText(self._keyring_note())

    def _set_pin(self) -> None:
        a, b = self.new_pin.text(), self.new_pin2.text()
        if a != b:
            self.message.setText(self.tr("The two PINs differ."))
            return
        try:
            self.ctx.pins.set_pin(a)
        except PinError as exc:
            self.message.setText(str(exc))
            return
        self.new_pin.clear()
        self.new_pin2.clear()
        self.update_mode()
        self.unlocked.emit()

    @asyncSlot(str)
    async def _check(self, pin: str) -> None:
        import asyncio

        ok = await asyncio.get_running_loop().run_in_executor(None, self.ctx.pins.verify, pin)
        if ok:
            self.message.setText(self._keyring_note())
            self.unlocked.emit()
        else:
            self.message.setText(self.tr("Wrong PIN."))

    def _keyring_note(self) -> str:
        pins = self.ctx.pins
        return self.tr("No secure keyring is available: the staff PIN hash is kept in %1 "
                       "(readable only by this user).").replace("%1", str(pins.path)) \
            if pins.in_file else ""

    def retranslate(self) -> None:
        self.title.setText(self.tr("Staff mode is protected by the staff PIN"))
        self.new_label.setText(self.tr("New staff PIN (4 to 12 digits)"))
        self.new_label2.setText(self.tr("The same PIN again"))
        self.set_button.setText(self.tr("Set the PIN"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class DesktopWindow(QMainWindow):
    closed = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("desktop-window")
        self.setStyleSheet(theme.DESKTOP_QSS)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mode-tabs")
        self.kiosk = KioskView(ctx, self.tabs, staff_button=False)
        self.kiosk.languages.hide()  # the bar beside the tabs serves every tab
        self.kiosk.link_activated.connect(self._open_link)
        from ui.staff.panel import StaffPanel
        from ui.tester.panel import TesterPanel

        self.staff_stack = QStackedWidget(self.tabs)
        self.gate = StaffGate(ctx, self.staff_stack)
        self.staff = StaffPanel(ctx, self.staff_stack)
        self.staff_stack.addWidget(self.gate)
        self.staff_stack.addWidget(self.staff)
        self.tester = TesterPanel(ctx, self.tabs)
        self.tabs.addTab(self.kiosk, "")
        self.tabs.addTab(self.staff_stack, "")
        self.tabs.addTab(self.tester, "")
        self.languages = LanguageBar(ctx.language, self.tabs)
        self.languages.setObjectName("language-bar")
        self.tabs.setCornerWidget(self.languages, Qt.Corner.TopRightCorner)
        self.setCentralWidget(self.tabs)
        self.gate.unlocked.connect(self._staff_unlocked)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.resize(1280, 800)
        self.retranslate()

    def _tab_changed(self, index: int) -> None:
        # one mode at a time reads cards: the Card tab only while it is shown
        self.kiosk.set_active(self.tabs.widget(index) is self.kiosk)
        if self.tabs.widget(index) is not self.staff_stack:
            self.staff.stop()
        if self.tabs.widget(index) is self.staff_stack and \
                self.staff_stack.currentWidget() is self.gate:
            self.gate.update_mode()

    def _staff_unlocked(self) -> None:
        self.staff_stack.setCurrentWidget(self.staff)
        self.staff.refresh()

    def show_tab(self, name: str) -> None:
        widget = {"card": self.kiosk, "staff": self.staff_stack, "tester": self.tester}[name]
        self.tabs.setCurrentWidget(widget)

    def _open_link(self, url: str) -> None:
        if url.startswith(("https://", "http://")):
            from PySide6.QtCore import QUrl

            QDesktopServices.openUrl(QUrl(url))

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        self.closed.emit()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Card services touch point"))
        self.tabs.setTabText(0, self.tr("Card"))
        self.tabs.setTabText(1, self.tr("Staff"))
        self.tabs.setTabText(2, self.tr("Tester"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
