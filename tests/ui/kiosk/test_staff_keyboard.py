"""Issue 18 point 5/3: the kiosk's staff screens type on the kiosk's own touch keyboard.

In the kiosk (real backend over HTTP, the virtual card), staff mode is opened with the
PIN; every text field of the staff screen, tapped, brings the on-screen keyboard, and its
keys type into that field. A field that takes digits (a numeric code, a card number, a
CVV) gets the digit layout. The keys are touch-sized like the rest of the kiosk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateEdit, QDialogButtonBox, QFileDialog, QLineEdit, QPushButton

from app.description import Field
from app.pinstore import PinStore
from tests.ui.helpers import SECRET, shown, tap
from tests.ui.interrupt.test_staff_lock import PIN, _staff_via_pin
from ui import theme
from ui.widgets.touchkeyboard import TouchKeyboard
from ui.windows import KioskWindow


def _kiosk_staff(make_ctx: Any, qtbot: Any, tmp_path: Path) -> KioskWindow:
    pins = PinStore(tmp_path, use_keyring=False)
    pins.set_pin(PIN)
    window = shown(qtbot, KioskWindow(make_ctx(pins=pins)))
    _staff_via_pin(qtbot, window)
    return window


def _choose(qtbot: Any, window: KioskWindow, service: str, field: str) -> None:
    staff = window.staff
    qtbot.waitUntil(lambda: staff.app_combo.count() >= 2, timeout=10_000)
    staff.select(SECRET, service)
    qtbot.waitUntil(lambda: field in {f.id for f in staff.fields.fields}, timeout=10_000)


def _type(qtbot: Any, window: KioskWindow, edit: QLineEdit, keys: str) -> None:
    """A tap on the field, then the keyboard's keys (it shows; the field keeps the focus)."""
    kb = window.staff_keyboard
    assert kb is not None
    qtbot.waitUntil(edit.isVisible)
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kb.isVisible() and kb.target is edit, timeout=3000)
    for ch in keys:
        tap(qtbot, kb.space_button if ch == " " else kb.keys[ch])
    assert edit.hasFocus()


def _text_fields(window: KioskWindow) -> set[QLineEdit]:
    return {e for e in window.staff.findChildren(QLineEdit) if e.isVisible()}


def test_every_text_field_of_kiosk_staff_mode_types_on_the_touch_keyboard(
        make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    window = _kiosk_staff(make_ctx, qtbot, tmp_path)
    staff, kb = window.staff, window.staff_keyboard
    assert kb is not None and not kb.isVisible()  # no text field has the focus yet

    _choose(qtbot, window, "install", "nickname")
    nickname = staff.fields.input("nickname")
    assert isinstance(nickname, QLineEdit)
    _type(qtbot, window, nickname, "key 7")
    assert nickname.text() == "key 7"
    assert _text_fields(window) == {nickname}  # the only one shown: each one is tried
    assert not kb.digits and kb.keys["q"].isVisible() and kb.space_button.isVisible()
    tap(qtbot, kb.backspace_button)
    assert nickname.text() == "key "
    # touch-sized like the rest of the kiosk, and each key says what it does
    shown = [b for b in kb.findChildren(type(kb.done_button)) if b.isVisible()]
    assert all(b.height() >= theme.TOUCH and b.width() >= theme.TOUCH for b in shown)
    assert all(b.accessibleName() for b in shown)
    # the keyboard takes room from the staff screen: Start stays on screen above it
    start = staff.start_button.mapTo(staff, staff.start_button.rect().bottomLeft())
    assert start.y() <= kb.geometry().top()
    tap(qtbot, kb.done_button)
    assert not kb.isVisible() and nickname.text() == "key "

    # a code of digits: the digit layout
    _choose(qtbot, window, "restore", "code")
    code = staff.fields.input("code")
    assert isinstance(code, QLineEdit)
    _type(qtbot, window, code, "604182")
    assert code.text() == "604182"
    assert _text_fields(window) == {code}
    assert kb.digits and not kb.keys["q"].isVisible() and kb.keys["0"].isVisible()

    # a payment card: digits for the number and the CVV, the slash for the expiry
    _choose(qtbot, window, "add-card", "card")
    card: Any = staff.fields.input("card")
    _type(qtbot, window, card.number, "4111111111111111")
    assert kb.digits
    _type(qtbot, window, card.expiry, "12/39")
    _type(qtbot, window, card.cvv, "123")
    assert (card.number.text(), card.expiry.text(), card.cvv.text()) == (
        "4111111111111111", "12/39", "123")
    assert _text_fields(window) == {card.number, card.expiry, card.cvv}
    assert staff.fields.check()

    # a date (a service's "date" field): typed on the digit layout, section by section
    staff.fields.build((Field.from_json({"id": "born", "type": "date", "label": "Born"}),),
                       "en")
    born = staff.fields.input("born")
    assert isinstance(born, QDateEdit)
    qtbot.waitUntil(born.isVisible)
    qtbot.mouseClick(born, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kb.isVisible() and kb.target is born, timeout=3000)
    assert kb.digits
    for ch in "19870517":  # a full section goes on to the next one, as typed on any keyboard
        tap(qtbot, kb.keys[ch])
    assert staff.fields.values() == {"born": "1987-05-17"}

    # the focus leaves the text fields: the keyboard goes
    qtbot.mouseClick(staff.again, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not kb.isVisible(), timeout=3000)


def test_the_csv_file_dialog_of_kiosk_staff_mode_has_the_touch_keyboard(
        make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    """The file name of the per-card values is typed on the keyboard too."""
    folder = tmp_path / "stick"
    folder.mkdir()
    (folder / "cards.csv").write_text("nickname\nfirst\nsecond\n", encoding="utf-8")
    window = _kiosk_staff(make_ctx, qtbot, tmp_path)
    staff = window.staff
    _choose(qtbot, window, "install", "nickname")
    tap(qtbot, staff.csv_button)
    qtbot.waitUntil(lambda: staff.findChild(QFileDialog) is not None, timeout=3000)
    dialog = staff.findChild(QFileDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    dialog.setDirectory(str(folder))
    kb = dialog.findChild(TouchKeyboard)
    assert kb is not None
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name is not None
    qtbot.mouseClick(name, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kb.isVisible() and kb.target is name, timeout=3000)
    assert window.staff_keyboard is not None and not window.staff_keyboard.isVisible()
    for ch in "cards.csv":
        tap(qtbot, kb.keys[ch])
    assert name.text() == "cards.csv"
    shown = [b for b in kb.findChildren(QPushButton) if b.isVisible()]
    assert all(b.height() >= theme.TOUCH for b in shown)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
    tap(qtbot, open_button)
    qtbot.waitUntil(lambda: "2 card rows from" in staff.csv_label.text(), timeout=3000)
    assert str(folder / "cards.csv") in staff.csv_label.text()
