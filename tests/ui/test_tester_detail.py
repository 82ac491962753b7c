"""The tester's APDU detail pane and GPPro-style logs, on a real run (bundled backend, virtual
card): a decoded CPLC and a wrapped command, the log parsed back, a replay of each kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel

from app import gpptrace
from app.tlvexplain import CPLC_FIELDS
from tests.ui.helpers import SECRET, refreshed_tester, run_to_fields, tap
from ui.tester import panel as tester


def _install(make_ctx: Any, qtbot: Any) -> tuple[Any, tester.TesterPanel]:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    panel = refreshed_tester(qtbot, ctx)
    panel.select(SECRET, "install")
    run_to_fields(qtbot, panel, "detail")
    tap(qtbot, panel.fields_send)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=30_000)
    assert panel.result.success, panel.result.error
    return ctx, panel


def _select(panel: tester.TesterPanel, row: int) -> None:
    panel.table.selectionModel().setCurrentIndex(
        panel.proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)


def _row_of(panel: tester.TesterPanel, test: Any) -> int:
    return next(i for i, e in enumerate(panel.model.entries) if test(e))


def test_detail_pane_explains_cplc_and_a_wrapped_command(make_ctx: Any, qtbot: Any,
                                                         tmp_path: Path) -> None:
    ctx, panel = _install(make_ctx, qtbot)
    detail = panel.tabs.detail
    card = ctx.hub.virtual.card
    # the CPLC answer row: the whole answer in hex and ASCII, the CPLC field by field
    row = _row_of(panel, lambda e: e.direction == "<<" and e.name == "GET DATA [CPLC]")
    _select(panel, row)
    qtbot.waitUntil(lambda: detail.explained is not None)
    rows = detail.rows()
    assert (1, "INS", "CA GET DATA [CPLC]") in rows
    cplc = card.profile.cin[-4:].hex().upper()  # cardsim's IC serial number is the CIN's end
    fields = {label: value for depth, label, value in rows if depth == 2}
    assert [label for label, _size in CPLC_FIELDS] == list(fields)
    assert fields["IC fabricator"] == "4353" and fields["IC serial number"] == cplc
    assert fields["operating system release date"] == "5326  (year digit 5, day 326)"
    hex_text = detail.hex.toPlainText()
    assert hex_text.startswith("Command\n0000  80 CA 9F 7F 00")
    assert "Answer\n0000  9F 7F 2A 43 53 00 01 43  |..*CS..C|\n0008  " in hex_text
    # hovering a value shows all of it (the CPLC hex is wider than its column)
    top = detail.tree.topLevelItem(1)  # GET DATA has no command data: no empty group
    assert top is not None and top.text(0) == "Answer"
    cplc_item = top.child(0)
    assert cplc_item.text(0) == "9F7F CPLC [42]"
    assert cplc_item.toolTip(1).replace("\n", "") == cplc_item.text(1)
    assert len(cplc_item.text(1)) == 84

    # a wrapped command in the SCP03 session the backend opened: MAC (and ciphertext) shown
    row = _row_of(panel, lambda e: e.direction == ">>" and e.name.startswith("INSTALL")
                  and e.name.endswith("(secure)"))
    _select(panel, row)
    qtbot.waitUntil(lambda: detail.explained is not None
                    and detail.explained.name.startswith("INSTALL"))
    rows = detail.rows()
    assert detail.explained.session.startswith("SCP03, C-MAC")
    assert any(label == "C-MAC [8]" for _d, label, _v in rows)
    cla = next(v for _d, label, v in rows if label == "CLA")
    assert cla == "84 proprietary (GlobalPlatform), secure messaging (GP), logical channel 0"
    if "C-DECRYPTION" in detail.explained.session:
        assert any(label.startswith("ciphertext [") for _d, label, _v in rows)
    else:
        assert any(label.startswith("load file AID") for _d, label, _v in rows)
    assert "secure channel: SCP03" in detail.title.text()
    # a note row: nothing to explain
    _select(panel, _row_of(panel, lambda e: e.direction == "--"))
    qtbot.waitUntil(lambda: detail.explained is None)
    assert "Select a row" in detail.title.text()
    panel.grab().save(str(tmp_path / "detail.png"))


def test_gppro_log_round_trip_and_replays(make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    _ctx, panel = _install(make_ctx, qtbot)
    entries = panel.trace.entries
    log = tmp_path / "run.txt"
    assert panel.gpp.save(str(log)) == log
    assert "Saved" in panel.gpp.status.text() and "whole trace" in panel.gpp.status.text()
    records = gpptrace.load(log)
    assert records == gpptrace.records_of(entries)  # the export parsed back equals the trace
    assert log.read_text().splitlines()[0].startswith("A>> T=1 (4+0000) 00A40400 00")

    # the whole run replayed: the secure channel cannot be, and the pane says why
    assert panel.gpp.open(str(log))
    assert panel.model.entries and "Opened" in panel.gpp.status.text()
    tap(qtbot, panel.gpp.replay_button)
    qtbot.waitUntil(lambda: panel.gpp.report is not None and not panel.gpp.replaying,
                    timeout=20_000)
    report = panel.gpp.report
    assert report is not None and not report.ok
    assert report.stopped and "do not verify on this session" in report.stopped
    assert "stopped: command" in panel.gpp.status.text()

    # the part before the secure channel (the identity reading): the same answers again
    plain = []
    for r in records:
        if r.note is None and r.command[1:2] == b"\x50":
            break
        plain.append(r)
    part = tmp_path / "identity.txt"
    part.write_text(gpptrace.export(plain))
    assert panel.gpp.open(str(part))
    panel.gpp.report = None
    tap(qtbot, panel.gpp.replay_button)
    qtbot.waitUntil(lambda: panel.gpp.report is not None and not panel.gpp.replaying,
                    timeout=20_000)
    assert panel.gpp.report.ok, panel.gpp.report.summary()
    n = sum(1 for r in plain if r.note is None)
    assert f"replayed {n} commands: {n} same answers, 0 different" in panel.gpp.status.text()
    assert len([e for e in panel.model.entries if e.direction == ">>"]) == n
