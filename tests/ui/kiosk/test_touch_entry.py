"""Issue 18 point 5: text entry on a touch screen, through the real kiosk, backend and
virtual card: the on-screen keyboard comes with a text field's focus and types into it;
an empty required field or a value in the wrong format is refused beside the field,
before anything is confirmed."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.description import Field
from tests.ui.conftest import run
from tests.ui.helpers import (
    SECRET,
    ask_install,
    shown_kiosk,
    start_with_demo_card,
    tap,
    wait_result,
)
from ui.kiosk.view import KioskView


@pytest.fixture
def kiosk(make_ctx: Any, qtbot: Any) -> tuple[Any, KioskView]:
    ctx = make_ctx()
    view = shown_kiosk(qtbot, ctx)
    return ctx, view


def _ask_install(qtbot: Any, view: KioskView) -> None:
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view)


def test_keyboard_types_into_the_field_and_empty_is_refused(kiosk: Any, qtbot: Any) -> None:
    ctx, view = kiosk
    kb = view.keyboard
    assert not kb.isVisible()  # no text field has the focus on the attract screen
    _ask_install(qtbot, view)
    svc = view.service
    field = svc.form.input("nickname")
    qtbot.waitUntil(kb.isVisible)  # the first field has the focus: the keyboard is there
    assert kb.target is field

    # confirm with the required field empty: refused beside the field, nothing delivered
    tap(qtbot, svc.confirm_button)
    qtbot.waitUntil(lambda: svc.form.problem_text("nickname") == "Please fill this in.")
    error = svc.form.findChild(type(svc.title), "field-nickname-error")
    assert error is not None and error.isVisible()
    assert svc.stack.currentWidget() is svc.ask_page and not view.delivering
    assert field.hasFocus() and kb.isVisible()
    cin = view.ident.cin_hex

    # type on the on-screen keyboard: shift, letters, a digit, space, backspace
    for name in ("key-shift", "key-k", "key-e", "key-y", "key-space", "key-7", "key-8",
                 "key-backspace"):
        tap(qtbot, kb.findChild(type(kb.done_button), name))
    assert field.text() == "Key 7"
    assert not error.isVisible()  # typing clears the complaint
    assert field.hasFocus()  # the keys never took the focus

    # German: its own letters, translated chrome
    ctx.language.set("de")
    qtbot.waitUntil(lambda: "key-ü" in {b.objectName() for b in kb.extra})
    qtbot.waitUntil(lambda: kb.space_button.text() == "Leertaste")
    tap(qtbot, kb.keys["ü"])
    assert field.text() == "Key 7ü"
    ctx.language.set("en")

    tap(qtbot, svc.confirm_button)
    qtbot.waitUntil(lambda: not kb.isVisible())  # the focus left the text field
    wait_result(qtbot, view)
    assert view.last_result is not None and view.last_result.success
    states = run(qtbot, ctx.client_now().device_apps(cin))
    assert states[SECRET] == "Installed"


def test_done_hides_the_keyboard_and_the_desktop_has_none(kiosk: Any, make_ctx: Any,
                                                          qtbot: Any) -> None:
    _ctx, view = kiosk
    _ask_install(qtbot, view)
    qtbot.waitUntil(view.keyboard.isVisible)
    tap(qtbot, view.keyboard.done_button)
    assert not view.keyboard.isVisible()
    desktop = KioskView(make_ctx(kiosk=False))
    qtbot.addWidget(desktop)
    assert not hasattr(desktop, "keyboard") or desktop.keyboard is None


def test_the_form_checks_format_beside_the_field(kiosk: Any, qtbot: Any) -> None:
    """A field's own format (pattern, lengths), in the real form on the kiosk's page."""
    _ctx, view = kiosk
    _ask_install(qtbot, view)
    form = view.service.form
    code = Field.from_json({"id": "code", "type": "edit", "label": "Code",
                            "pattern": "[0-9]{6,12}"})
    note = Field.from_json({"id": "note", "type": "edit", "label": "Note", "required": False,
                            "maxLength": 3})
    form.build((code, note), "en")
    qtbot.waitUntil(form.input("note").isVisible)
    form.input("code").setText("12ab")
    form.input("note").setText("toolong")
    assert not form.check()
    assert form.problem_text("code") == "This is not in the form asked for."
    assert form.problem_text("note") == "This is too long."
    assert view.window().focusWidget() is form.input("code")  # the first problem has focus
    form.input("code").setText("123456")
    form.input("note").setText("")  # not required: empty is fine
    assert form.check()
    assert form.problem_text("code") == "" and form.problem_text("note") == ""


def test_a_payment_card_typed_on_the_keyboard(kiosk: Any, qtbot: Any) -> None:
    """The paymentcard type's own format (app/paymentcard.py) through the keyboard's keys:
    digits and the expiry's slash; a wrong check digit is said under the inputs."""
    _ctx, view = kiosk
    _ask_install(qtbot, view)
    form, kb = view.service.form, view.keyboard
    form.build((Field.from_json({"id": "card", "type": "paymentcard", "label": "Card"}),),
               "en")
    card = form.input("card")
    qtbot.waitUntil(card.isVisible)

    def type_into(edit: Any, text: str) -> None:
        qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: kb.target is edit)
        for ch in text:
            tap(qtbot, kb.keys[ch])

    type_into(card.number, "4111111111111112")  # Luhn says no
    type_into(card.expiry, "12/39")
    assert card.expiry.text() == "12/39"
    assert not form.check()
    assert card.error.text() == "The card number is not valid."
    type_into(card.number, "")
    card.number.end(False)  # the cursor after the last digit, wherever the tap put it
    tap(qtbot, kb.backspace_button)
    tap(qtbot, kb.keys["1"])
    assert card.number.text() == "4111111111111111"
    assert form.check() and not card.error.isVisible()
