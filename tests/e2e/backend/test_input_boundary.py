"""Issue 14, points 1-9, through real HTTP: bad input is a 400 naming the field, nothing
stored changes, no session hangs, one bad row never breaks another SP's catalog, and a
normal delivery still works afterwards."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from backend_stub.runner import free_port
from tests.e2e.backend.conftest import HELLO, SECRET, TEST_APP, Backend
from tests.e2e.backend.test_bad_input import check
from tests.helpers.tp_loop import TouchPoint

LONE = b'"\\ud800"'  # a lone surrogate, as a JSON escape
CARD = {"iin": "11", "cin": "C0FFEE14", "platformVersion": 3}


@pytest.fixture
async def client(backend: Backend) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=backend.url, timeout=30) as c:
        yield c


async def normal_delivery_works(backend: Backend, tp: TouchPoint) -> None:
    result = await tp.run_service(HELLO, "install")
    assert result.success, result
    assert (await tp.apps())[HELLO] == "Installed"


async def catalogs_answer(backend: Backend, c: httpx.AsyncClient) -> None:
    """Every listing answers 200 for every kind of caller."""
    assert (await c.get("/admin/apps", headers=backend.admin())).status_code == 200
    assert (await c.get(f"/v3/devices/{CARD['cin']}/apps",
                        headers=backend.device())).status_code == 200
    assert (await c.get(f"/v3/apps/{SECRET}", headers=backend.device())).status_code == 200


def put_raw(c: httpx.AsyncClient, url: str, raw: bytes, **kw: Any) -> Any:
    return c.put(url, content=raw, headers={"Content-Type": "application/json",
                                            **kw.pop("headers", {})}, **kw)


async def test_1_lone_surrogates_are_refused_before_anything_is_stored(
        backend: Backend, client: httpx.AsyncClient, quiet_session: dict[str, Any],
        tp: TouchPoint) -> None:
    auth = quiet_session["auth"]
    before = backend.snapshot()
    url = f"/v3/apps/{TEST_APP}"
    check(await put_raw(client, url, b'{"name":{"en":' + LONE + b"}}", auth=auth), 400,
          "name.en", "invalid")
    check(await put_raw(client, url, b'{"name":{"en":"ok"},"organization":{"name":{"en":'
                        + LONE + b"}}}", auth=auth), 400, "organization.name.en")
    check(await put_raw(client, f"{url}/services/r14/recipe",
                        b'{"description":{"title":{"en":' + LONE + b"}}}", auth=auth), 400,
          "description.title.en")
    check(await put_raw(client, f"{url}/services/r14/recipe",
                        b'{"description":{"title":{"en":"t"}},"successMessage":{"en":'
                        + LONE + b"}}", auth=auth), 400, "successMessage.en")
    check(await client.post("/service/completed", content=b'{"success":true,"message":{"en":'
                            + LONE + b"}}", auth=auth, headers={
                                "sessionId": quiet_session["session"],
                                "Content-Type": "application/json"}), 400, "message.en")
    check(await client.post("/admin/apps", content=b'{"name":{"en":' + LONE + b"}}",
                            headers=backend.admin()), 400, "name.en")
    # a key can be the bad part too; the error names it without breaking itself
    check(await put_raw(client, url, b'{"name":{' + LONE + b':"x"}}', auth=auth), 400,
          "name.\\ud800")
    assert backend.snapshot() == before
    await catalogs_answer(backend, client)
    await normal_delivery_works(backend, tp)


async def test_2_deep_nesting_is_refused_and_a_deep_document_still_served(
        backend: Backend, client: httpx.AsyncClient, quiet_session: dict[str, Any],
        tp: TouchPoint) -> None:
    auth = quiet_session["auth"]
    url = f"/v3/apps/{TEST_APP}"
    old = (await client.get(url, auth=auth)).json()
    before = backend.snapshot()
    for depth in (65, 256, 300):
        deep = b'{"name":{"en":"x"},"extra":' + b"[" * depth + b"]" * depth + b"}"
        resp = await put_raw(client, url, deep, auth=auth)
        check(resp, 400, None, "invalid")
        assert resp.json()["field"].startswith("extra.0.0.0")
    assert backend.snapshot() == before
    assert (await client.get(url, auth=auth)).json() == old
    # within the limit: stored and served again, to every listing
    ok = {**{k: v for k, v in old.items() if k not in ("appId", "state")},
          "extra": json.loads("[" * 60 + "]" * 60)}
    assert (await client.put(url, json=ok, auth=auth)).status_code == 200
    assert (await client.get(url, auth=auth)).json()["extra"] == ok["extra"]
    await catalogs_answer(backend, client)
    restore = {k: v for k, v in old.items() if k not in ("appId", "state")}
    assert (await client.put(url, json=restore, auth=auth)).status_code == 200
    await normal_delivery_works(backend, tp)


async def test_3_a_bad_field_value_opens_no_session(backend: Backend,
                                                   client: httpx.AsyncClient,
                                                   tp: TouchPoint) -> None:
    before = backend.snapshot()
    ident = tp.read_identity()
    card = {"iin": ident.iin, "cin": ident.cin, "platformVersion": 3}
    body = json.dumps({"appId": SECRET, "serviceId": "install", "cardId": card})
    raw = body[:-1].encode() + b',"fields":{"nickname":' + LONE + b"}}"
    check(await client.post("/v3/service/deliver", content=raw, headers={
        **backend.device(), "Content-Type": "application/json"}), 400, "fields.nickname")
    assert backend.snapshot() == before  # no session, no device row, no state
    # no 409 afterwards: the same app on the same card installs at once
    result = await tp.run_service(SECRET, "install", {"nickname": "fine"})
    assert result.success, result
    assert (await tp.apps())[SECRET] == "Installed"
    await normal_delivery_works(backend, tp)


async def _sp_app(backend: Backend, c: httpx.AsyncClient, app_id: str,
                  delivery_url: str) -> httpx.BasicAuth:
    demo = backend.runner.demo_url
    created = await c.post("/admin/apps", headers=backend.admin(), json={
        "appId": app_id, "serviceDescriptionUrl": f"{demo}/description",
        "serviceDeliveryUrl": delivery_url})
    assert created.status_code == 201, created.text
    auth = httpx.BasicAuth(app_id, created.json()["appKey"])
    assert (await c.put(f"/v3/apps/{app_id}/services/install", auth=auth)).status_code == 201
    desc = {"name": {"en": "Refusing SP"}, "installServices": ["install"]}
    assert (await c.put(f"/v3/apps/{app_id}", json=desc, auth=auth)).status_code == 200
    return auth


@pytest.mark.parametrize(("app_id", "where", "expect"), [
    # the SP answers 401: the backend's own SP API, called without credentials
    ("5e551401", "self", "HTTP 401"),
    ("5e551402", "closed", "cannot be reached"),
])
async def test_4_an_sp_refusing_the_delivery_ends_it_at_once(
        backend: Backend, client: httpx.AsyncClient, tp: TouchPoint, app_id: str,
        where: str, expect: str) -> None:
    url = f"{backend.url}/transceive" if where == "self" else \
        f"http://127.0.0.1:{free_port()}/service"
    await _sp_app(backend, client, app_id, url)
    for _ in range(2):  # and again: the first left nothing running (no 409)
        start = time.monotonic()
        result = await tp.run_service(app_id, "install", {"nickname": "n"})
        assert time.monotonic() - start < 10
        assert not result.success and result.session_id is not None, result
        assert expect in result.message["en"], result.message
        # it never reached the card: the state stays as it was
        assert result.status["appState"] == "NotInstalled"
        assert (await tp.apps())[app_id] == "NotInstalled"
        session = await backend.session(result.session_id or "")
        assert session["phase"] == "done" and session["apdusCarried"] == 0
    await normal_delivery_works(backend, tp)


async def test_4_an_unreachable_callback_ends_the_delivery_at_once(
        backend: Backend, client: httpx.AsyncClient, tp: TouchPoint) -> None:
    app_id = "5e551403"
    auth = await _sp_app(backend, client, app_id, f"{backend.runner.demo_url}/callback")
    resp = await tp.deliver(app_id, "install", {"nickname": "n"})
    assert resp.status_code == 200, resp.text
    session_id = resp.json()["sessionId"]
    op = await client.post("/transceive", json={"commands": ["00A4040000"]}, auth=auth,
                           headers={"sessionId": session_id,
                                    "callbackUrl": f"http://127.0.0.1:{free_port()}/cb"})
    assert op.status_code == 200, op.text
    start = time.monotonic()
    result = await tp.follow(session_id)  # carries the operation, then sees the end
    assert time.monotonic() - start < 10
    assert not result.success and "callback URL cannot be reached" in result.message["en"]
    # a failed install whose only command (a SELECT) changed nothing keeps its state
    # (issue 18: Unstable only when a command that adds or removes elements may have run)
    assert result.status["appState"] == "NotInstalled"
    for _ in range(200):  # the callback is still retried as scheduled, then given up
        callback = (await backend.session(session_id))["operations"][0]["callback"]
        if callback["gaveUp"]:
            break
        await asyncio.sleep(0.05)
    assert callback["gaveUp"] and callback["lastError"].endswith("ConnectError"), callback
    await normal_delivery_works(backend, tp)


async def test_5_a_trailing_newline_is_no_valid_id(backend: Backend, client: httpx.AsyncClient,
                                                  quiet_session: dict[str, Any],
                                                  tp: TouchPoint) -> None:
    auth = quiet_session["auth"]
    before = backend.snapshot()
    check(await client.post("/admin/apps", json={"appId": "f0220009\n"},
                            headers=backend.admin()), 400, "appId")
    check(await client.put(f"/v3/apps/{TEST_APP}/services/install%0A", auth=auth), 400,
          "serviceId")
    check(await client.put(f"/v3/apps/{TEST_APP}/services/r14%0A/recipe", auth=auth,
                           json={"description": {"title": {"en": "t"}}}), 400, "serviceId")
    check(await client.get(f"/v3/apps/{TEST_APP}%0A", auth=auth), 400, "appId")
    check(await client.put(f"/v3/apps/{TEST_APP}", auth=auth,
                           json={"name": {"en\n": "x"}}), 400, "name.en\n")
    check(await client.post("/v3/service/deliver", headers=backend.device(), json={
        "appId": f"{SECRET}\n", "serviceId": "install", "cardId": CARD}), 400, "appId")
    check(await client.put(f"/v3/apps/{TEST_APP}", auth=auth,
                           json={"name": {"en": "x"}, "currency": "EUR\n"}), 400, "currency")
    check(await client.get("/v3/devices/C0FFEE%0A", headers=backend.device()), 400, "cin")
    assert backend.snapshot() == before
    await normal_delivery_works(backend, tp)


@pytest.mark.parametrize(("method", "path"), [
    ("PUT", f"/v3/apps/{TEST_APP}"), ("PUT", f"/v3/apps/{TEST_APP}/services/r14/recipe"),
    ("POST", "/admin/apps"), ("PUT", "/admin/card-keys"),
    ("PUT", f"/admin/apps/{TEST_APP}/credentials"), ("POST", "/v3/service/deliver"),
    ("POST", "/transceive")])
async def test_6_very_deep_nesting_is_a_400_on_every_route(
        backend: Backend, client: httpx.AsyncClient, quiet_session: dict[str, Any],
        method: str, path: str) -> None:
    before = backend.snapshot()
    raw = b"[" * 100_000 + b"]" * 100_000
    headers = {"Content-Type": "application/json", "sessionId": quiet_session["session"],
               **(backend.admin() if path.startswith("/admin") else {})}
    auth = None if path.startswith("/admin") else quiet_session["auth"]
    check(await client.request(method, path, content=raw, headers=headers, auth=auth), 400,
          "body", "invalid")
    obj = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    check(await client.request(method, path, content=obj, headers=headers, auth=auth), 400,
          "body", "invalid")
    assert backend.snapshot() == before


async def test_6_then_a_delivery_works(backend: Backend, tp: TouchPoint) -> None:
    await normal_delivery_works(backend, tp)


@pytest.mark.parametrize("value", [2 ** 63, 2 ** 64 + 5, -(2 ** 63) - 1, 2 ** 31])
async def test_7_integers_beyond_the_columns_are_a_400(backend: Backend,
                                                      client: httpx.AsyncClient,
                                                      tp: TouchPoint, value: int) -> None:
    before = backend.snapshot()
    h = backend.device()
    for key in ("batchId", "platformVersion", "osTypeVersion"):
        check(await client.put(f"/v3/devices/{CARD['cin']}", headers=h,
                               json={"iin": "11", key: value}), 400, key)
    check(await client.post("/v3/service/deliver", headers=h, json={
        "appId": SECRET, "serviceId": "install", "cardId": {**CARD, "platformVersion": value}}),
        400, "cardId.platformVersion")
    assert backend.snapshot() == before
    await normal_delivery_works(backend, tp)


async def test_8_html_in_names_is_plain_text(backend: Backend, client: httpx.AsyncClient,
                                             quiet_session: dict[str, Any],
                                             tp: TouchPoint) -> None:
    """Names are plain text: stored and answered exactly as given (the kiosk shows them
    with Qt.PlainText, tests/ui/test_plain_names.py)."""
    auth = quiet_session["auth"]
    url = f"/v3/apps/{TEST_APP}"
    old = (await client.get(url, auth=auth)).json()
    name = {"en": "<b>Bold</b> <img src=x onerror=alert(1)> & Co"}
    desc = {**{k: v for k, v in old.items() if k not in ("appId", "state")},
            "name": name, "organization": {"name": {"en": "<i>Org</i>"}}}
    assert (await client.put(url, json=desc, auth=auth)).status_code == 200
    got = (await client.get(url, auth=auth)).json()
    assert got["name"] == name and got["organization"] == {"name": {"en": "<i>Org</i>"}}
    listed = {a["appId"]: a["name"] for a in
              (await client.get("/admin/apps", headers=backend.admin())).json()}
    assert listed[TEST_APP] == name
    assert (await client.put(url, json={**desc, "name": old["name"]},
                             auth=auth)).status_code == 200
    await normal_delivery_works(backend, tp)


async def test_9_openapi_declares_patterns_codes_and_the_error_body(
        backend: Backend, client: httpx.AsyncClient) -> None:
    doc = (await client.get("/openapi.json")).json()
    assert doc["components"]["schemas"]["Error"]["required"] == ["error", "message"]
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert "422" not in op["responses"], (method, path)
            for p in op.get("parameters", []):
                if p["in"] == "path":
                    assert p["schema"].get("pattern"), (method, path, p["name"])
            if path != "/health":
                assert op["responses"]["401"]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"}, (method, path)
            if method in ("post", "put"):
                assert {"400", "413"} <= set(op["responses"]), (method, path)
    assert {"201", "403", "404"} <= set(
        doc["paths"]["/v3/apps/{appId}/services/{serviceId}"]["put"]["responses"])
    assert {"204", "404", "503"} <= set(doc["paths"]["/v3/service/fetch"]["post"]["responses"])
    # a 405 says what is allowed
    resp = await client.delete("/v3/service/deliver", headers=backend.device())
    assert resp.status_code == 405 and resp.headers["allow"] == "POST"
    resp = await client.patch(f"/v3/apps/{SECRET}", headers=backend.device())
    assert resp.status_code == 405 and set(resp.headers["allow"].split(", ")) == {"GET", "PUT"}


def _sqlite(backend: Backend, sql: str, *args: Any) -> None:
    con = sqlite3.connect(backend.db_path, timeout=10)
    try:
        con.execute(sql, args)
        con.commit()
    finally:
        con.close()


async def test_a_stored_row_that_cannot_be_served_is_skipped_and_can_be_deleted(
        backend: Backend, client: httpx.AsyncClient, tp: TouchPoint) -> None:
    """Rows stored before the boundary existed: one broken app never breaks the others."""
    bad, deep = "5e5514ba", "5e5514bb"
    for app_id in (bad, deep):
        assert (await client.post("/admin/apps", headers=backend.admin(),
                                  json={"appId": app_id})).status_code == 201
    broken = {bad: '{"name": {"en": "\\ud800"}}',
              deep: '{"name": ' + "[" * 300 + "]" * 300 + "}"}
    for app_id, text in broken.items():
        if backend.db_url is None:
            _sqlite(backend, "UPDATE apps SET description = ? WHERE app_id = ?", text, app_id)
        else:
            await _pg(backend.db_url, "UPDATE apps SET description = $1::json WHERE "
                      "app_id = $2", text, app_id)
    listed = await client.get("/admin/apps", headers=backend.admin())
    assert listed.status_code == 200
    ids = {a["appId"] for a in listed.json()}
    assert SECRET in ids and HELLO in ids and not ids & {bad, deep}
    apps = await tp.apps()
    assert apps[SECRET] and bad not in apps and deep not in apps
    resp = await client.get(f"/v3/apps/{bad}", headers=backend.device())
    check(resp, 500, "appId", "bad-stored-document")
    # the way out: the admin removes the app (its SP could also PUT a new description)
    assert (await client.delete(f"/admin/apps/{bad}", headers=backend.admin())).status_code \
        == 204
    check(await client.delete(f"/admin/apps/{bad}", headers=backend.admin()), 404, "appId")
    check(await client.get(f"/v3/apps/{bad}", headers=backend.device()), 404, "appId")
    # ... or a new description replaces the broken one, and the app is listed again
    fresh = await client.put(f"/v3/apps/{deep}", headers=backend.admin(),
                             json={"name": {"en": "Mended"}})
    assert fresh.status_code == 200, fresh.text
    listed = (await client.get("/admin/apps", headers=backend.admin())).json()
    assert {"appId": deep, "state": "published", "name": {"en": "Mended"}} in listed
    assert (await client.delete(f"/admin/apps/{deep}", headers=backend.admin())).status_code \
        == 204
    await normal_delivery_works(backend, tp)


async def _pg(url: str, sql: str, *args: Any) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute(sql, *args)
    finally:
        await conn.close()


async def test_admin_delete_app_removes_everything_stored_for_it(
        backend: Backend, client: httpx.AsyncClient, tp: TouchPoint) -> None:
    app_id = "5e5514de"
    created = await client.post("/admin/apps", headers=backend.admin(), json={"appId": app_id})
    auth = httpx.BasicAuth(app_id, created.json()["appKey"])
    recipe = {"description": {"title": {"en": "R"}},
              "actions": [{"endpoint": "/transceive", "content": {"commands": ["00A4040000"]}}]}
    assert (await client.put(f"/v3/apps/{app_id}/services/go/recipe", json=recipe,
                             auth=auth)).status_code == 201
    assert (await client.put(f"/v3/apps/{app_id}", auth=auth, json={
        "name": {"en": "Doomed"}, "installServices": ["go"]})).status_code == 200
    result = await tp.run_service(app_id, "go")
    assert result.success and result.status["appState"] == "Installed"
    check(await client.delete(f"/admin/apps/{app_id}", headers=backend.device()), 401, None)
    check(await client.delete(f"/admin/apps/{app_id}", auth=auth), 401, None)
    before = backend.snapshot()
    # a card holds it: refused unless forced, and nothing changes
    check(await client.delete(f"/admin/apps/{app_id}", headers=backend.admin()), 409, "appId")
    assert backend.snapshot() == before
    assert (await client.delete(f"/admin/apps/{app_id}", params={"force": "true"},
                                headers=backend.admin())).status_code == 204
    snap = backend.snapshot()
    for table, rows in snap.items():
        assert not any(app_id in map(str, row) for row in rows), table
    check(await client.get(f"/v3/apps/{app_id}", headers=backend.device()), 404, "appId")
    check(await client.delete("/admin/apps/0000abcd", headers=backend.admin()), 404, "appId")
    await normal_delivery_works(backend, tp)
