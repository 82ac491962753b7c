"""Issue 18 point 3: staff mode locks after the staff idle time (short here: 0.6 s) in the
kiosk and on the desktop; Staff and Tester are behind the same PIN; the kiosk's staff
screen is touch-sized. Point 7's keyboard: typed digits reach the desktop gate's pad
without a click first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton

from app.pinstore import PinStore
from tests.ui.helpers import shown, tap
from ui import theme
from ui.windows import DesktopWindow, KioskWindow

PIN = "2468"


def _pins(tmp_path: Path, pin: str | None = PIN) -> PinStore:
    pins = PinStore(tmp_path, use_keyring=False)
    if pin:
        pins.set_pin(pin)
    return pins


def _staff_via_pin(qtbot: Any, window: KioskWindow) -> None:
    view = window.kiosk
    tap(qtbot, view.staff_button)
    qtbot.waitUntil(view.pin_overlay.isVisible)
    qtbot.keyClicks(view.pinpad, PIN)
    qtbot.keyClick(view.pinpad, Qt.Key.Key_Return)
    qtbot.waitUntil(view.menu_overlay.isVisible, timeout=5000)
    tap(qtbot, view.menu_staff)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window._staff, timeout=5000)


def test_kiosk_staff_mode_locks_after_idle_and_is_touch_sized(
        make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    ctx = make_ctx(pins=_pins(tmp_path))
    ctx.settings.staff_idle_s = 0.6
    window = shown(qtbot, KioskWindow(ctx))
    _staff_via_pin(qtbot, window)
    staff = window.staff
    controls = [w for kind in (QPushButton, QComboBox) for w in staff.findChildren(kind)
                if w.isVisible()]
    assert controls
    small = [w.objectName() or w.text() for w in controls if w.height() < theme.TOUCH]
    assert not small, f"smaller than a finger: {small}"
    # input keeps it open...
    for _ in range(3):
        qtbot.wait(300)
        qtbot.mouseClick(staff.status, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is staff
    # ...none locks it: back to the attract screen, the PIN asked again
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.kiosk, timeout=3000)
    assert window.kiosk.screen_name == "attract"
    tap(qtbot, window.kiosk.staff_button)
    qtbot.waitUntil(window.kiosk.pin_overlay.isVisible)
    # the PIN pad left open on the attract screen goes away too
    qtbot.waitUntil(lambda: not window.kiosk.pin_overlay.isVisible(), timeout=3000)


def _desktop(make_ctx: Any, qtbot: Any, pins: PinStore) -> DesktopWindow:
    ctx = make_ctx(pins=pins, kiosk=False, virtual_present=True)
    ctx.settings.staff_idle_s = 0.8
    window = shown(qtbot, DesktopWindow(ctx), None)
    window.activateWindow()
    return window


def test_desktop_staff_and_tester_behind_one_pin_and_lock_again(
        make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    window = _desktop(make_ctx, qtbot, _pins(tmp_path))
    window.show_tab("tester")
    assert window.tester_stack.currentWidget() is window.tester_gate
    assert not window.tester.isVisible()
    window.show_tab("staff")
    assert window.staff_stack.currentWidget() is window.gate
    # typed digits go to the pad with no click first
    qtbot.waitUntil(window.gate.pinpad.hasFocus, timeout=3000)
    focus = QApplication.focusWidget()
    assert focus is window.gate.pinpad
    qtbot.keyClicks(focus, PIN)
    qtbot.keyClick(focus, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.staff_stack.currentWidget() is window.staff, timeout=5000)
    assert window.tester_stack.currentWidget() is window.tester  # the same PIN opens both
    window.show_tab("tester")
    assert window.tester.isVisible()
    qtbot.waitUntil(lambda: window.tester_stack.currentWidget() is window.tester_gate,
                    timeout=3000)
    assert window.staff_stack.currentWidget() is window.gate
    qtbot.waitUntil(window.tester_gate.pinpad.hasFocus, timeout=3000)


def test_desktop_without_a_pin_the_tester_is_open(make_ctx: Any, qtbot: Any,
                                                  tmp_path: Path) -> None:
    window = _desktop(make_ctx, qtbot, _pins(tmp_path, None))
    window.show_tab("tester")
    assert window.tester_stack.currentWidget() is window.tester
    assert window.tester.isVisible()
    window.lock_modes()  # nothing to lock without a PIN
    assert window.tester_stack.currentWidget() is window.tester


def test_the_staff_idle_time_is_configurable_default_two_minutes(qapp: Any) -> None:
    from ui.main import build_parser, make_context, wants_cli

    ctx = make_context(build_parser().parse_args(["--kiosk"]), None)
    assert ctx.settings.staff_idle_s == 120.0
    ctx = make_context(build_parser().parse_args(["--kiosk", "--staff-idle", "45"]), None)
    assert ctx.settings.staff_idle_s == 45.0
    assert not wants_cli(["--kiosk", "--staff-idle", "45"])  # a GUI option, not a command


def test_cards_tapped_hands_free_keep_staff_mode_open(make_ctx: Any, qtbot: Any,
                                                      tmp_path: Path) -> None:
    from tests.ui.conftest import run

    window = _desktop(make_ctx, qtbot, _pins(tmp_path))
    window.show_tab("staff")
    qtbot.waitUntil(window.gate.pinpad.hasFocus, timeout=3000)
    qtbot.keyClicks(window.gate.pinpad, PIN)
    qtbot.keyClick(window.gate.pinpad, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.unlocked, timeout=5000)
    hub = window.ctx.hub
    for _ in range(3):  # one card after the other, nobody touching the screen
        qtbot.wait(400)
        run(qtbot, hub.remove_virtual())
        run(qtbot, hub.new_virtual_card())
    assert window.unlocked
    qtbot.waitUntil(lambda: not window.unlocked, timeout=3000)


def test_the_card_grace_period_is_an_option_too(qapp: Any,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from ui.main import CARD_GRACE_ENV, build_parser, gui, make_context, wants_cli

    def grace(*argv: str) -> float:
        return make_context(build_parser().parse_args(["--kiosk", *argv]), None) \
            .settings.card_grace_s

    monkeypatch.delenv(CARD_GRACE_ENV, raising=False)
    assert grace() == 20.0
    assert grace("--card-grace", "7") == 7.0
    monkeypatch.setenv(CARD_GRACE_ENV, "9")
    assert grace() == 9.0
    assert grace("--card-grace", "0") == 0.0  # the option before the environment
    # a wait has an end, and a wrong value is named before any window opens
    for argv, env, named in ((["--card-grace", "-1"], "9", "--card-grace"),
                             (["--card-grace", "inf"], "9", "--card-grace"),
                             ([], "soon", f"${CARD_GRACE_ENV}"),
                             ([], "nan", f"${CARD_GRACE_ENV}")):
        monkeypatch.setenv(CARD_GRACE_ENV, env)
        with pytest.raises(SystemExit) as exit_:
            gui(["--kiosk", *argv])
        assert exit_.value.code == 2
        assert f"{named}: " in capsys.readouterr().err
    assert not wants_cli(["--kiosk", "--card-grace", "7"])  # a GUI option, not a command
