"""Issue 18, point 1: labels say one translated sentence and the next step, never an
exception's text, an HTTP method, a path or a status code (real widgets, the real backend
over HTTP, the virtual card).

A different card placed during "Place your card again" has its own sentence in the kiosk,
staff mode and the tester.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.delivery import Outcome
from cardsim.card import VirtualCard
from tests.ui.conftest import run
from tests.ui.helpers import (
    SECRET,
    ask_install,
    assert_no_technical_text,
    tap,
    wait_result,
)
from tests.ui.test_interrupted_ui import _tear_during_install, _tester
from tests.ui.test_kiosk_flow import kiosk  # noqa: F401  (the fixture)
from tests.ui.test_staff_tester import _staff
from ui.staff.gate import StaffGate
from ui.staff.panel import StaffPanel
from ui.tester import panel as tester

DIFFERENT = ("This is a different card: nothing was written to it. The service was stopped; "
             "place the card you started with and try again.")


def _swap_card(qtbot: Any, ctx: Any) -> None:
    """Another card (another CIN) on the reader the torn card left."""
    ctx.hub.virtual.card = VirtualCard.create(None)
    run(qtbot, ctx.hub.insert_virtual())


def _tester_detail_ok(text: str) -> None:
    """The tester may read a URL or an error's name, never "GET /v3/apps … HTTP 404"."""
    for bad in ("GET", "POST", "/v3/", "HTTP", "404"):
        assert bad not in text, (bad, text)


