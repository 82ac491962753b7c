"""The kiosk against the real bundled backend and the virtual card, driven by taps.

Every step is a click on what a visitor sees, then a wait for what they would
see next; the app states are also checked against the backend itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.cards import identify
from app.delivery import DeliveryRunner
from app.errors import NotAllowedInStateError
from tests.ui.conftest import run
from tests.ui.helpers import (
    SECRET,
    ask_install,
    back_to_apps,
    entry,
    shown_kiosk,
    start_with_demo_card,
    tap,
    tap_tile,
    wait_ask,
    wait_result,
    wait_screen,
)
from ui.kiosk.view import KioskView

# what the detail screen offers in each state, and what it must never offer
ALLOWED = {
    "NotInstalled": {"install"},
    "Installed": {"uninstall", "suspend"},
    "Suspended": {"unsuspend", "uninstall"},
    "Unstable": {"uninstall", "repair"},
}
SERVICE_OF = {"install": "install", "uninstall": "uninstall", "suspend": "suspend",
              "unsuspend": "unsuspend"}


@pytest.fixture
def kiosk(make_ctx: Any, qtbot: Any) -> tuple[Any, KioskView]:
    ctx = make_ctx()
    view = shown_kiosk(qtbot, ctx)
    return ctx, view


def give_up_waiting_for_the_card(qtbot: Any, view: KioskView) -> None:
    """The card left mid-delivery: "Place your card again" shows; the visitor cancels."""
    box = view.flow.replace_card()
    qtbot.waitUntil(lambda: box.isVisibleTo(view), timeout=10_000)
    tap(qtbot, box.cancel_button)


def assert_buttons_match_state(qtbot: Any, ctx: Any, view: KioskView, state: str) -> None:
    """The buttons are exactly the allowed ones, and the backend refuses every other one."""
    assert view.detail.entry is not None and view.detail.entry.state == state
    assert set(view.detail.visible_actions()) == ALLOWED[state]
    client = ctx.client_now()
    cin = view.ident.cin_hex
    for kind, sid in SERVICE_OF.items():
        if kind in ALLOWED[state]:
            run(qtbot, client.get_service(SECRET, sid, cin))  # allowed: answers
        else:
            with pytest.raises(NotAllowedInStateError):
                run(qtbot, client.get_service(SECRET, sid, cin))


def test_install_suspend_unsuspend_uninstall_by_tapping(kiosk: Any, qtbot: Any) -> None:
    ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    assert entry(view, SECRET).state == "NotInstalled"
    tap_tile(qtbot, view, SECRET)
    assert view.detail.name.text() == "The Secret Application"
    assert "private key" in view.detail.description.text()
    assert_buttons_match_state(qtbot, ctx, view, "NotInstalled")

    # install: description, price, the nickname field, confirm, progress, result
    tap(qtbot, view.detail.action_buttons["install"])
    wait_ask(qtbot, view)
    svc = view.service
    assert svc.title.text() == "Install The Secret Application"
    assert "free" in svc.price.text()
    field = svc.form.input("nickname")
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(field, "My key")
    tap(qtbot, svc.confirm_button)
    progress_seen: list[int] = []
    qtbot.waitUntil(lambda: progress_seen.append(svc.bar.maximum()) or
                    svc.stack.currentWidget() is svc.result_page, timeout=20_000)
    wait_result(qtbot, view)
    assert svc.result_title.text() == "Done"
    assert svc.result_text.text() == "Your key store is ready."
    assert view.last_result is not None and view.last_result.apdus > 5
    assert svc.keep.text() == "Do not remove your card"
    back_to_apps(qtbot, view)
    assert entry(view, SECRET).state == "Installed"

    # suspend (needs confirmation, no fields)
    tap_tile(qtbot, view, SECRET)
    assert_buttons_match_state(qtbot, ctx, view, "Installed")
    tap(qtbot, view.detail.action_buttons["suspend"])
    wait_ask(qtbot, view)
    assert not svc.form.needs_input()
    assert svc.confirm_button.text() == "Confirm"
    tap(qtbot, svc.confirm_button)
    wait_result(qtbot, view)
    assert view.last_result.success, view.last_result.error
    back_to_apps(qtbot, view)
    assert entry(view, SECRET).state == "Suspended"

    # unsuspend (no confirmation: straight to progress)
    tap_tile(qtbot, view, SECRET)
    assert_buttons_match_state(qtbot, ctx, view, "Suspended")
    tap(qtbot, view.detail.action_buttons["unsuspend"])
    wait_result(qtbot, view)
    assert view.last_result.success, view.last_result.error
    back_to_apps(qtbot, view)
    assert entry(view, SECRET).state == "Installed"

    # uninstall
    tap_tile(qtbot, view, SECRET)
    tap(qtbot, view.detail.action_buttons["uninstall"])
    wait_ask(qtbot, view)
    tap(qtbot, svc.confirm_button)
    wait_result(qtbot, view)
    assert view.last_result.success, view.last_result.error
    back_to_apps(qtbot, view)
    assert entry(view, SECRET).state == "NotInstalled"
    tap_tile(qtbot, view, SECRET)
    assert_buttons_match_state(qtbot, ctx, view, "NotInstalled")


def test_cancel_on_the_service_page_changes_nothing(kiosk: Any, qtbot: Any) -> None:
    ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view)
    tap(qtbot, view.service.cancel_button)
    wait_screen(qtbot, view, "detail")
    states = run(qtbot, ctx.client_now().device_apps(view.ident.cin_hex))
    assert states.get(SECRET, "NotInstalled") == "NotInstalled"


def test_card_removed_mid_install_shows_failure_and_app_becomes_unstable(
        kiosk: Any, qtbot: Any) -> None:
    ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view, "torn")
    ctx.hub.virtual.card.arm_tear(8)  # the 9th APDU of the delivery loses the card
    tap(qtbot, view.service.confirm_button)
    give_up_waiting_for_the_card(qtbot, view)
    wait_result(qtbot, view)
    svc = view.service
    assert svc.result_title.text() == "The card was removed before the service finished"
    assert "Hold your card to the reader again" in svc.result_hint.text()
    assert svc.result_icon.text() == "✖"
    qtbot.waitUntil(lambda: not ctx.hub.present(), timeout=2000)

    # the visitor puts the card back: the app is Unstable, with the advice and only Uninstall
    run(qtbot, ctx.hub.insert_virtual())
    wait_screen(qtbot, view, "apps")
    assert entry(view, SECRET).state == "Unstable"
    tap_tile(qtbot, view, SECRET)
    assert view.detail.advice.isVisible()
    assert "Tap Repair" in view.detail.advice.text()
    assert_buttons_match_state(qtbot, ctx, view, "Unstable")
    tap(qtbot, view.detail.action_buttons["uninstall"])
    wait_ask(qtbot, view)
    tap(qtbot, view.service.confirm_button)
    wait_result(qtbot, view)
    assert view.last_result.success, view.last_result.error
    back_to_apps(qtbot, view)
    assert entry(view, SECRET).state == "NotInstalled"


def test_repair_after_a_torn_install_uninstalls_then_installs(kiosk: Any, qtbot: Any) -> None:
    """Issue 18: an Unstable app offers Repair: the uninstall (with the purge), then the
    install the visitor confirms, in one tap on the detail screen."""
    ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view, "torn")
    ctx.hub.virtual.card.arm_tear(8)
    tap(qtbot, view.service.confirm_button)
    give_up_waiting_for_the_card(qtbot, view)
    wait_result(qtbot, view)
    qtbot.waitUntil(lambda: not ctx.hub.present(), timeout=2000)
    run(qtbot, ctx.hub.insert_virtual())
    wait_screen(qtbot, view, "apps")
    assert entry(view, SECRET).state == "Unstable"
    tap_tile(qtbot, view, SECRET)
    assert view.detail.action_buttons["repair"].text() == "Repair"
    tap(qtbot, view.detail.action_buttons["repair"])
    wait_ask(qtbot, view)  # the uninstall's confirmation
    tap(qtbot, view.service.confirm_button)
    qtbot.waitUntil(lambda: "nickname" in {f.id for f in view.service.form.inputs}
                    and view.service.stack.currentWidget() is view.service.ask_page,
                    timeout=10000)  # then the install's fields
    qtbot.keyClicks(view.service.form.input("nickname"), "again")
    tap(qtbot, view.service.confirm_button)
    wait_result(qtbot, view)
    assert view.last_result.success, view.last_result.error
    assert view.service.result_icon.text() == "✔"
    back_to_apps(qtbot, view)
    assert entry(view, SECRET).state == "Installed"
    states = run(qtbot, ctx.client_now().device_apps(view.ident.cin_hex))
    assert states[SECRET] == "Installed"


def test_card_back_within_the_grace_period_finishes_the_install(kiosk: Any,
                                                                 qtbot: Any) -> None:
    """Issue 18: the card leaves mid-install; "Place your card again" counts down; the
    same card back, the backend starts the operation again and the install ends well."""
    ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view, "back")
    ctx.hub.virtual.card.arm_tear(2)  # during the secure channel's opening
    tap(qtbot, view.service.confirm_button)
    box = view.flow.replace_card()
    qtbot.waitUntil(lambda: box.isVisibleTo(view), timeout=10_000)
    assert "Place your card again" in box.title.text() and "second" in box.countdown.text()
    assert box.cancel_button.isVisibleTo(view)
    run(qtbot, ctx.hub.insert_virtual())
    wait_result(qtbot, view)
    assert view.last_result.success, view.last_result.error
    assert not box.isVisibleTo(view)
    back_to_apps(qtbot, view)
    assert entry(view, SECRET).state == "Installed"


def test_an_action_refused_meanwhile_is_reported_and_disappears(kiosk: Any,
                                                                qtbot: Any) -> None:
    ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    tap_tile(qtbot, view, SECRET)
    assert view.detail.visible_actions() == ["install"]
    # another touch point installs the app on this card behind the kiosk's back
    reader = ctx.hub.reader()

    async def install_elsewhere() -> bool:
        ident = await identify(reader)
        r = await DeliveryRunner(ctx.client_now(), reader, ident,
                                 fields={"nickname": "x"}).run(SECRET, "install")
        return r.success

    assert run(qtbot, install_elsewhere())
    tap(qtbot, view.detail.action_buttons["install"])
    wait_result(qtbot, view)
    assert view.service.result_title.text() == \
        "This is not possible in the application's current state"
    back_to_apps(qtbot, view)
    assert entry(view, SECRET).state == "Installed"
    tap_tile(qtbot, view, SECRET)
    assert "install" not in view.detail.visible_actions()


def test_card_removed_returns_to_attract_with_a_message(kiosk: Any, qtbot: Any) -> None:
    ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    tap_tile(qtbot, view, SECRET)
    run(qtbot, ctx.hub.remove_virtual())
    wait_screen(qtbot, view, "attract", timeout=300)  # within 300 ms of the removal
    assert view.attract.status.text() == \
        "Your card was removed. Hold it to the reader to start again."
    assert view.ident is None and view.apps.grid.entries() == []


def test_finish_forgets_the_card(kiosk: Any, qtbot: Any) -> None:
    ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    tap(qtbot, view.apps.finish_button)
    wait_screen(qtbot, view, "attract")
    qtbot.waitUntil(lambda: not ctx.hub.present(), timeout=2000)
    assert view.ident is None
