"""The UI's own small parts, without the backend: HTTP log, images, fields, idle timer, i18n."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from app.client import Field
from tests.ui.conftest import run
from ui.httplog import HttpLog, RecordingTransport


# -- HTTP log ----------------------------------------------------------------------------
def test_recording_transport_records_and_passes_through() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"ok": True, "echo": request.url.path})

    log = HttpLog(keep=2)
    seen: list[Any] = []
    log.subscribe(seen.append)

    async def go() -> Any:
        transport = RecordingTransport(log, httpx.MockTransport(handler))
        async with httpx.AsyncClient(transport=transport, base_url="http://x",
                                     headers={"Authorization": "Bearer SECRET"}) as c:
            for i in range(3):
                rsp = await c.post(f"/p{i}", json={"n": i})
                assert rsp.json()["echo"] == f"/p{i}"

    asyncio.run(go())
    assert len(seen) == 3 and len(log.exchanges) == 2  # bounded
    ex = log.exchanges[-1]
    assert (ex.method, ex.path, ex.status) == ("POST", "/p2", 200)
    assert '"n": 2' in ex.request_body and '"ok": true' in ex.response_body
    assert all("SECRET" not in str(e.to_json()) for e in log.exchanges)


# -- Qt pieces -----------------------------------------------------------------------------
def test_images_decode_and_fall_back(qapp: Any) -> None:
    from ui.images import ImageCache

    cache = ImageCache(allow_remote=False)
    svg = ("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='10' "
           "height='10'><rect width='10' height='10' fill='red'/></svg>")
    pm = cache.pixmap(svg, 64, "Demo")
    assert pm.width() == 64 and pm.toImage().pixelColor(32, 32).red() == 255
    for bad in ("data:text/html,<b>x</b>", "data:image/png;base64,!!!", "javascript:x", "",
                None, "data:image/png;base64,AAAA"):
        fallback = cache.pixmap(bad, 48, "Zeta")
        assert fallback.width() == 48 and not fallback.isNull()
    assert cache.pixmap("https://example.invalid/logo.png", 32, "Q").width() == 32


def test_fields_form_values_and_labels(qapp: Any, qtbot: Any) -> None:
    from PySide6.QtCore import QDate

    from ui.widgets.fields import FieldsForm

    form = FieldsForm()
    qtbot.addWidget(form)
    fields = (
        Field("name", "edit", {"en": "Name", "sv": "Namn"}),
        Field("ok", "checkbox", {"en": "Agree"}),
        Field("day", "date", {"en": "Day"}),
        Field("size", "option", {"en": "Size"}, ({"en": "S"}, {"en": "L", "sv": "Stor"})),
        Field("info", "text", {"en": "Just so you know"}),
    )
    form.build(fields, "en")
    qtbot.keyClicks(form.input("name"), "Ann")
    form.input("ok").setChecked(True)
    form.input("day").setDate(QDate(2030, 1, 2))
    form._choices["size"][1].setChecked(True)
    assert form.values() == {"name": "Ann", "ok": "true", "day": "2030-01-02", "size": "1"}
    form.relabel("sv")
    assert form._labels["name"].text() == "Namn"
    assert form._choices["size"][1].text() == "Stor"
    assert form._choices["size"][0].text() == "S"  # no Swedish: English
    assert form.input("name").accessibleName() == "Namn"
    assert form.needs_input()


def test_idle_watcher_warns_then_resets(qloop: Any, qtbot: Any) -> None:
    from ui.kiosk.idle import IdleWatcher

    idle = IdleWatcher(0.6, 0.4)
    events: list[str] = []
    idle.warn.connect(lambda _s: events.append("warn"))
    idle.reset.connect(lambda: events.append("reset"))
    idle.set_enabled(True)
    qtbot.waitUntil(lambda: "reset" in events, timeout=3000)
    assert events == ["warn", "reset"] and not idle.enabled
    idle.close()


def test_language_falls_back_to_english_chrome_without_qm(qapp: Any, tmp_path: Path) -> None:
    from ui.i18n import Language, supported

    assert supported("sv_SE.UTF-8") == "sv" and supported("fi") == "en" and supported(None) == "en"
    lang = Language("en", tmp_path)  # an empty directory: no .qm at all
    lang.set("es")
    assert lang.code == "es" and "es" in lang.missing
    lang.set("en")


def test_run_helper_returns_results(qloop: Any, qtbot: Any) -> None:
    async def f() -> int:
        await asyncio.sleep(0)
        return 7

    assert run(qtbot, f()) == 7
