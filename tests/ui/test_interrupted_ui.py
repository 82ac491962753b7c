"""Issue 18, point 1 in staff mode and the tester, real widgets over HTTP and the virtual card.

A card pulled mid-install leaves a row with one sentence and the next step (no HTTP
method, path or status code); the same card back is repaired (uninstall with the
purge, then the install) when its app is Unstable; a refused install says so in a
sentence too.
"""

from __future__ import annotations

from typing import Any

from tests.ui.conftest import run
from tests.ui.helpers import SECRET, TECHNICAL, assert_no_technical_text, shown_tester, tap
from tests.ui.test_staff_tester import _staff


def test_staff_torn_card_is_repaired_when_it_comes_back(make_ctx: Any, qtbot: Any) -> None:
    ctx, panel = _staff(make_ctx, qtbot)
    assert panel.repair.isChecked() and panel.repair.text()
    panel.again.setChecked(True)
    qtbot.keyClicks(panel.fields.input("nickname"), "staff key")
    card = ctx.hub.virtual.card
    card.arm_tear(8)  # the 9th APDU of the install loses the card
    tap(qtbot, panel.start_button)
    box = panel.replace_card  # "Place your card again", with its countdown: staff cancels
    qtbot.waitUntil(lambda: box.isVisibleTo(panel), timeout=20_000)
    assert "Place your card again" in box.title.text() and "second" in box.countdown.text()
    tap(qtbot, box.cancel_button)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20_000)
    row = panel.log.rows[0]
    assert row.result == "card-removed"
    assert "Place it on the reader and try again" in row.message, row.message
    assert_no_technical_text(row.message)
    # the same card back: its app is Unstable, so the install becomes a repair
    run(qtbot, ctx.hub.new_virtual_card(card))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=30_000)
    assert panel.log.rows[1].result == "success", panel.log.rows[1].message
    # a third time: installed already; the refusal is a sentence, not "HTTP 412"
    run(qtbot, ctx.hub.new_virtual_card(card))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=30_000)
    refused = panel.log.rows[2]
    assert refused.result == "not-allowed"
    assert "Choose another action" in refused.message
    assert_no_technical_text(refused.message)
    tap(qtbot, panel.stop_button)


def test_tester_refusal_is_a_sentence_and_the_detail_stays_in_the_trace(
        make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    panel = shown_tester(qtbot, ctx)
    panel.picker.select(SECRET, "uninstall")  # NotInstalled: the backend refuses (412)
    tap(qtbot, panel.run_button)
    qtbot.waitUntil(lambda: panel.result is not None and panel.live is None, timeout=20_000)
    text = panel.status.text()
    assert "Choose another action" in text, text
    assert not TECHNICAL.search(text.split("—")[0]), text


def _tester(make_ctx: Any, qtbot: Any) -> tuple[Any, Any]:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    panel = shown_tester(qtbot, ctx)
    return ctx, panel


def _tear_during_install(qtbot: Any, ctx: Any, panel: Any) -> Any:
    """Starts an install that loses the card at its 3rd APDU (the secure channel's opening);
    waits for "Place your card again"."""
    panel.picker.select(SECRET, "install")
    card = ctx.hub.virtual.card
    card.arm_tear(2 + 4)  # the identification's APDUs first (tester reads the card itself)
    tap(qtbot, panel.run_button)
    qtbot.waitUntil(lambda: panel.fields_send.isVisibleTo(panel)
                    or panel.picker.replace_card.isVisibleTo(panel), timeout=20_000)
    if panel.fields_send.isVisibleTo(panel):
        qtbot.keyClicks(panel.fields.input("nickname"), "tester")
        tap(qtbot, panel.fields_send)
    box = panel.picker.replace_card
    qtbot.waitUntil(lambda: box.isVisibleTo(panel), timeout=20_000)
    assert "Place your card again" in box.title.text()
    assert "second" in box.countdown.text()
    return card


def test_tester_card_back_within_the_grace_period_finishes_the_install(
        make_ctx: Any, qtbot: Any) -> None:
    ctx, panel = _tester(make_ctx, qtbot)
    _tear_during_install(qtbot, ctx, panel)
    run(qtbot, ctx.hub.insert_virtual())  # the same card back on the same reader
    qtbot.waitUntil(lambda: panel.result is not None and panel.live is None, timeout=30_000)
    assert panel.result.success, (panel.result.outcome, panel.result.error)
    assert not panel.picker.replace_card.isVisibleTo(panel)


def test_tester_cancel_on_place_your_card_again_ends_with_a_sentence(
        make_ctx: Any, qtbot: Any) -> None:
    ctx, panel = _tester(make_ctx, qtbot)
    _tear_during_install(qtbot, ctx, panel)
    tap(qtbot, panel.picker.replace_card.cancel_button)
    qtbot.waitUntil(lambda: panel.result is not None and panel.live is None, timeout=30_000)
    assert panel.result.outcome.value == "card-removed"
    text = panel.status.text()
    assert "Place it on the reader and try again" in text, text
