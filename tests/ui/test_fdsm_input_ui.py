"""Encrypted input, the paymentcard field and user actions in the kiosk, staff and tester
screens: real widgets (offscreen), the real bundled backend with the demo SP, the virtual card.

The shapes follow fidesmo/fdsm (ServiceDeliverySession.java processUIOperation and
processUserAction; CommandLineFormHandler.java askForField "paymentcard"): a card is
"PAN;MM/YY;CVV", checked before it is confirmed; an action is shown, then acknowledged.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.catalog import Action
from tests.ui.conftest import run
from tests.ui.helpers import (
    SECRET,
    ask_install,
    back_to_apps,
    entry,
    refreshed_tester,
    run_to_fields,
    shown_kiosk,
    staff_for_install,
    start_with_demo_card,
    tap,
    wait_ask,
    wait_result,
)
from ui.kiosk.view import KioskView
from ui.widgets.cardinput import CardInput

GOOD = "4556737586899855"
BAD = "4556737586899856"
CODE = "60418273"


def _type_card(qtbot: Any, card: CardInput, number: str, expiry: str = "09/39",
               cvv: str = "321") -> None:
    for edit, text in ((card.number, number), (card.expiry, expiry), (card.cvv, cvv)):
        edit.clear()
        qtbot.keyClicks(edit, text)


@pytest.fixture
def kiosk(make_ctx: Any, qtbot: Any) -> tuple[Any, KioskView]:
    ctx = make_ctx()
    view = shown_kiosk(qtbot, ctx)
    return ctx, view


def _install_by_tapping(qtbot: Any, view: KioskView) -> None:
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view, "k")
    tap(qtbot, view.service.confirm_button)
    wait_result(qtbot, view)
    assert view.last_result is not None and view.last_result.success
    back_to_apps(qtbot, view)


def test_kiosk_card_checked_then_sent_encrypted_and_actions_acknowledged(
        kiosk: Any, qtbot: Any) -> None:
    ctx, view = kiosk
    seen: list[Any] = []
    ctx.http.subscribe(seen.append)
    _install_by_tapping(qtbot, view)
    svc = view.service

    view.flow.start(entry(view, SECRET), Action("other", "add-card", "Add a card"))
    wait_ask(qtbot, view)  # asked during the session: the encrypted user-interaction
    card = svc.form.input("card")
    assert isinstance(card, CardInput)
    _type_card(qtbot, card, BAD)
    tap(qtbot, svc.confirm_button)
    assert svc.stack.currentWidget() is svc.ask_page  # not sent: said why
    assert card.error.isVisible() and card.error.text() == "The card number is not valid."
    _type_card(qtbot, card, GOOD)
    tap(qtbot, svc.confirm_button)
    wait_result(qtbot, view)
    assert view.last_result is not None and view.last_result.success, view.last_result.error
    back_to_apps(qtbot, view)

    view.flow.start(entry(view, SECRET), Action("other", "restore", "Restore"))
    wait_ask(qtbot, view)
    qtbot.keyClicks(svc.form.input("code"), CODE)
    tap(qtbot, svc.confirm_button)
    wait_result(qtbot, view)
    assert view.last_result.success, view.last_result.error
    back_to_apps(qtbot, view)
    wire = "\n".join(e.request_body + e.response_body for e in seen)
    assert "/v3/service/fetch" in " ".join(e.path for e in seen)
    assert GOOD not in wire and BAD not in wire and "cardNumber" not in wire
    assert CODE not in wire and "ephemeralKey" in wire
    assert CODE not in view.last_result.trace.to_text()

    view.flow.start(entry(view, SECRET), Action("other", "support", "Help"))
    qtbot.waitUntil(lambda: svc.stack.currentWidget() is svc.actions_page, timeout=20_000)
    texts = [lab.text() for lab in svc.user_actions._labels]
    assert texts == ["Our support unlocks your key store by phone.\nPlease call +46 8 123 456",
                     "Keep your card on the reader during the call."]
    ctx.language.set("sv")
    qtbot.waitUntil(lambda: svc.user_actions._labels[0].text().endswith("Ring +46 8 123 456"))
    assert svc.user_actions.done_button.text() == "Klart"
    ctx.language.set("en")
    tap(qtbot, svc.user_actions.done_button)
    wait_result(qtbot, view)
    assert view.last_result.success, view.last_result.error


def test_kiosk_actions_cancelled_stop_the_delivery(kiosk: Any, qtbot: Any) -> None:
    _ctx, view = kiosk
    _install_by_tapping(qtbot, view)
    svc = view.service
    view.flow.start(entry(view, SECRET), Action("other", "support", "Help"))
    qtbot.waitUntil(lambda: svc.stack.currentWidget() is svc.actions_page, timeout=20_000)
    tap(qtbot, svc.user_actions.cancel_button)
    wait_result(qtbot, view)
    assert view.last_result is not None and view.last_result.outcome.value == "cancelled"


def test_staff_checks_the_card_before_any_card_is_touched(make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    panel = staff_for_install(qtbot, ctx)
    qtbot.keyClicks(panel.fields.input("nickname"), "s")
    tap(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20_000)
    tap(qtbot, panel.stop_button)

    qtbot.waitUntil(lambda: panel.service_combo.findData("add-card") >= 0, timeout=10_000)
    panel.select(SECRET, "add-card")
    qtbot.waitUntil(lambda: "card" in {f.id for f in panel.fields.fields}, timeout=10_000)
    card = panel.fields.input("card")
    assert isinstance(card, CardInput)
    _type_card(qtbot, card, GOOD, expiry="13/39")
    tap(qtbot, panel.start_button)
    assert not panel.running and card.error.text() == "The expiry month must be 01 to 12."
    _type_card(qtbot, card, GOOD)
    panel.again.setChecked(True)
    tap(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=20_000)
    assert panel.log.rows[-1].result == "success", panel.log.rows[-1].message
    tap(qtbot, panel.stop_button)

    panel.select(SECRET, "support")
    qtbot.waitUntil(lambda: panel.description.raw.get("userActions") is not None,
                    timeout=10_000)
    tap(qtbot, panel.start_button)
    qtbot.waitUntil(panel.user_actions.isVisible, timeout=20_000)
    assert "Please call +46 8 123 456" in panel.user_actions._labels[0].text()
    tap(qtbot, panel.user_actions.done_button)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=20_000)
    assert panel.log.rows[-1].result == "success", panel.log.rows[-1].message
    assert not panel.user_actions.isVisible()
    panel.stop()


def test_tester_encrypted_code_never_in_its_http_log_or_trace(make_ctx: Any,
                                                              qtbot: Any) -> None:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    panel = refreshed_tester(qtbot, ctx, (1400, 900))
    panel.select(SECRET, "install")
    run_to_fields(qtbot, panel, "t")
    tap(qtbot, panel.fields_send)
    qtbot.waitUntil(lambda: panel.result is not None and panel.runner is None, timeout=20_000)

    panel.select(SECRET, "add-card")
    tap(qtbot, panel.run_button)
    qtbot.waitUntil(panel.fields_box.isVisible, timeout=20_000)
    card = panel.fields.input("card")
    assert isinstance(card, CardInput)
    _type_card(qtbot, card, GOOD, expiry="01/20")
    tap(qtbot, panel.fields_send)
    assert panel.fields_box.isVisible() and card.error.text() == "The card has expired."
    _type_card(qtbot, card, GOOD)
    tap(qtbot, panel.fields_send)
    qtbot.waitUntil(lambda: panel.runner is None, timeout=20_000)
    assert panel.result is not None and panel.result.success, panel.result.error

    panel.select(SECRET, "restore")
    tap(qtbot, panel.run_button)
    qtbot.waitUntil(panel.fields_box.isVisible, timeout=20_000)
    qtbot.keyClicks(panel.fields.input("code"), CODE)
    tap(qtbot, panel.fields_send)
    qtbot.waitUntil(lambda: panel.runner is None, timeout=20_000)
    assert panel.result is not None and panel.result.success, panel.result.error
    wire = "\n".join(e.request_body + e.response_body for e in panel.http_model.rows)
    assert "ephemeralKey" in wire and CODE not in wire and GOOD not in wire
    assert all(CODE not in e.to_text() for e in panel.model.entries)

    panel.select(SECRET, "support")
    tap(qtbot, panel.run_button)
    qtbot.waitUntil(panel.user_actions.isVisible, timeout=20_000)
    assert panel.user_actions._labels[1].text() == "Keep your card on the reader during the call."
    tap(qtbot, panel.user_actions.done_button)
    qtbot.waitUntil(lambda: panel.runner is None, timeout=20_000)
    assert panel.result is not None and panel.result.success, panel.result.error
    run(qtbot, ctx.hub.new_virtual_card())
