"""The two top-level windows: the full-screen kiosk, and the desktop window with three tabs.

Kiosk: the kiosk view fills the screen; closing is refused until the staff
PIN was entered and "Exit kiosk mode" chosen; staff mode replaces the view
until "Back to the kiosk". Desktop: Card (the same flow in a window),
Staff (behind the PIN) and Tester, with the language switcher beside the tabs.

This module is on the kiosk's path to its first frame: what only the desktop
window or staff mode needs is imported when they are made, and the kiosk
window stays off PySide6's `Qt` namespace (ui/kiosk/attract.py says why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QCloseEvent, QContextMenuEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from ui import theme
from ui.kiosk.view import KioskView
from ui.widgets.langbar import LanguageBar

if TYPE_CHECKING:
    from ui.context import UiContext
    from ui.staff.lock import IdleLock
    from ui.staff.panel import StaffPanel
    from ui.widgets.touchkeyboard import TouchKeyboard


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
        self.staff_keyboard: TouchKeyboard | None = None  # made with it
        self.stack.addWidget(self.kiosk)
        self.setCentralWidget(self.stack)
        self.kiosk.exit_requested.connect(self.unlock_and_close)
        self.kiosk.staff_requested.connect(self.show_staff)
        self._lock: IdleLock | None = None
        self.kiosk.staff_button.clicked.connect(lambda: self.lock.arm())  # the PIN pad too
        self.retranslate()

    @property
    def lock(self) -> IdleLock:
        """Staff mode (and the PIN pad and staff menu) end after the staff idle time."""
        if self._lock is None:
            from ui.staff.lock import IdleLock

            self._lock = IdleLock(self.ctx.settings.staff_idle_s, self._staff_busy, self)
            self._lock.locked.connect(self._staff_locked)
            self.ctx.hub.card_changed.connect(self._lock.poke)
        return self._lock

    def _staff_busy(self) -> bool:
        return self._staff is not None and self._staff.waiting.runner is not None

    def _staff_locked(self) -> None:
        if self._staff is not None and self.stack.currentWidget() is self._staff:
            self.show_kiosk()  # back to the attract screen; the PIN is asked again
        else:
            for name in ("pin_overlay", "menu_overlay"):  # made once the kiosk is built
                overlay = getattr(self.kiosk, name, None)
                if overlay is not None:
                    overlay.dismiss()

    @property
    def staff(self) -> StaffPanel:
        if self._staff is None:
            from ui.backsteps import staff_keys
            from ui.staff.lock import TOUCH_QSS
            from ui.staff.panel import StaffPanel
            from ui.widgets.touchkeyboard import add_keyboard

            self._staff = StaffPanel(self.ctx, self.stack, back_button=True)
            self._staff.setStyleSheet(theme.desktop_qss(self.ctx.access.look()) + TOUCH_QSS)
            # a touch screen: the staff's text fields type on the kiosk's own keyboard
            self.staff_keyboard = add_keyboard(self._staff, self._staff, self.ctx.language)
            self._keyboard_language(self.ctx.language.code)  # and its file dialogs (the CSV)
            self.ctx.language.changed.connect(self._keyboard_language)
            self.stack.addWidget(self._staff)
            self._staff.back_requested.connect(self.show_kiosk)
            staff_keys(self._staff, self._staff.back_requested.emit)  # Esc: back to the kiosk
        return self._staff

    def _keyboard_language(self, code: str) -> None:
        from ui.widgets.build import TOUCH_KEYBOARD

        self.setProperty(TOUCH_KEYBOARD, code)

    def show_staff(self) -> None:
        self.kiosk.set_active(False)
        self.staff.refresh()
        self.stack.setCurrentWidget(self.staff)
        self.lock.arm()

    def show_kiosk(self) -> None:
        if self._lock is not None:
            self._lock.disarm()
        if self._staff is not None:
            self._staff.stop()
        self.stack.setCurrentWidget(self.kiosk)
        self.kiosk.set_active(True)
        self.kiosk.finish()

    def unlock_and_close(self) -> None:
        self.unlocked = True
        self.close()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        event.accept()  # no menu of the window's own (= Qt.ContextMenuPolicy.NoContextMenu)

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


class DesktopWindow(QMainWindow):
    """Staff and Tester are behind the staff PIN when one is set (one unlock opens both) and
    lock again after the staff idle time. Leaving a tab while its delivery runs is refused:
    one reader serves one mode at a time, and a delivery cut off by leaving would leave
    the card half-done with nobody seeing its result (issue 18, point 6)."""

    closed = Signal()

    def __init__(self, ctx: UiContext) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QTabWidget

        from ui.backsteps import staff_keys, tester_keys
        from ui.staff.gate import StaffGate
        from ui.staff.lock import IdleLock
        from ui.staff.panel import StaffPanel
        from ui.tester.panel import TesterPanel

        super().__init__()
        self.ctx = ctx
        self.setObjectName("desktop-window")
        self.setStyleSheet(theme.desktop_qss())
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mode-tabs")
        self.kiosk = KioskView(ctx, self.tabs, staff_button=False)
        self.kiosk.languages.hide()  # the bar beside the tabs serves every tab
        self.kiosk.link_activated.connect(self._open_link)
        self.staff_stack = QStackedWidget(self.tabs)
        self.gate = StaffGate(ctx, self.staff_stack)
        self.staff = StaffPanel(ctx, self.staff_stack)
        self.staff_stack.addWidget(self.gate)
        self.staff_stack.addWidget(self.staff)
        self.tester_stack = QStackedWidget(self.tabs)
        self.tester_gate = StaffGate(ctx, self.tester_stack, tester=True)
        self.tester = TesterPanel(ctx, self.tester_stack)
        self.tester_stack.addWidget(self.tester_gate)
        self.tester_stack.addWidget(self.tester)
        staff_keys(self.staff)  # Esc/Backspace one step back, as on the Card tab
        tester_keys(self.tester)
        self.tabs.addTab(self.kiosk, "")
        self.tabs.addTab(self.staff_stack, "")
        self.tabs.addTab(self.tester_stack, "")
        self.languages = LanguageBar(ctx.language, self.tabs)
        self.languages.setObjectName("language-bar")
        self.tabs.setCornerWidget(self.languages, Qt.Corner.TopRightCorner)
        self.setCentralWidget(self.tabs)
        self.unlocked = False
        self.lock = IdleLock(ctx.settings.staff_idle_s, self.busy, self)
        self.lock.locked.connect(self.lock_modes)
        ctx.hub.card_changed.connect(self.lock.poke)  # a card tapped: staff are at work
        self._shown = 0  # the tab shown, to go back to when leaving is refused
        self.gate.unlocked.connect(self._staff_unlocked)
        self.tester_gate.unlocked.connect(self._staff_unlocked)
        self.tabs.currentChanged.connect(self._tab_changed)
        ctx.access.changed.connect(self.restyle)
        self.resize(1280, 800)
        self.retranslate()
        self.tester_stack.setCurrentWidget(self.tester_gate if self._pin_set() else self.tester)

    def _pin_set(self) -> bool:
        return self.ctx.pins.is_set()

    def running_in(self, widget: object) -> bool:
        """A delivery (or a staff run) goes on in that tab."""
        return (widget is self.kiosk and self.kiosk.delivering) or \
            (widget is self.tester_stack and self.tester.runner is not None) or \
            (widget is self.staff_stack and self.staff.running)

    def busy(self) -> bool:
        return any(self.running_in(self.tabs.widget(i)) for i in range(self.tabs.count()))

    def restyle(self) -> None:
        """Large text / high contrast (toggled on the Card tab's attract screen)."""
        qss = theme.desktop_qss(self.ctx.access.look())
        for widget in (self, self.staff, self.tester):
            widget.setStyleSheet(qss)

    def _tab_changed(self, index: int) -> None:
        previous = self.tabs.widget(self._shown)
        if index != self._shown and self.running_in(previous):
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(self._shown)
            self.tabs.blockSignals(False)
            self.statusBar().showMessage(self.tr(
                "A delivery is running here: wait for its result or cancel it before "
                "changing tabs."), 10_000)
            return
        self._shown = index
        widget = self.tabs.widget(index)
        # one mode at a time reads cards: the Card tab only while it is shown
        self.kiosk.set_active(widget is self.kiosk)
        if widget is not self.staff_stack:
            self.staff.stop()
        if not self.unlocked:
            self.gate.update_mode()
            self.tester_stack.setCurrentWidget(self.tester_gate if self._pin_set()
                                               else self.tester)
            if self.tester_stack.currentWidget() is self.tester_gate:
                self.tester_gate.update_mode()

    def _staff_unlocked(self) -> None:
        self.unlocked = True
        self.staff_stack.setCurrentWidget(self.staff)
        self.tester_stack.setCurrentWidget(self.tester)
        self.staff.refresh()
        self.lock.arm()

    def lock_modes(self) -> None:
        """Back behind the PIN (the idle time passed); nothing to lock without a PIN."""
        self.lock.disarm()
        if not self._pin_set():
            return
        self.unlocked = False
        self.staff.stop()
        self.staff_stack.setCurrentWidget(self.gate)
        self.tester_stack.setCurrentWidget(self.tester_gate)
        self.gate.update_mode()
        self.tester_gate.update_mode()

    def show_tab(self, name: str) -> None:
        widget = {"card": self.kiosk, "staff": self.staff_stack,
                  "tester": self.tester_stack}[name]
        self.tabs.setCurrentWidget(widget)

    def current_tab(self) -> str:
        """The name show_tab takes for the tab shown now (ui/prefs.py remembers it)."""
        widget = self.tabs.currentWidget()
        return "staff" if widget is self.staff_stack else \
            "tester" if widget is self.tester_stack else "card"

    def _open_link(self, url: str) -> None:
        if url.startswith(("https://", "http://")):
            from PySide6.QtCore import QUrl
            from PySide6.QtGui import QDesktopServices

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
