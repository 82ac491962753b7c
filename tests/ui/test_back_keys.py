"""Issue 18 point 11: Esc/Backspace go one step back on the Staff and Tester screens too,
through the real desktop window (real backend over HTTP, the virtual card) and the kiosk's
staff mode; Backspace in a text field deletes a character and goes nowhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.pinstore import PinStore
from tests.ui.helpers import SECRET, shown, tap
from tests.ui.interrupt.test_staff_lock import PIN, _staff_via_pin
from ui.windows import DesktopWindow, KioskWindow

WAIT = 20_000


def _pins(tmp_path: Path) -> PinStore:
    pins = PinStore(tmp_path, use_keyring=False)
    pins.set_pin(PIN)
    return pins


def _desktop(make_ctx: Any, qtbot: Any, tmp_path: Path) -> DesktopWindow:
    """The desktop window, Staff and Tester unlocked with the staff PIN."""
    ctx = make_ctx(virtual_present=True, kiosk=False, pins=_pins(tmp_path))
    window = shown(qtbot, DesktopWindow(ctx), None)
    window.activateWindow()
    window.show_tab("staff")
    qtbot.waitUntil(window.gate.pinpad.hasFocus, timeout=3000)
    qtbot.keyClicks(window.gate.pinpad, PIN)
    qtbot.keyClick(window.gate.pinpad, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.unlocked, timeout=5000)
    return window


def _backspace_deletes(qtbot: Any, edit: QLineEdit, typed: str = "abc") -> None:
    edit.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClicks(edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.text().endswith(typed[:-1])


def _run_tester(qtbot: Any, tester: Any, service: str) -> None:
    tester.picker.select(SECRET, service)
    tap(qtbot, tester.run_button)


def test_tester_steps_back_from_the_fields_asked_and_from_an_older_run(
        make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    window = _desktop(make_ctx, qtbot, tmp_path)
    window.show_tab("tester")
    tester = window.tester
    qtbot.waitUntil(lambda: tester.picker.app_combo.count() >= 2, timeout=10_000)

    # the fields a run asks for (a dialog-like page): Backspace edits, Esc cancels it
    _run_tester(qtbot, tester, "install")
    qtbot.waitUntil(tester.fields_send.isVisible, timeout=WAIT)
    nickname = tester.fields.input("nickname")
    assert isinstance(nickname, QLineEdit)
    _backspace_deletes(qtbot, nickname)
    assert nickname.text() == "ab" and tester.fields_send.isVisible()
    assert tester.runner is not None  # still asking: Backspace went nowhere
    qtbot.keyClick(nickname, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: tester.runner is None, timeout=WAIT)
    assert not tester.fields_box.isVisible()
    assert tester.result is None or not tester.result.success
    cancelled = tester.runs.runs[-1]

    # a second run, completed
    _run_tester(qtbot, tester, "install")
    qtbot.waitUntil(tester.fields_send.isVisible, timeout=WAIT)
    qtbot.keyClicks(tester.fields.input("nickname"), "tester")
    tap(qtbot, tester.fields_send)
    qtbot.waitUntil(lambda: tester.runner is None, timeout=WAIT)
    assert tester.result is not None
    assert tester.result.success, tester.result.error

    # the latest run shown: nothing to go back to, Esc leaves the trace where it is
    tester.table.setFocus()
    qtbot.keyClick(tester.table, Qt.Key.Key_Escape)
    assert tester.tabs.currentIndex() == 0

    # an older run picked in the Runs tab is a sub-view: Esc and Backspace go back to the list
    tester.tabs.setCurrentWidget(tester.runs_page)
    for key, focus in ((Qt.Key.Key_Escape, tester.table), (Qt.Key.Key_Backspace, tester.table),
                       (Qt.Key.Key_Escape, tester.filter_edit)):
        tester.runs_page.table.selectRow(0)
        tap(qtbot, tester.runs_page.show_button)
        assert tester.tabs.currentIndex() == 0 and tester.shown is cancelled
        if focus is tester.filter_edit:  # a text field keeps its Backspace
            _backspace_deletes(qtbot, tester.filter_edit, "9000")
            assert tester.tabs.currentIndex() == 0
        focus.setFocus()
        qtbot.keyClick(focus, key)
        assert tester.tabs.currentWidget() is tester.runs_page, key

    # the user actions a service asks for: Esc is their Cancel
    _run_tester(qtbot, tester, "support")
    qtbot.waitUntil(tester.user_actions.isVisible, timeout=WAIT)
    qtbot.keyClick(tester.user_actions, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: tester.runner is None, timeout=WAIT)
    assert tester.result is not None and not tester.result.success
    assert not tester.user_actions.isVisible()

    # the Staff tab: the same for its user actions, per card
    window.show_tab("staff")
    staff = window.staff
    qtbot.waitUntil(lambda: staff.app_combo.count() >= 2, timeout=10_000)
    staff.select(SECRET, "support")
    qtbot.waitUntil(lambda: staff.service_id == "support", timeout=10_000)
    tap(qtbot, staff.start_button)
    qtbot.waitUntil(staff.user_actions.isVisible, timeout=WAIT)
    qtbot.keyClick(staff.user_actions.done_button, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: staff.table.rowCount() == 1, timeout=WAIT)
    assert staff.log.rows[0].result != "success"
    assert staff.running  # a key never stops the run: Stop does
    tap(qtbot, staff.stop_button)


def test_kiosk_staff_mode_goes_back_to_the_kiosk_on_esc(
        make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    window = shown(qtbot, KioskWindow(make_ctx(pins=_pins(tmp_path))))
    _staff_via_pin(qtbot, window)
    staff = window.staff
    qtbot.waitUntil(lambda: staff.app_combo.count() >= 2, timeout=10_000)
    staff.select(SECRET, "install")
    qtbot.waitUntil(lambda: "nickname" in {f.id for f in staff.fields.fields}, timeout=10_000)
    nickname = staff.fields.input("nickname")
    assert isinstance(nickname, QLineEdit)
    qtbot.waitUntil(nickname.isVisible)
    _backspace_deletes(qtbot, nickname)
    assert nickname.text() == "ab" and window.stack.currentWidget() is staff
    qtbot.keyClick(nickname, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.kiosk, timeout=3000)
    assert window.kiosk.screen_name == "attract"
