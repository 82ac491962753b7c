"""Issue 18 point 1: the card pulled at each phase of an install, through the real kiosk and
staff widgets, the real backend over HTTP (paused with SIGSTOP while the touch point waits
on it, resumed with SIGCONT); in staff mode the virtual card behind pcscd/vpcd, in the
kiosk its demo card (the embedded virtual reader).

Phases (app/reattach.py says what each does and why):
  (a) before the first APDU: service/deliver in flight;
  (b) during a batch: the card tears at an APDU of the secure channel's opening;
  (c) between batches: the first batch's answers posted, the next batch not yet here
      (c2: after the batch that installed the package, the next operation to come);
  (d) after the last APDU: its answers posted, the result not yet here.
The card is put back (or not); the application's state on the card is then asked of
the backend: Installed, unchanged (NotInstalled) or needs repair (Unstable).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from app.delivery import Outcome
from cardsim.card import VirtualCard
from tests.ui.conftest import run
from tests.ui.helpers import (
    SECRET,
    ask_install,
    shown_kiosk,
    staff_for_install,
    start_with_demo_card,
    tap,
    wait_result,
)

TECHNICAL = re.compile(r"\b(GET|POST|PUT|DELETE|HTTP)\b|/v3/|\b[45]\d\d\b")
GRACE = 3  # seconds of "Place your card again"
# phase -> the backend call during which the card is pulled (the n-th of that kind)
CALLS = {"a": ("start_delivery", 1), "c": ("connector", 1), "c2": ("connector", 2),
         "d": ("connector", 4)}
RESTARTED = "the operation starts again"


class Pauser:
    """Pauses the backend (SIGSTOP) just as the touch point sends the n-th call of a kind:
    that call stays in flight until `server.resume()`."""

    def __init__(self, client: Any, server: Any, phase: str) -> None:
        method, self.nth = CALLS[phase]
        self.calls = 0
        self.paused = False
        original = getattr(client, method)

        async def hooked(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls == self.nth:
                server.pause()
                self.paused = True
            return await original(*args, **kwargs)

        setattr(client, method, hooked)


def _state(qtbot: Any, client: Any, card: VirtualCard) -> str:
    return run(qtbot, client.device_apps(card.cin.hex().upper()))[SECRET]


def _notes(result: Any) -> list[str]:
    return [e.name for e in result.trace.entries]


def _pull_while_paused(qtbot: Any, pauser: Pauser, bridge: Any, box: Any) -> None:
    """The card leaves while the backend holds the call: "Place your card again" shows as
    soon as the reader reports it, the backend still paused."""
    qtbot.waitUntil(lambda: pauser.paused, timeout=20_000)
    bridge.remove()
    qtbot.waitUntil(box.isVisible, timeout=3000)
    assert pauser.paused
    assert "Place your card again" in box.title.text() and "second" in box.countdown.text()


# -- the kiosk --------------------------------------------------------------------------------
class EmbeddedCard:
    """The kiosk's demo card (the embedded virtual reader): taken away and put back."""

    def __init__(self, qtbot: Any, hub: Any) -> None:
        self.qtbot, self.hub = qtbot, hub

    def remove(self) -> None:
        run(self.qtbot, self.hub.remove_virtual())

    def insert(self) -> None:
        run(self.qtbot, self.hub.insert_virtual())


@pytest.fixture
def kiosk(paused_ctx: Any, qtbot: Any) -> Iterator[Any]:
    """The kiosk on its demo card (the embedded virtual card: the kiosk's start on a PC/SC
    card is not what is tested here)."""
    ctx = paused_ctx(limit_s=30.0, card_grace_s=GRACE)
    view = shown_kiosk(qtbot, ctx)
    start_with_demo_card(qtbot, view)
    client = run(qtbot, ctx.client())
    yield ctx, view, ctx.hub.virtual.card, EmbeddedCard(qtbot, ctx.hub), client


def _kiosk_install(qtbot: Any, view: Any) -> None:
    ask_install(qtbot, view, "pulled")
    tap(qtbot, view.service.confirm_button)


@pytest.mark.parametrize(("phase", "back", "state"), [
    ("a", True, "Installed"),
    ("a", False, "NotInstalled"),  # never changed: unchanged, not Unstable
    ("c", True, "Installed"),  # the operation starts again (a fresh INITIALIZE UPDATE)
    ("c", False, "NotInstalled"),
    ("c2", False, "Unstable"),  # the package went on the card: needs repair
])
def test_kiosk_card_pulled_while_the_backend_is_asked(
        kiosk: Any, qtbot: Any, server: Any, phase: str, back: bool, state: str) -> None:
    _ctx, view, card, bridge, client = kiosk
    pauser = Pauser(client, server, phase)
    _kiosk_install(qtbot, view)
    box = view.flow.replace_card()
    _pull_while_paused(qtbot, pauser, bridge, box)
    if back:
        bridge.insert()  # the same card back, the backend still paused
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    elif phase == "a":
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=(GRACE + 2) * 1000)  # time up
    else:
        tap(qtbot, box.cancel_button)  # the visitor will not put it back
    server.resume()
    wait_result(qtbot, view)
    result = view.last_result
    assert result is not None
    if back:
        assert result.success, (result.outcome, result.error)
        assert RESTARTED in _notes(result)
    else:
        assert result.outcome is Outcome.CARD_REMOVED, (result.outcome, result.error)
        shown = view.service.result_title.text() + " " + view.service.result_hint.text()
        assert not TECHNICAL.search(shown), shown
    assert not box.isVisible()
    assert _state(qtbot, client, card) == state


