"""The tester runs a delivery given as a ws:// URL (fdsm's `--run ws://...`) over the
WebSocket protocol, on the bundled backend with the demo SP and the virtual card."""

from __future__ import annotations

from typing import Any

from app.identity import read_identity
from tests.ui.conftest import run
from tests.ui.helpers import SECRET, shown, tap
from ui.tester import panel as tester


async def _open_install(ctx: Any) -> str:
    """An install session opened over HTTP; the tester carries it over the WebSocket."""
    reader = ctx.hub.reader()
    info = await reader.connect()
    ident = await read_identity(reader.transmit, uid=info.uid, atr=info.atr)
    client = await ctx.client()
    opened = await client.start_delivery(SECRET, "install", ident.card_id(),
                                         {"nickname": "ws"})
    return str(opened.session_id)


def test_tester_runs_a_ws_url(make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    panel = shown(qtbot, tester.TesterPanel(ctx), (1400, 900), exposed=False)
    session_id = run(qtbot, _open_install(ctx))
    url = "ws" + ctx.settings.backend_url.removeprefix("http")
    panel.app_combo.setCurrentText("")  # the URL alone names the delivery
    panel.service_combo.setCurrentText(f"{url}/v3/ws/sessions/{session_id}")
    tap(qtbot, panel.run_button)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=20_000)
    assert panel.result.success, panel.result.error
    assert panel.result.session_id == session_id
    assert panel.status.text().startswith("Done: Your key store is ready.")
    names = [e.name for e in panel.model.entries if e.direction == ">>"]
    assert "INSTALL [for load] (secure)" in names
    # no HTTP polling of the delivery: only the upgrade, no fetch or connector call
    paths = [ex.path for ex in panel.http_model.exchanges]
    assert "/v3/connector/json" not in paths and "/v3/service/fetch" not in paths
