"""Checking the staff PIN typed on a pad, with what the pad should say.

Says that no PIN is set (and how to set one) rather than "Wrong PIN."; a lockout
after too many tries counts down on the pad. scrypt runs in an executor, never
on the Qt thread. Shared by the kiosk's PIN overlay and the desktop's gates.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QCoreApplication

from app.pinstore import PinStore
from ui.widgets.pinpad import PinPad

translate = QCoreApplication.translate


def no_pin_text() -> str:
    return translate("PinCheck", "No staff PIN is set. Set one with: "
                                 "touchpoint --set-staff-pin")


def wait_text(seconds: int) -> str:
    return translate("PinCheck", "Too many wrong PINs. Wait %n second(s).", "", seconds)


async def check_pin(pad: PinPad, pins: PinStore, pin: str) -> bool:
    """True for the right PIN; otherwise the pad says why not."""
    loop = asyncio.get_running_loop()
    if not await loop.run_in_executor(None, pins.is_set):
        pad.set_message(no_pin_text())
        return False
    if pins.locked_for() > 0:
        pad.count_down(pins.locked_for(), wait_text)
        return False
    if await loop.run_in_executor(None, pins.verify, pin):
        pad.set_message("")
        return True
    wait = pins.locked_for()
    if wait > 0:
        pad.count_down(wait, wait_text)
    else:
        pad.set_message(translate("PinCheck", "Wrong PIN."))
    return False