def test_kiosk_card_pulled_during_a_batch_and_put_back(kiosk: Any, qtbot: Any) -> None:
    """(b): the card tears at the INITIALIZE UPDATE of the install's first batch."""
    _ctx, view, card, bridge, client = kiosk
    card.arm_tear(1)  # SELECT answers, INITIALIZE UPDATE loses the card
    _kiosk_install(qtbot, view)
    box = view.flow.replace_card()
    qtbot.waitUntil(box.isVisible, timeout=20_000)
    bridge.insert()
    wait_result(qtbot, view)
    result = view.last_result
    assert result is not None and result.success, (result and result.outcome)
    assert RESTARTED in _notes(result)
    assert _state(qtbot, client, card) == "Installed"


def test_kiosk_card_pulled_after_the_last_apdu_gets_the_backends_result(
        kiosk: Any, qtbot: Any, server: Any) -> None:
    """(d): the card leaves as the last answers go to the backend: the result is the
    backend's (success), nothing restarts, no prompt stays (and none is answered)."""
    _ctx, view, card, bridge, client = kiosk
    pauser = Pauser(client, server, "d")
    _kiosk_install(qtbot, view)
    qtbot.waitUntil(lambda: pauser.paused, timeout=20_000)
    bridge.remove()
    server.resume()
    wait_result(qtbot, view)
    result = view.last_result
    assert result is not None and result.success, (result and result.outcome)
    assert RESTARTED not in _notes(result)
    assert not view.flow.replace_card().isVisible()
    assert view.service.result_title.text() != ""
    assert _state(qtbot, client, card) == "Installed"


# -- staff mode -------------------------------------------------------------------------------
@pytest.fixture
def staff(paused_ctx: Any, qtbot: Any, vpcd_card: Any) -> Iterator[Any]:
    ctx = paused_ctx(kiosk=False, pcsc=True, limit_s=30.0, card_grace_s=GRACE)
    panel = staff_for_install(qtbot, ctx)
    qtbot.keyClicks(panel.fields.input("nickname"), "staff")
    client = run(qtbot, ctx.client())
    card = VirtualCard.create(None)
    yield ctx, panel, card, client


@pytest.mark.pcsc
@pytest.mark.parametrize(("phase", "back", "result", "state"), [
    ("a", True, "success", "Installed"),
    ("c", True, "success", "Installed"),
    ("c", False, "card-removed", "NotInstalled"),
    ("d", False, "success", "Installed"),
])
def test_staff_card_pulled_at_each_phase(staff: Any, qtbot: Any, server: Any, vpcd_card: Any,
                                         phase: str, back: bool, result: str,
                                         state: str) -> None:
    ctx, panel, card, client = staff
    box = panel.replace_card
    pauser = Pauser(client, server, phase)
    tap(qtbot, panel.start_button)
    bridge = vpcd_card(card)
    if phase == "d":
        qtbot.waitUntil(lambda: pauser.paused, timeout=20_000)
        bridge.remove()
    else:
        _pull_while_paused(qtbot, pauser, bridge, box)
    if back:
        bridge.insert()
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    elif phase != "d":
        tap(qtbot, box.cancel_button)
    server.resume()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20_000)
    row = panel.log.rows[0]
    assert row.result == result, row.message
    assert not TECHNICAL.search(row.message), row.message
    assert not box.isVisible()
    assert _state(qtbot, client, card) == state
    tap(qtbot, panel.stop_button)
    bridge.remove()  # while the widgets that follow the reader are there
    qtbot.waitUntil(lambda: not ctx.hub.present(), timeout=5000)


@pytest.mark.pcsc
def test_staff_card_torn_during_a_batch_is_asked_for_again(
        staff: Any, qtbot: Any, vpcd_card: Any) -> None:
    """(b) over PC/SC: the card tears at the INITIALIZE UPDATE of the install's first batch.
    pcscd reports the removal only after the transmit error, so "the card is on the reader"
    must not be believed at once: "Place your card again" shows, the card comes back and
    the install completes (the operation started again)."""
    ctx, panel, card, client = staff
    box = panel.replace_card
    original = client.start_delivery

    async def tear_then_start(*args: Any, **kwargs: Any) -> Any:
        card.arm_tear(1)  # after the identification: SELECT answers, INITIALIZE UPDATE tears
        return await original(*args, **kwargs)

    client.start_delivery = tear_then_start
    tap(qtbot, panel.start_button)
    bridge = vpcd_card(card)
    qtbot.waitUntil(box.isVisible, timeout=20_000)
    assert "Place your card again" in box.title.text()
    card.disarm_tear()
    bridge.insert()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20_000)
    row = panel.log.rows[0]
    assert row.result == "success", row.message
    assert not box.isVisible()
    assert _state(qtbot, client, card) == "Installed"
    tap(qtbot, panel.stop_button)
    bridge.remove()
    qtbot.waitUntil(lambda: not ctx.hub.present(), timeout=5000)
