"""The kiosk on a PC/SC reader (issue 18): the virtual card behind the system's pcscd (vpcd),
the real backend over HTTP, the kiosk's own widgets.

attract -> the card placed -> its applications -> an install -> success (Installed per the
backend); the card taken away and placed again is read again (the PC/SC handle of the card
that left is stale and must not be reused); a card already on the reader when the kiosk
starts listening is read; a reading that cannot finish (the backend stopped) ends within
the time limit on the attract screen with a sentence, the way back.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from cardsim.card import VirtualCard
from tests.helpers.pcsc import READER
from tests.ui.conftest import run
from tests.ui.helpers import (
    SECRET,
    ask_install,
    assert_no_technical_text,
    back_to_apps,
    shown_kiosk,
    tap,
    wait_result,
    wait_screen,
)

pytestmark = pytest.mark.pcsc


@pytest.fixture
def kiosk(paused_ctx: Any, qtbot: Any) -> Iterator[Any]:
    """A kiosk view following the PC/SC readers (the vpcd slot among them), no card yet."""

    def make(**kwargs: Any) -> tuple[Any, Any]:
        ctx = paused_ctx(pcsc=True, **kwargs)
        view = shown_kiosk(qtbot, ctx)
        qtbot.waitUntil(lambda: READER in {s.name for s in ctx.hub.slots()}, timeout=10_000)
        return ctx, view

    yield make


def _apps_of_the_card(qtbot: Any, view: Any, card: VirtualCard) -> None:
    wait_screen(qtbot, view, "apps", timeout=15_000)
    assert view.ctx.hub.active == READER
    assert view.ident is not None and view.ident.cin_hex == card.cin.hex().upper()
    assert SECRET in {e.app_id for e in view.apps.grid.entries()}


def test_kiosk_on_a_pcsc_card_installs_and_reads_the_next_card(
        kiosk: Any, qtbot: Any, vpcd_card: Any) -> None:
    ctx, view = kiosk(limit_s=30.0)
    assert view.screen_name == "attract"
    card = VirtualCard.create(None)
    bridge = vpcd_card(card)  # placed after the attract screen shows
    _apps_of_the_card(qtbot, view, card)
    ask_install(qtbot, view, "pcsc")
    tap(qtbot, view.service.confirm_button)
    wait_result(qtbot, view)
    result = view.last_result
    assert result is not None and result.success, (result and result.error)
    client = run(qtbot, ctx.client())
    states = run(qtbot, client.device_apps(card.cin.hex().upper()))
    assert states[SECRET] == "Installed"
    back_to_apps(qtbot, view)
    # the visitor takes the card and comes back: the old handle is stale, the card is read anew
    bridge.remove()
    wait_screen(qtbot, view, "attract", timeout=10_000)
    bridge.insert()
    _apps_of_the_card(qtbot, view, card)
    assert view.attract.status.text() == ""


def test_kiosk_reads_a_card_already_on_the_reader(
        paused_ctx: Any, qtbot: Any, vpcd_card: Any) -> None:
    card = VirtualCard.create(None)
    vpcd_card(card)
    ctx = paused_ctx(pcsc=True, limit_s=30.0)
    qtbot.waitUntil(lambda: ctx.hub.present(READER), timeout=10_000)
    view = shown_kiosk(qtbot, ctx, None)  # its card event went out before the kiosk listened
    _apps_of_the_card(qtbot, view, card)


def test_kiosk_reading_that_cannot_finish_ends_within_the_limit(
        kiosk: Any, qtbot: Any, vpcd_card: Any, server: Any) -> None:
    _ctx, view = kiosk(limit_s=2.0)
    server.pause()  # the backend stops answering: the card is read, its apps never come
    card = VirtualCard.create(None)
    vpcd_card(card)
    wait_screen(qtbot, view, "loading", timeout=10_000)
    t0 = time.monotonic()
    wait_screen(qtbot, view, "attract", timeout=10_000)
    assert time.monotonic() - t0 < 2.0 + 3.0
    status = view.attract.status.text()
    assert status == "The service is not available right now.", status
    assert_no_technical_text(status)
    server.resume()
    # the way back: a tap on the attract screen (the card still there) reads it again
    qtbot.mouseClick(view.attract, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    _apps_of_the_card(qtbot, view, card)
