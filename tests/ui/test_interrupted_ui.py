"""Issue 18, point 1 in staff mode and the tester, real widgets over HTTP and the virtual card.

A card pulled mid-install leaves a row with one sentence and the next step (no HTTP
method, path or status code); the same card back is repaired (uninstall with the
purge, then the install) when its app is Unstable; a refused install says so in a
sentence too.
"""

from __future__ import annotations

import re
from typing import Any

from tests.ui.conftest import run
from tests.ui.helpers import SECRET, tap
from tests.ui.test_staff_tester import _staff
from ui.tester import panel as tester

TECHNICAL = re.compile(r"\b(GET|POST|PUT|DELETE|HTTP)\b|/v3/|\b[45]\d\d\b")


def test_staff_torn_card_is_repaired_when_it_comes_back(make_ctx: Any, qtbot: Any) -> None:
    ctx, panel = _staff(make_ctx, qtbot)
    assert panel.repair.isChecked() and panel.repair.text()
    panel.again.setChecked(True)
    qtbot.keyClicks(panel.fields.input("nickname"), "staff key")
    card = ctx.hub.virtual.card
    card.arm_tear(8)  # the 9th APDU of the install loses the card
    tap(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20_000)
    row = panel.log.rows[0]
    assert row.result == "card-removed"
    assert "Place it on the reader and try again" in row.message, row.message
    assert not TECHNICAL.search(row.message), row.message
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
    assert not TECHNICAL.search(refused.message), refused.message
    tap(qtbot, panel.stop_button)


def test_tester_refusal_is_a_sentence_and_the_detail_stays_in_the_trace(
        make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    panel = tester.TesterPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    qtbot.waitUntil(lambda: panel.picker.app_combo.count() >= 2, timeout=10_000)
    panel.picker.select(SECRET, "uninstall")  # NotInstalled: the backend refuses (412)
    tap(qtbot, panel.run_button)
    qtbot.waitUntil(lambda: panel.result is not None and panel.live is None, timeout=20_000)
    text = panel.status.text()
    assert "Choose another action" in text, text
    assert not TECHNICAL.search(text.split("—")[0]), text
