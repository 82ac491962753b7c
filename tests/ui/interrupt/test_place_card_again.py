"""Issue 18 point 1, as the screen reads: while "Place your card again" waits for the card
that left mid-delivery, it is the screen's one message and its Cancel the one Cancel: no
"do not remove your card", no time left, no second Cancel (kiosk, staff tab, tester). When
the same card is back and the delivery goes on, the progress's own texts are back."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from tests.ui.conftest import run
from tests.ui.helpers import ask_install, shown_kiosk, start_with_demo_card, tap, wait_result
from tests.ui.test_interrupted_ui import _tear_during_install, _tester
from tests.ui.test_staff_tester import _staff


def _cancels(root: QWidget) -> list[QAbstractButton]:
    return [b for b in root.findChildren(QAbstractButton)
            if b.isVisible() and b.text().strip().casefold().startswith("cancel")]


def _do_not_remove(root: QWidget) -> list[str]:
    return [w.text() for w in root.findChildren(QLabel)
            if w.isVisible() and "not remove" in w.text().casefold()]


def _one_message(root: QWidget, box: Any) -> None:
    assert _cancels(root) == [box.cancel_button], [b.objectName() for b in _cancels(root)]
    assert not _do_not_remove(root), _do_not_remove(root)
    assert box.title.isVisible() and "second" in box.countdown.text()


def test_kiosk_place_your_card_again_is_the_one_message(make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx()
    view = shown_kiosk(qtbot, ctx)
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view, "back")
    ctx.hub.virtual.card.arm_tear(2)  # during the secure channel's opening
    tap(qtbot, view.service.confirm_button)
    box = view.flow.replace_card()
    qtbot.waitUntil(lambda: box.isVisible(), timeout=10_000)
    qtbot.wait(50)
    svc, waiting = view.service, view.flow.waiting
    _one_message(view, box)
    assert not waiting.estimate.isVisible() and not waiting.slow_label.isVisible()
    # the box sits where "do not remove your card" was, below the bar
    assert box.geometry().top() > svc.bar.geometry().bottom()

    page = svc.progress_page
    back: list[tuple[bool, ...]] = []  # as the wait ends, before the delivery goes on

    def ended(away: bool) -> None:
        if not away:
            back.append((svc.keep.isVisibleTo(page), svc.phase.isVisibleTo(page),
                         waiting.cancel_button.isVisibleTo(page),
                         waiting.estimate.isVisibleTo(page)))

    box.waiting.connect(ended)
    run(qtbot, ctx.hub.insert_virtual())
    qtbot.waitUntil(lambda: bool(back), timeout=10_000)
    assert back[0] == (True, True, True, True)
    assert svc.keep.text() == "Do not remove your card"
    wait_result(qtbot, view)
    assert view.last_result is not None and view.last_result.success


def test_staff_heading_gives_way_to_place_your_card_again(make_ctx: Any, qtbot: Any) -> None:
    ctx, panel = _staff(make_ctx, qtbot)
    qtbot.keyClicks(panel.fields.input("nickname"), "staff key")
    ctx.hub.virtual.card.arm_tear(8)  # the 9th APDU of the install loses the card
    tap(qtbot, panel.start_button)
    box = panel.replace_card
    qtbot.waitUntil(box.isVisible, timeout=20_000)
    qtbot.wait(50)
    _one_message(panel, box)
    assert not panel.status.isVisible()
    assert box.title.font().bold()  # the heading now, in the heading's place
    tap(qtbot, box.cancel_button)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20_000)
    assert panel.status.isVisible() and panel.status.text()
    tap(qtbot, panel.stop_button)


def test_tester_place_your_card_again_has_the_one_cancel(make_ctx: Any, qtbot: Any) -> None:
    ctx, panel = _tester(make_ctx, qtbot)
    _tear_during_install(qtbot, ctx, panel)
    box = panel.picker.replace_card
    qtbot.wait(50)
    _one_message(panel, box)
    assert not panel.cancel_button.isVisible() and not panel.status.isVisible()
    back: list[tuple[bool, bool]] = []

    def ended(away: bool) -> None:
        if not away:
            back.append((panel.status.isVisibleTo(panel), panel.cancel_button.isVisibleTo(panel)))

    box.waiting.connect(ended)
    run(qtbot, ctx.hub.insert_virtual())
    qtbot.waitUntil(lambda: panel.result is not None and panel.live is None, timeout=30_000)
    assert back == [(True, True)]
    assert panel.result.success, (panel.result.outcome, panel.result.error)
