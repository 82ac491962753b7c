"""Issue 18 point 2 in staff mode: the real backend paused (SIGSTOP) as the delivery on a
card starts: "taking longer" in the status, Stop cancels that card's delivery, and the
time limit ends it with a row that says why."""

from __future__ import annotations

from typing import Any

from app.delivery import Phase, Progress
from tests.ui.helpers import staff_for_install, tap
from ui.staff import panel as staff


def _staff(paused_ctx: Any, qtbot: Any, server: Any) -> staff.StaffPanel:
    ctx = paused_ctx(kiosk=False, virtual_present=True)
    panel = staff_for_install(qtbot, ctx)
    qtbot.keyClicks(panel.fields.input("nickname"), "staff")
    shown = panel.waiting.on_progress

    def pause_at_start(p: Progress) -> None:  # before service/deliver is sent
        if p.phase is Phase.STARTING:
            server.pause()
        shown(p)

    panel.waiting.on_progress = pause_at_start  # type: ignore[method-assign]
    return panel


def test_stop_cancels_the_card_being_worked_on(paused_ctx: Any, qtbot: Any,
                                               server: Any) -> None:
    panel = _staff(paused_ctx, qtbot, server)
    tap(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: "taking longer than usual" in panel.status.text(), timeout=5000)
    tap(qtbot, panel.stop_button)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    assert panel.log.rows[0].result == "cancelled"
    assert not panel.running and panel.start_button.isEnabled()
    server.resume()


def test_time_limit_ends_the_card_with_a_row_saying_so(paused_ctx: Any, qtbot: Any,
                                                       server: Any) -> None:
    panel = _staff(paused_ctx, qtbot, server)
    tap(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=6000)  # limit: 2 s
    row = panel.log.rows[0]
    assert row.result == "cancelled"
    assert row.message == "No answer within 2 s: stopped."
    server.resume()
    tap(qtbot, panel.stop_button)