# -- staff: files, CSV, PIN ---------------------------------------------------------------
def test_staff_export_into_an_unwritable_folder_says_so_with_the_path(
        make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    _ctx, panel = _staff(make_ctx, qtbot)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    target = str(blocker / "log.csv")  # its "folder" is a file: even root cannot write there
    assert not panel.export_csv(target)
    text = panel.status.text()
    assert text == f"The log could not be saved to {target}. Choose another folder.", text
    assert "Not a directory" not in text and "Errno" not in text
    assert_no_technical_text(text.replace(target, ""))


def test_staff_csv_problems_are_sentences(make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    _ctx, panel = _staff(make_ctx, qtbot)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("nickname\nJosé\n".encode("latin-1"))
    assert not panel.load_csv(str(latin1))
    assert panel.csv_label.text() == (f"The file {latin1} is not a UTF-8 text file. Save it as "
                                      "CSV (UTF-8) and load it again.")
    missing = tmp_path / "missing.csv"
    missing.write_text("colour\nred\n", encoding="utf-8")
    assert not panel.load_csv(str(missing))
    assert panel.csv_label.text() == ("The CSV file has no column for: nickname. Add the columns "
                                      "and load the file again.")
    assert not panel.load_csv(str(tmp_path / "gone.csv"))
    assert panel.csv_label.text().startswith(f"The file {tmp_path / 'gone.csv'} could not be read")
    assert "No such file" not in panel.csv_label.text()


def test_staff_pin_of_the_wrong_length_is_a_sentence(make_ctx: Any, qtbot: Any,
                                                     tmp_path: Path) -> None:
    from app.pinstore import PinStore

    ctx = make_ctx(kiosk=False, pins=PinStore(tmp_path, use_keyring=False))
    gate = StaffGate(ctx)
    qtbot.addWidget(gate)
    gate.show()
    qtbot.keyClicks(gate.new_pin, "12")
    qtbot.keyClicks(gate.new_pin2, "12")
    tap(qtbot, gate.set_button)
    assert gate.message.text() == "The PIN must have 4 to 12 digits, and digits only."
    assert not ctx.pins.is_set()


# -- the desktop when the backend URL is wrong ----------------------------------------------
class _NotABackend(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"error": "not-found", "message": "no such route"}).encode()
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def not_a_backend() -> Iterator[str]:
    """An HTTP server that answers 404 to everything (a wrong URL, a web server)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotABackend)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_desktop_with_a_wrong_backend_url_shows_sentences(
        make_ctx: Any, qtbot: Any, not_a_backend: str) -> None:
    ctx = make_ctx(kiosk=False, virtual_present=True, connect=False)
    ctx.settings.backend_url = not_a_backend
    said: list[str] = []
    ctx.backend_failed.connect(said.append)
    staff = StaffPanel(ctx)
    qtbot.addWidget(staff)
    panel = tester.TesterPanel(ctx)
    qtbot.addWidget(panel)
    run(qtbot, ctx.start())
    assert ctx.client_now() is None and "404" in (ctx.error or "")  # the detail: in the log
    sentence = "The service cannot be reached. Check the network and try again."
    assert said == [sentence]
    qtbot.waitUntil(lambda: sentence in panel.backend_status.text(), timeout=10_000)
    _tester_detail_ok(panel.backend_status.text())
    staff.refresh()
    qtbot.waitUntil(lambda: staff.status.text() == sentence, timeout=10_000)
    assert_no_technical_text(staff.status.text())
    # the tester connects to it by hand: the sentence, the URL and the error's name
    panel.url_edit.setText(not_a_backend)
    panel._connect()
    qtbot.waitUntil(lambda: not_a_backend in panel.backend_status.text(), timeout=10_000)
    text = panel.backend_status.text()
    assert text == f"{sentence} ({not_a_backend}, BackendUnavailableError)", text
    _tester_detail_ok(text.replace(not_a_backend, ""))


# -- a different card back during "Place your card again" ---------------------------------
def test_staff_different_card_has_its_own_sentence(make_ctx: Any, qtbot: Any) -> None:
    ctx, panel = _staff(make_ctx, qtbot)
    panel.again.setChecked(True)
    qtbot.keyClicks(panel.fields.input("nickname"), "staff key")
    ctx.hub.virtual.card.arm_tear(8)
    tap(qtbot, panel.start_button)
    box = panel.replace_card
    qtbot.waitUntil(lambda: box.isVisibleTo(panel), timeout=20_000)
    _swap_card(qtbot, ctx)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20_000)
    row = panel.log.rows[0]
    assert row.result == "different-card"
    assert row.message == DIFFERENT, row.message
    assert panel.table.item(0, 2).text() == "Different card"  # type: ignore[union-attr]
    assert_no_technical_text(row.message)
    tap(qtbot, panel.stop_button)


def test_tester_different_card_has_its_own_sentence(make_ctx: Any, qtbot: Any) -> None:
    ctx, panel = _tester(make_ctx, qtbot)
    _tear_during_install(qtbot, ctx, panel)
    _swap_card(qtbot, ctx)
    qtbot.waitUntil(lambda: panel.result is not None and panel.live is None, timeout=30_000)
    assert panel.result.outcome is Outcome.DIFFERENT_CARD, panel.result.error
    text = panel.status.text()
    assert DIFFERENT in text, text
    _tester_detail_ok(text.split("—")[0])  # then its figures: APDUs, HTTP round trips


def test_kiosk_different_card_has_its_own_sentence(kiosk: Any, qtbot: Any) -> None:  # noqa: F811
    ctx, view = kiosk
    tap(qtbot, view.attract.demo_button)
    qtbot.waitUntil(lambda: view.screen_name == "apps", timeout=20_000)
    first = run(qtbot, ctx.client_now().device_apps(view.ident.cin_hex))[SECRET]
    cin = view.ident.cin_hex
    ask_install(qtbot, view, "other")
    ctx.hub.virtual.card.arm_tear(2)  # during the secure channel's opening
    tap(qtbot, view.service.confirm_button)
    box = view.flow.replace_card()
    qtbot.waitUntil(lambda: box.isVisibleTo(view), timeout=10_000)
    _swap_card(qtbot, ctx)
    wait_result(qtbot, view)
    svc = view.service
    assert view.last_result.outcome is Outcome.DIFFERENT_CARD
    assert svc.result_title.text() == "A different card was placed"
    assert svc.result_hint.text() == DIFFERENT
    for label in (svc.result_title, svc.result_hint, svc.result_text):
        assert_no_technical_text(label.text())
    # true to the sentence: the first card's app did not change (nothing ran that adds)
    assert run(qtbot, ctx.client_now().device_apps(cin))[SECRET] == first


# -- ui/usertext.py on its own ------------------------------------------------------------
def test_usertext_sentences_of_errors(qapp: Any) -> None:
    from app.errors import NotFoundError, ServerError
    from app.personalisation import BatchError, ValueSource
    from app.reattach import DifferentCardError
    from ui.usertext import batch_sentence, error_sentence, technical_sentence

    assert error_sentence(DifferentCardError("x")) == DIFFERENT
    served = ServerError("POST /v3/service/deliver: boom", status=500, code="internal")
    text = technical_sentence(served)
    assert text == ("The service is not available right now. Try again in a few minutes. "
                    "(ServerError: internal)")
    assert_no_technical_text(text)
    assert_no_technical_text(technical_sentence(NotFoundError("GET /v3/apps/x", status=404)))
    sentences = []
    for csv_text in ("", "cin,nickname\nAA,x\nAA,y\n", "nickname\na,b\n", "nickname\n\n"):
        with pytest.raises(BatchError) as caught:
            ValueSource.from_csv(csv_text, ["nickname"])
        sentences.append(batch_sentence(caught.value))
    assert sentences == [
        "The CSV file has no rows of values. Choose another file.",
        "Card AA appears twice in the CSV file (line 3). Correct it and load the file again.",
        "Line 2 of the CSV file has more values than columns. Correct it and load the file "
        "again.",
        "The CSV file has no rows of values. Choose another file."]
    source = ValueSource.from_csv("nickname\na\n", ["nickname"])
    source.values_for("01")
    with pytest.raises(BatchError) as caught:
        source.values_for("02")
    assert batch_sentence(caught.value).startswith("No row of the CSV file is left for this card")
