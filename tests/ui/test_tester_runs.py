"""Issue 19, point 3: the tester keeps its runs, compares two, saves what the filter shows
and exports the HTTP exchanges as HAR 1.2 — real backend, real virtual card, real widgets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from app.runs import Diff
from tests.ui.conftest import run
from tests.ui.helpers import SECRET, refreshed_tester, run_to_fields, tap
from ui.tester import panel as tester


def _tester(make_ctx: Any, qtbot: Any) -> tuple[Any, tester.TesterPanel]:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    panel = refreshed_tester(qtbot, ctx)
    return ctx, panel


def _install(qtbot: Any, panel: tester.TesterPanel, nickname: str) -> None:
    panel.select(SECRET, "install")
    qtbot.waitUntil(lambda: panel.service_combo.currentData() == "install", timeout=10_000)
    runs_before = len(panel.runs.runs)
    run_to_fields(qtbot, panel, nickname)
    tap(qtbot, panel.fields_send)
    qtbot.waitUntil(lambda: len(panel.runs.runs) == runs_before + 1
                    and not panel.runs.runs[-1].running, timeout=30_000)
    assert panel.result is not None and panel.result.success, panel.result


def test_two_runs_are_kept_listed_and_compared(make_ctx: Any, qtbot: Any) -> None:
    ctx, panel = _tester(make_ctx, qtbot)
    # the pickers name things: the application's name and the service's title, not ids
    _install(qtbot, panel, "first")
    assert panel.app_combo.currentText() == "The Secret Application"
    assert panel.service_combo.currentText() == "Install The Secret Application"
    first = panel.runs.runs[0]
    first_rows = len(first.trace.entries)
    run(qtbot, ctx.hub.new_virtual_card())  # a second card: same service, other bytes
    _install(qtbot, panel, "second")
    second = panel.runs.runs[1]
    # the first run's trace is not cleared by the second Run
    assert len(first.trace.entries) == first_rows > 0
    assert panel.shown is second and panel.model.rowCount() == len(second.trace.entries)
    assert first.card and second.card and first.card != second.card

    page = panel.runs_page
    assert page.model.rowCount() == 2
    cells = page.model.cells(first)
    assert cells[0] == "1"
    assert cells[2] == "The Secret Application · Install The Secret Application"
    assert cells[3] == first.card and cells[4] == "Done" and float(cells[5]) > 0

    # show the first run's trace again
    panel.tabs.setCurrentWidget(page)
    page.table.selectRow(0)
    assert page.show_button.isEnabled()
    tap(qtbot, page.show_button)
    assert panel.shown is first and panel.model.rowCount() == first_rows
    assert panel.tabs.currentIndex() == 0  # the trace tab, with that run's rows
    panel.tabs.setCurrentWidget(page)

    # compare the two: aligned by command, differing APDUs highlighted
    page.table.selectAll()
    assert page.compare_button.isEnabled()
    qtbot.mouseClick(page.compare_button, Qt.MouseButton.LeftButton)
    rows = page.compare_model.rows
    assert rows and len(rows) == len(first.apdus())  # same script: nothing one-sided
    kinds = {r.kind for r in rows}
    assert Diff.SAME in kinds and Diff.CHANGED in kinds
    tint = Qt.ItemDataRole.BackgroundRole
    for i, r in enumerate(rows):
        shown = page.compare_model.data(page.compare_model.index(i, 1), tint)
        assert (shown is not None) == r.differs
        if r.kind is Diff.SAME:
            assert r.left is not None and r.right is not None and r.left.data == r.right.data
    # the host challenge is random: INITIALIZE UPDATE differs; SELECT of the ISD does not
    init = next(r for r in rows if r.left and r.left.name == "INITIALIZE UPDATE"
                and r.left.direction == ">>")
    assert init.kind is Diff.CHANGED and init.left.data != init.right.data  # type: ignore[union-attr]
    select = next(r for r in rows if r.left and r.left.name.startswith("SELECT"))
    assert select.kind is Diff.SAME
    assert "Run 1 (left) against run 2 (right)" in page.compare_label.text()


def test_save_exports_what_the_filter_shows_and_har(make_ctx: Any, qtbot: Any,
                                                    tmp_path: Path) -> None:
    ctx, panel = _tester(make_ctx, qtbot)
    _install(qtbot, panel, "saved")
    total = panel.model.rowCount()
    panel.filter_edit.setText("initialize update")
    shown = panel.visible_entries()
    assert 0 < len(shown) < total
    assert panel.save_text_button.text() == "Save shown as text…"
    assert panel.save_text_button.toolTip() == (
        f"Saves the {len(shown)} rows the filter shows (of {total})")

    text = panel.save_trace(str(tmp_path / "t.txt"), "txt")
    assert text is not None
    lines = text.read_text().splitlines()
    assert lines[0].startswith("# run 1: The Secret Application · Install")
    assert lines[1] == f"# {len(shown)} of {total} entries, as the filter shows them"
    assert lines[2] == "# filter text: 'initialize update'"
    body = [x for x in lines if not x.startswith("#")]
    assert len(body) == len(shown) and all("INITIALIZE UPDATE" in x or "<<" in x for x in body)
    assert f"{len(shown)} of {total} trace rows" in panel.status.text()
    saved = panel.save_trace(str(tmp_path / "t"), "json")
    assert saved is not None
    data = json.loads(saved.read_text())
    assert data["header"]["filtered"] is True and data["header"]["shown"] == len(shown)
    assert [e["apdu"] for e in data["entries"]] == [e.data.hex().upper() for e in shown]

    # the HTTP exchanges of the run, as HAR 1.2
    har_path = panel.save_har(str(tmp_path / "run"))
    assert har_path is not None and har_path.suffix == ".har"
    raw = har_path.read_text()
    doc = json.loads(raw)
    log = doc["log"]
    assert log["version"] == "1.2" and log["creator"]["name"]
    assert len(log["entries"]) == len(panel.http_model.exchanges) > 0
    for e in log["entries"]:
        assert set(e) >= {"startedDateTime", "time", "request", "response", "cache", "timings"}
        assert e["startedDateTime"].endswith("Z") and e["time"] >= 0
        req, rsp = e["request"], e["response"]
        assert set(req) >= {"method", "url", "httpVersion", "headers", "queryString",
                            "cookies", "headersSize", "bodySize"}
        assert req["url"].startswith(ctx.client_now().base_url)
        assert set(rsp) >= {"status", "statusText", "httpVersion", "headers", "cookies",
                            "content", "redirectURL", "headersSize", "bodySize"}
        assert set(rsp["content"]) >= {"size", "mimeType", "text"}
        assert {"send", "wait", "receive"} <= set(e["timings"])
        auth = [h["value"] for h in req["headers"] if h["name"].lower() == "authorization"]
        assert auth == ["***"]  # the device token's header is there, its value is not
    posts = [e for e in log["entries"] if e["request"]["method"] == "POST"]
    assert posts and all("postData" in e["request"] for e in posts)
    deliver = next(e for e in log["entries"] if e["request"]["url"].endswith("/service/deliver"))
    assert '"serviceId": "install"' in deliver["request"]["postData"]["text"]
    assert deliver["response"]["status"] == 200
    assert ctx.settings.token not in raw and "Bearer" not in raw
