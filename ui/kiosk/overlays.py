"""The kiosk's overlays: "Still there?" before the idle reset, the staff PIN and the staff menu.

The staff button asks for the staff PIN (checked off the Qt thread: scrypt
is slow on purpose) before the menu offers staff mode or leaving the kiosk.
Built on the kiosk view after its first frame; their texts are in the
view's translation context ("KioskView").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QPushButton

from ui.widgets.overlay import Overlay
from ui.widgets.pincheck import check_pin, no_pin_text, wait_text
from ui.widgets.pinpad import PinPad

if TYPE_CHECKING:
    from ui.kiosk.view import KioskView

translate = QCoreApplication.translate  # in the view's context, where its .ts entries are


class KioskOverlays:
    """Makes the overlays on `view` (as its attributes, where tests and the view find them)."""

    def __init__(self, view: KioskView) -> None:
        self.view = view
        view.idle_overlay = Overlay(view, "idle")
        view.idle_title = QLabel()
        view.idle_title.setProperty("role", "title")
        view.idle_text = QLabel()
        view.idle_text.setObjectName("idle-countdown")
        view.idle_text.setWordWrap(False)  # one line: the panel is as wide as the longest text
        view.idle_button = QPushButton()
        view.idle_button.setObjectName("still-here")
        view.idle_button.setProperty("kind", "primary")
        view.idle_button.clicked.connect(self.still_here)
        for part in (view.idle_title, view.idle_text, view.idle_button):
            view.idle_overlay.body.addWidget(part)

        view.pin_overlay = Overlay(view, "pin")
        view.pinpad = PinPad()
        view.pinpad.setObjectName("pinpad")
        view.pin_overlay.body.addWidget(view.pinpad)
        view.pinpad.submitted.connect(self._pin_entered)
        view.pinpad.cancelled.connect(view.pin_overlay.dismiss)

        view.menu_overlay = Overlay(view, "staff-menu")
        view.menu_title = QLabel()
        view.menu_title.setProperty("role", "title")
        view.menu_staff = QPushButton()
        view.menu_staff.setObjectName("menu-staff")
        view.menu_exit = QPushButton()
        view.menu_exit.setObjectName("menu-exit")
        view.menu_exit.setProperty("kind", "danger")
        view.menu_close = QPushButton()
        view.menu_close.setObjectName("menu-close")
        view.menu_staff.clicked.connect(lambda: view.menu_overlay.resolve("staff"))
        view.menu_exit.clicked.connect(lambda: view.menu_overlay.resolve("exit"))
        view.menu_close.clicked.connect(view.menu_overlay.dismiss)
        for item in (view.menu_title, view.menu_staff, view.menu_exit, view.menu_close):
            view.menu_overlay.body.addWidget(item)

        view.idle.warn.connect(self._idle_warn)
        view.idle.tick.connect(self._idle_tick)
        view.idle.resumed.connect(view.idle_overlay.dismiss)

    def dismiss_all(self) -> None:
        view = self.view
        for overlay in (view.idle_overlay, view.pin_overlay, view.menu_overlay):
            overlay.dismiss()

    # -- idle -----------------------------------------------------------------------------
    def _idle_warn(self, left: int) -> None:
        self._idle_tick(left)
        self.view.idle_overlay.open()
        self.view.idle_button.setFocus()

    def _idle_tick(self, left: int) -> None:
        self.view.idle_text.setText(
            translate("KioskView", "The screen will start over in %n second(s).", "", left))

    def still_here(self) -> None:
        self.view.idle_overlay.dismiss()
        self.view.idle.poke()

    # -- staff ----------------------------------------------------------------------------
    def ask_pin(self) -> None:
        view = self.view
        view.pinpad.clear()
        pins = view.ctx.pins
        view.pinpad.set_message("" if pins.is_set() else no_pin_text())
        if pins.locked_for() > 0:  # still locked out: the countdown goes on
            view.pinpad.count_down(pins.locked_for(), wait_text)
        view.pin_overlay.open()
        view.pinpad.setFocus()

    def _pin_entered(self, pin: str) -> None:
        self.view.tasks.spawn(self._check_pin(pin))

    async def _check_pin(self, pin: str) -> None:
        view = self.view
        if not await check_pin(view.pinpad, view.ctx.pins, pin):
            return
        view.pin_overlay.dismiss()
        choice = await view.menu_overlay.ask()
        if choice == "staff":
            view.staff_requested.emit()
        elif choice == "exit":
            view.exit_requested.emit()

    # -- language -------------------------------------------------------------------------
    def retranslate(self) -> None:
        view = self.view
        view.idle_title.setText(translate("KioskView", "Still there?"))
        view.idle_button.setText(translate("KioskView", "I'm still here"))
        view.menu_title.setText(translate("KioskView", "Staff"))
        view.menu_staff.setText(translate("KioskView", "Personalise cards"))
        view.menu_exit.setText(translate("KioskView", "Exit kiosk mode"))
        view.menu_close.setText(translate("KioskView", "Back to the kiosk"))
        for button, hint in (
                (view.idle_button, translate("KioskView", "Keeps your session open")),
                (view.menu_staff, translate("KioskView", "Delivers one service to a stack of "
                                                         "cards, one after the other")),
                (view.menu_exit, translate("KioskView", "Closes the kiosk program")),
                (view.menu_close, translate("KioskView", "Closes this menu"))):
            button.setAccessibleDescription(hint)
        if view.idle.warning:
            self._idle_tick(view.idle.left())
