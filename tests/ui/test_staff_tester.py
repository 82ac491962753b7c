"""Staff mode over three virtual cards, and the tester's decoded APDU trace."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication

from tests.ui.conftest import run
from tests.ui.helpers import SECRET, refreshed_tester, run_to_fields, staff_for_install, tap
from ui.staff.panel import StaffPanel
from ui.tester import panel as tester


def _staff(make_ctx: Any, qtbot: Any) -> tuple[Any, StaffPanel]:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    return ctx, staff_for_install(qtbot, ctx)


def test_staff_processes_three_cards_and_exports_csv(make_ctx: Any, qtbot: Any,
                                                     tmp_path: Path) -> None:
    ctx, panel = _staff(make_ctx, qtbot)
    qtbot.keyClicks(panel.fields.input("nickname"), "staff key")
    tap(qtbot, panel.start_button)
    first_card = ctx.hub.virtual.card
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20_000)
    qtbot.waitUntil(lambda: panel.status.text() == "Take the card away")
    for n in (2, 3):
        run(qtbot, ctx.hub.new_virtual_card())  # the next card of the stack
        qtbot.waitUntil(lambda n=n: panel.table.rowCount() == n, timeout=20_000)
    assert [r.result for r in panel.log.rows] == ["success"] * 3
    assert len({r.cin for r in panel.log.rows}) == 3
    assert panel.table.item(0, 2).text() == "OK"
    assert panel.totals.text().startswith("Cards: 3 · OK: 3 · Failed: 0 · Skipped: 0 · ")
    assert panel.log.cards_per_minute() > 0

    out = tmp_path / "log.csv"
    assert panel.export_csv(str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 3
    assert [r["result"] for r in rows] == ["success"] * 3
    assert [r["cin"] for r in rows] == [r.cin for r in panel.log.rows]

    # the first card again: not delivered twice unless asked
    run(qtbot, ctx.hub.new_virtual_card(first_card))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 4, timeout=20_000)
    assert panel.log.rows[-1].result == "skipped"
    assert panel.log.rows[-1].cin == panel.log.rows[0].cin
    tap(qtbot, panel.stop_button)
    assert not panel.running


def test_staff_values_per_card_from_csv(make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    ctx, panel = _staff(make_ctx, qtbot)
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nx\n")
    assert not panel.load_csv(str(bad))
    assert "no column for: nickname" in panel.csv_label.text()
    good = tmp_path / "values.csv"
    good.write_text("nickname\nfirst\nsecond\n")
    assert panel.load_csv(str(good))
    assert "2 card rows" in panel.csv_label.text()
    tap(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20_000)
    run(qtbot, ctx.hub.new_virtual_card())
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=20_000)
    run(qtbot, ctx.hub.new_virtual_card())
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=20_000)
    # the third card has no row left: a clear failure, nothing delivered
    assert [r.result for r in panel.log.rows] == ["success", "success", "failure"]
    assert panel.log.rows[2].message.startswith("No row of the CSV file is left for this card")
    panel.stop()


def test_tester_runs_a_service_and_shows_a_decoded_trace(make_ctx: Any, qtbot: Any,
                                                         tmp_path: Path) -> None:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    panel = refreshed_tester(qtbot, ctx, (1400, 900))
    panel.select(SECRET, "install")
    # the service asks for a field: the tester answers in the panel
    run_to_fields(qtbot, panel, "tester")
    tap(qtbot, panel.fields_send)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=20_000)
    assert panel.result.success, panel.result.error
    assert panel.status.text().startswith("Done: Your key store is ready.")

    entries = panel.model.entries
    names = [e.name for e in entries if e.direction == ">>"]
    assert "SELECT" in names
    assert "INITIALIZE UPDATE" in names
    assert any(n.startswith("EXTERNAL AUTHENTICATE") for n in names)
    # a decoded row: time, direction, command, data, status word with meaning, duration
    cells = panel.model.cells(next(e for e in entries if e.direction == "<<" and e.sw == 0x9000))
    assert cells[1] == "from card" and cells[4] == "9000 OK"
    assert float(cells[5]) >= 0
    assert panel.model.headers()[4] == "Status word"

    # filter by text and by direction
    panel.filter_edit.setText("initialize update")
    shown = panel.visible_entries()
    assert shown and all(e.name == "INITIALIZE UPDATE" for e in shown)
    panel.direction_combo.setCurrentIndex(panel.direction_combo.findData(">>"))
    assert all(e.direction == ">>" for e in panel.visible_entries())
    panel.filter_edit.setText("")
    panel.direction_combo.setCurrentIndex(0)
    assert len(panel.visible_entries()) == len(entries)

    # copy the selected rows
    panel.select_rows([0, 1])
    text = panel.copy_selection()
    assert text == QGuiApplication.clipboard().text()
    assert len(text.splitlines()) == 2

    # save as text and JSON
    saved_txt = panel.save_trace(str(tmp_path / "trace.txt"), "txt")
    saved_json = panel.save_trace(str(tmp_path / "trace"), "json")
    assert saved_txt is not None and "INITIALIZE UPDATE" in saved_txt.read_text()
    assert saved_json is not None and saved_json.suffix == ".json"
    data = json.loads(saved_json.read_text())
    assert data["header"]["filtered"] is False and data["header"]["total"] == len(entries)
    assert any(d["name"] == "INITIALIZE UPDATE" and d["direction"] == ">>"
               for d in data["entries"])

    # the HTTP exchanges of the delivery, in the second tab
    paths = [ex.path for ex in panel.http_model.exchanges]
    assert "/v3/service/deliver" in paths and "/v3/connector/json" in paths
    row = paths.index("/v3/service/deliver")
    panel.tabs.setCurrentIndex(1)
    panel.http_table.selectRow(row)
    assert "POST /v3/service/deliver" in panel.http_detail.toPlainText()
    assert "sessionId" in panel.http_detail.toPlainText()
    assert ctx.settings.token not in panel.http_detail.toPlainText()


def test_tester_refuses_a_bad_backend_url(make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    panel = tester.TesterPanel(ctx)
    qtbot.addWidget(panel)
    panel.url_edit.setText("ftp://example")
    panel._connect()
    qtbot.waitUntil(lambda: "must start with http" in panel.backend_status.text())
    panel.url_edit.setText("http://127.0.0.1:9")  # nothing listens there
    panel._connect()
    qtbot.waitUntil(lambda: "The service cannot be reached" in panel.backend_status.text()
                    and "http://127.0.0.1:9" in panel.backend_status.text(), timeout=15_000)
    assert ctx.client_now() is not None  # the working backend is kept



def test_tester_picks_a_card_timing_profile(make_ctx: Any, qtbot: Any) -> None:
    """The tester's card timing applies to the virtual card, and to the next card too."""
    ctx = make_ctx(virtual_present=True, kiosk=False)
    panel = tester.TesterPanel(ctx)
    qtbot.addWidget(panel)
    combo = panel.timing.combo
    assert combo.currentData() == "none"
    assert [combo.itemData(i) for i in range(combo.count())] == [
        "none", "jcop4-contact", "jcop4-contactless", "desfire-ev1"]
    combo.setCurrentIndex(combo.findData("jcop4-contactless"))
    assert ctx.hub.virtual.timer.profile.name == "jcop4-contactless"
    fresh = run(qtbot, ctx.hub.new_virtual_card())
    assert fresh.timer.profile.name == "jcop4-contactless"
    combo.setCurrentIndex(combo.findData("none"))
    assert ctx.hub.virtual.timer.profile.name == "none"
