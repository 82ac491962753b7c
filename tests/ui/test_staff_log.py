"""Issue 18 point 9: the staff log through the real staff panel, backend and virtual cards.

The table, the totals and the exported CSV say the same thing: one CSV line per
table row with the app, the service and the field values (secrets masked), ISO 8601
times with their offset; "Cards: N" counts the table's rows; cards/min only once
two cards were processed.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from app.personalisation import BatchRow
from tests.ui.conftest import run
from tests.ui.helpers import SECRET, tap
from tests.ui.test_staff_tester import _staff


def test_staff_log_rows_totals_and_csv_agree(make_ctx: Any, qtbot: Any,
                                             tmp_path: Path) -> None:
    ctx, panel = _staff(make_ctx, qtbot)
    qtbot.keyClicks(panel.fields.input("nickname"), "staff key")
    tap(qtbot, panel.start_button)
    first_card = ctx.hub.virtual.card
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20_000)
    assert panel.log.rows[0].result == "success"
    text = panel.totals.text()
    assert text.startswith("Cards: 1 · OK: 1") and "cards/min" not in text, text

    qtbot.waitUntil(lambda: panel.status.text() == "Take the card away")
    run(qtbot, ctx.hub.new_virtual_card(first_card))  # done already: skipped, a row
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=20_000)
    assert panel.log.rows[-1].result == "skipped"
    text = panel.totals.text()
    assert text.startswith("Cards: 2 · OK: 1 · Failed: 0 · Skipped: 1"), text
    assert "cards/min" not in text  # one card processed is still no rate

    qtbot.waitUntil(lambda: panel.status.text() == "Take the card away")
    run(qtbot, ctx.hub.new_virtual_card())
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=20_000)
    text = panel.totals.text()
    assert text.startswith(f"Cards: {panel.table.rowCount()} · OK: 2"), text
    assert text.endswith(" cards/min")
    rate = float(text.rsplit("· ", 1)[1].split()[0])
    processed = [r for r in panel.log.rows if r.result != "skipped"]
    span = processed[-1].time - (processed[0].time - processed[0].seconds)
    assert rate == round(2 / (span / 60), 1)
    tap(qtbot, panel.stop_button)

    out = tmp_path / "log.csv"
    assert panel.export_csv(str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == panel.table.rowCount() == 3
    for i, r in enumerate(rows):
        assert r["app"] == SECRET and r["service"] == "install"
        assert r["cin"] == panel.table.item(i, 1).text()
        when = dt.datetime.fromisoformat(r["time"])
        assert when.utcoffset() is not None  # an offset, not a naive local time
        assert abs(when.timestamp() - panel.log.rows[i].time) < 1
    assert rows[0]["field:nickname"] == "staff key"
    assert rows[2]["field:nickname"] == "staff key"


def test_staff_log_masks_a_secret_field(make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    """The payment card service (encrypted input): its value never reaches the CSV."""
    _ctx, panel = _staff(make_ctx, qtbot)
    panel.select(SECRET, "add-card")
    qtbot.waitUntil(lambda: "card" in {f.id for f in panel.fields.fields}, timeout=10_000)
    # the row the panel logs for a card of this service (its values as staff gave them)
    panel._add(BatchRow(0.0, "X", "failure", 0.0, "not delivered"),
               {"card": "4111111111111111;12/30;123"})
    out = tmp_path / "log.csv"
    assert panel.export_csv(str(out))
    text = out.read_text(encoding="utf-8")
    assert "4111" not in text and ";12/30;" not in text
    rows = list(csv.DictReader(text.splitlines()))
    assert rows[0]["field:card"] == "***" and rows[0]["service"] == "add-card"
