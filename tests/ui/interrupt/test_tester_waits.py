"""Issue 18 point 2 in the tester: with the real backend paused (SIGSTOP) the status says
"taking longer", Cancel answers at once and ends with a result, the time limit ends the
run and says so; the bar reaches 100 % only once the delivery is done."""

from __future__ import annotations

from typing import Any

from app.delivery import Outcome
from tests.ui.helpers import SECRET, refreshed_tester, run_to_fields, tap
from ui.tester import panel as tester


def _tester(paused_ctx: Any, qtbot: Any, **kw: Any) -> tester.TesterPanel:
    ctx = paused_ctx(kiosk=False, virtual_present=True, **kw)
    panel = refreshed_tester(qtbot, ctx)
    panel.select(SECRET, "install")
    qtbot.waitUntil(lambda: panel.service_combo.currentData() == "install", timeout=10_000)
    return panel


def _finished(panel: tester.TesterPanel) -> bool:
    return bool(panel.runs.runs) and not panel.runs.runs[-1].running


def test_cancel_while_the_backend_is_paused(paused_ctx: Any, qtbot: Any, server: Any) -> None:
    panel = _tester(paused_ctx, qtbot)
    run_to_fields(qtbot, panel, "tester")
    server.pause()
    tap(qtbot, panel.fields_send)
    qtbot.waitUntil(lambda: "taking longer than usual" in panel.status.text(), timeout=3000)
    assert panel.cancel_button.isEnabled()
    tap(qtbot, panel.cancel_button)
    assert panel.status.text().startswith(("Cancelling", "Cancelled"))  # at once
    qtbot.waitUntil(lambda: _finished(panel), timeout=5000)
    assert panel.result is not None and panel.result.outcome is Outcome.CANCELLED
    assert panel.status.text().startswith("Cancelled")
    assert panel.bar.value() < panel.bar.maximum() or panel.bar.maximum() <= 1
    server.resume()


def test_time_limit_stops_the_run_and_says_so(paused_ctx: Any, qtbot: Any,
                                              server: Any) -> None:
    panel = _tester(paused_ctx, qtbot)
    run_to_fields(qtbot, panel, "tester")
    server.pause()
    tap(qtbot, panel.fields_send)
    qtbot.waitUntil(lambda: _finished(panel), timeout=6000)  # limit: 2 s
    assert panel.result is not None and panel.result.outcome is Outcome.CANCELLED
    assert panel.status.text().startswith("No answer within 2 s: the run was stopped.")
    server.resume()


def test_the_bar_is_full_only_when_done(paused_ctx: Any, qtbot: Any, server: Any) -> None:
    panel = _tester(paused_ctx, qtbot, limit_s=30.0)
    seen: list[tuple[int, int, bool]] = []
    panel.bar.valueChanged.connect(
        lambda v: seen.append((v, panel.bar.maximum(), panel.result is None)))
    run_to_fields(qtbot, panel, "tester")
    server.pause()
    tap(qtbot, panel.fields_send)
    qtbot.waitUntil(lambda: "taking longer than usual" in panel.status.text(), timeout=3000)
    server.resume()
    qtbot.waitUntil(lambda: _finished(panel), timeout=20_000)
    assert panel.result is not None and panel.result.success
    assert panel.bar.value() == panel.bar.maximum() > 1
    full = [i for i, (v, top, _) in enumerate(seen) if v == top and top > 1]
    assert full and full[0] == len(seen) - 1  # 100 % once, as the last value: at the end
    assert panel.status.text().startswith("Done")
