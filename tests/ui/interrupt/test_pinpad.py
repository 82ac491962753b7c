"""Issue 18 point 7: the PIN pad says when no PIN is set (and how to set one), its keys do
not move when a message appears, and the lockout counts down."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt

from app.pinstore import MAX_TRIES, PinStore
from tests.ui.helpers import shown_kiosk, tap
from ui.kiosk.view import KioskView


def _kiosk(make_ctx: Any, qtbot: Any, pins: PinStore) -> KioskView:
    ctx = make_ctx(pins=pins)
    return shown_kiosk(qtbot, ctx)


def _enter(qtbot: Any, view: KioskView, pin: str) -> None:
    for d in pin:
        tap(qtbot, view.pinpad.digits[d])
    tap(qtbot, view.pinpad.ok_button)


def _keys(view: KioskView) -> dict[str, QPoint]:
    pad = view.pinpad
    keys = {**pad.digits, "ok": pad.ok_button, "clear": pad.clear_button}
    return {k: b.mapTo(view, QPoint(0, 0)) for k, b in keys.items()}


def test_no_pin_set_says_how_to_set_one(make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    view = _kiosk(make_ctx, qtbot, PinStore(tmp_path, use_keyring=False))
    tap(qtbot, view.staff_button)
    qtbot.waitUntil(view.pin_overlay.isVisible)
    message = view.pinpad.message
    assert "touchpoint --set-staff-pin" in message.text()
    _enter(qtbot, view, "1234")
    qtbot.wait(300)  # the check runs off the Qt thread
    assert "No staff PIN is set" in message.text()
    assert "touchpoint --set-staff-pin" in message.text()
    assert "Wrong" not in message.text()


def test_keys_stay_put_and_the_lockout_counts_down(make_ctx: Any, qtbot: Any,
                                                   tmp_path: Path) -> None:
    pins = PinStore(tmp_path, use_keyring=False)
    pins.set_pin("2468")
    view = _kiosk(make_ctx, qtbot, pins)
    tap(qtbot, view.staff_button)
    qtbot.waitUntil(view.pin_overlay.isVisible)
    qtbot.wait(50)
    before = _keys(view)
    message = view.pinpad.message
    _enter(qtbot, view, "1111")
    qtbot.waitUntil(lambda: message.text() == "Wrong PIN.", timeout=5000)
    assert _keys(view) == before
    for _ in range(MAX_TRIES - 1):
        _enter(qtbot, view, "1111")
    qtbot.waitUntil(lambda: "Wait 30 seconds" in message.text(), timeout=10_000)
    assert _keys(view) == before  # a longer message, the same place for every key
    qtbot.waitUntil(lambda: "Wait 29 seconds" in message.text(), timeout=3000)
    _enter(qtbot, view, "2468")  # even the right PIN is refused while locked out
    qtbot.wait(200)
    assert "Wait" in message.text() and view.pin_overlay.isVisible()
    assert not view.menu_overlay.isVisible()
    assert view.pinpad.counting
    assert _keys(view) == before
    qtbot.keyClick(view.pinpad, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.pin_overlay.isVisible())
    tap(qtbot, view.staff_button)  # opened again while locked out: the countdown goes on
    qtbot.waitUntil(view.pin_overlay.isVisible)
    assert view.pinpad.counting and "Wait 2" in message.text()
