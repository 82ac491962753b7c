"""ui.kiosk.flow: the service flow's own decisions, on the real backend and virtual card.

The whole visit (install, suspend, ...) is in tests/ui/test_kiosk_flow.py; these are the
turns the flow takes between the runner's steps.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.conftest import run
from tests.ui.helpers import (
    SECRET,
    ask_install,
    shown_kiosk,
    start_with_demo_card,
    tap,
    wait_screen,
)
from ui.kiosk.view import KioskView


@pytest.fixture
def kiosk(make_ctx: Any, qtbot: Any) -> tuple[Any, KioskView]:
    ctx = make_ctx()
    view = shown_kiosk(qtbot, ctx)
    return ctx, view


def test_card_taken_away_on_the_ask_page_delivers_nothing(kiosk: Any, qtbot: Any) -> None:
    ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    cin = view.ident.cin_hex
    ask_install(qtbot, view)
    assert view.flow.runner is not None and not view.delivering  # described, not started
    run(qtbot, ctx.hub.remove_virtual())
    wait_screen(qtbot, view, "attract")
    qtbot.waitUntil(lambda: view.flow.runner is None, timeout=5000)
    assert "Your card was removed" in view.attract.status.text()
    assert view.last_result is None  # no delivery was started
    states = run(qtbot, ctx.client_now().device_apps(cin))
    assert states.get(SECRET, "NotInstalled") == "NotInstalled"


def test_the_confirmation_comes_with_the_fields_on_one_page(kiosk: Any, qtbot: Any) -> None:
    """Install asks for a nickname and a confirmation: one page, one tap, then progress."""
    _ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view)
    svc = view.service
    description = view.flow.runner.description
    assert description is not None and description.confirmation_required
    assert svc.confirm_button.text() == "Confirm" and svc.form.needs_input()
    qtbot.keyClicks(svc.form.input("nickname"), "one page")
    tap(qtbot, svc.confirm_button)
    qtbot.waitUntil(lambda: svc.stack.currentWidget() is not svc.ask_page, timeout=20_000)
    qtbot.waitUntil(lambda: svc.stack.currentWidget() is svc.result_page, timeout=20_000)
    assert view.last_result is not None and view.last_result.success
