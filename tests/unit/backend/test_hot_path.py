"""The delivery hot path's explicit statements: Core writes of ORM rows, elements recorded
once each, and a script restored from the database when the in-memory copy is gone."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from backend_stub.config import make_settings, sqlite_url
from backend_stub.engine.context import Engine
from backend_stub.server import create_app
from backend_stub.store.core import write_through
from backend_stub.store.db import Database
from backend_stub.store.models import App, ElementRow, Operation
from backend_stub.store.sealing import PREFIX
from cardsim.card import VirtualCard
from tests.helpers.capwriter import build_cap
from tests.helpers.tp_loop import TouchPoint

RUNNERS = pytest.mark.parametrize("async_driver", [False, True], ids=["thread", "async"])
APP_ID = "686f7470"
PACKAGE = bytes.fromhex("A00000061700" + APP_ID + "01")
APPLET = PACKAGE + b"\x01"


def _app(app_id: str) -> App:
    return App(app_id=app_id, key_hash="k", token_hash="t" + app_id, state="published",
               description={"name": {"en": app_id}}, settings={"a": 1}, created_at=0.0,
               updated_at=0.0)


@RUNNERS
async def test_write_through_folds_pending_changes_into_one_update(
        tmp_path: Path, async_driver: bool) -> None:
    db = Database(sqlite_url(tmp_path / "x.sqlite3", async_driver=async_driver))
    await db.migrate()
    await db.write(lambda s: s.add(_app("00000001")))
    updates: list[str] = []

    def _tx(s: Session) -> None:
        event.listen(s.connection(), "before_cursor_execute",
                     lambda *a: updates.append(a[2]) if a[2].startswith("UPDATE") else None)
        app = s.get(App, "00000001")
        assert app is not None
        app.state = "unpublished"  # an ORM change still pending
        write_through(s, app, settings={"b": 2})
        assert not s.is_modified(app)  # nothing left for the flush to write (or overwrite)
        assert (app.state, app.settings) == ("unpublished", {"b": 2})
        s.flush()

    await db.write(_tx)
    assert len(updates) == 1 and "state" in updates[0] and "settings" in updates[0]
    row = await db.read(lambda s: s.execute(select(App.state, App.settings)).one())
    assert tuple(row) == ("unpublished", {"b": 2})

    def _fails(s: Session) -> None:
        app = s.get(App, "00000001")
        write_through(s, app, state="published")
        raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        await db.write(_fails)  # the explicit UPDATE is part of the transaction
    assert await db.read(lambda s: s.execute(select(App.state)).scalar()) == "unpublished"
    await db.close()


async def test_write_through_of_a_new_object_rides_its_insert(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "x.sqlite3"))
    await db.migrate()

    def _tx(s: Session) -> None:
        app = _app("00000002")
        s.add(app)
        write_through(s, app, state="draft")

    await db.write(_tx)
    assert await db.read(lambda s: s.execute(select(App.state)).scalar()) == "draft"
    await db.close()


@pytest.fixture
async def backend(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Engine, str]]:
    settings = make_settings(tmp_path, device_token="D", admin_token="A")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            rsp = await http.post("/admin/apps", headers={"Authorization": "Bearer A"},
                                  json={"appId": APP_ID, "name": {"en": "hot"}})
            auth = httpx.BasicAuth(APP_ID, rsp.json()["appKey"])
            base = f"/v3/apps/{APP_ID}"
            cap = build_cap(PACKAGE, [APPLET], package_name="hot.path", code_size=3000)
            rsp = await http.post(f"{base}/capfiles", content=cap, auth=auth,
                                  headers={"Content-Type": "application/octet-stream"})
            recipe = {"description": {"title": {"en": "install"}}, "actions": [
                {"endpoint": "/ccm/install", "content": {
                    "id": rsp.json()["id"], "module": APPLET.hex().upper(),
                    "application": APPLET.hex().upper()}}]}
            (await http.put(f"{base}/services/install/recipe", json=recipe,
                            auth=auth)).raise_for_status()
            uninstall = {"description": {"title": {"en": "uninstall"}}, "actions": []}
            (await http.put(f"{base}/services/uninstall/recipe", json=uninstall,
                            auth=auth)).raise_for_status()
            yield http, app.state.engine, APP_ID


def _touchpoint(http: httpx.AsyncClient, wrap: Callable[[VirtualCard], Any] | None = None
                ) -> TouchPoint:
    """A test touch point on a fresh virtual card (seen through `wrap` when given)."""
    card = VirtualCard.create(None)
    card.power_on()
    return TouchPoint("http://t", "D", wrap(card) if wrap else card, client=http)


async def _elements(eng: Engine, cin: str) -> list[tuple[str, str]]:
    def _tx(s: Session) -> list[tuple[str, str]]:
        rows = s.execute(select(ElementRow.kind, ElementRow.aid).where(
            ElementRow.cin == cin).order_by(ElementRow.kind))
        return [(k, a) for k, a in rows]
    return await eng.db.read(_tx)


async def test_an_install_records_each_element_once(
        backend: tuple[httpx.AsyncClient, Engine, str]) -> None:
    http, eng, app_id = backend
    tp = _touchpoint(http)
    cin = tp.read_identity().cin
    applet = APPLET.hex().upper()

    def _known(s: Session) -> None:  # already recorded (an earlier install, say)
        s.add(ElementRow(cin=cin, app_id=app_id, kind="applet", aid=applet, parent=None,
                         created_by=None, created_at=0.0))

    await eng.db.write(_known)
    assert (await tp.run_service(app_id, "install")).success
    elements = await _elements(eng, cin)
    assert len(set(elements)) == len(elements)
    assert ("package", PACKAGE.hex().upper()) in elements
    assert elements.count(("applet", applet)) == 1


async def test_a_lost_script_is_restored_from_the_database(
        backend: tuple[httpx.AsyncClient, Engine, str]) -> None:
    """Every batch after the first is compiled by a script rebuilt from its stored state,
    as after a restart or on another worker."""
    http, eng, app_id = backend
    orig = http.send
    restored: list[str] = []

    async def forgetful(req: httpx.Request, **kw: Any) -> httpx.Response:
        if req.url.path == "/v3/connector/json":
            restored.extend(eng.scripts)
            eng.scripts.clear()
        return await orig(req, **kw)

    http.send = forgetful  # type: ignore[method-assign,assignment]
    tp = _touchpoint(http)
    tp.read_identity()
    result = await tp.run_service(app_id, "install")
    assert result.success, result.message
    assert restored  # there was a cached script to lose
    op = await eng.db.read(lambda s: s.execute(select(Operation.status, Operation.batches,
                                                      Operation.status_code)).one())
    assert op[0] == "done" and op[2] == 200 and op[1] >= 2


@RUNNERS
async def test_a_write_unit_sends_changed_rows_as_plain_updates(
        tmp_path: Path, async_driver: bool) -> None:
    db = Database(sqlite_url(tmp_path / "x.sqlite3", async_driver=async_driver))
    await db.migrate()
    await db.write(lambda s: (s.add(_app("00000001")), s.add(_app("00000002"))))
    flushed: list[bool] = []

    def _change(s: Session) -> None:
        event.listen(s, "before_flush", lambda *a: flushed.append(bool(s.dirty)))
        app = s.get(App, "00000001")
        assert app is not None
        app.state = "unpublished"

    await db.write(_change)
    assert flushed in ([], [False])  # written before commit: nothing left for a flush

    def _change_and_add(s: Session) -> None:  # a new row: the flush orders everything
        app = s.get(App, "00000002")
        assert app is not None
        app.state = "unpublished"
        s.add(_app("00000003"))

    await db.write(_change_and_add)
    rows = await db.read(lambda s: s.execute(select(App.app_id, App.state)
                                             .order_by(App.app_id)).all())
    assert [tuple(r) for r in rows] == [("00000001", "unpublished"),
                                        ("00000002", "unpublished"),
                                        ("00000003", "published")]


class _RefusesBlock:
    """A card that answers 6A80 to one LOAD block (as a card out of memory might)."""

    def __init__(self, card: VirtualCard, block: int) -> None:
        self.card, self.block = card, block

    def transmit(self, apdu: bytes) -> bytes:
        if apdu[1] == 0xE8 and apdu[3] == self.block:
            return b"\x6a\x80"
        return self.card.transmit(apdu)


async def test_a_refused_command_is_named_when_the_script_was_lost(
        backend: tuple[httpx.AsyncClient, Engine, str]) -> None:
    """The stored batch, not the lost in-memory script, says what each answer may be."""
    http, eng, app_id = backend
    orig = http.send

    async def forgetful(req: httpx.Request, **kw: Any) -> httpx.Response:
        if req.url.path == "/v3/connector/json":
            eng.scripts.clear()
        return await orig(req, **kw)

    http.send = forgetful  # type: ignore[method-assign,assignment]
    tp = _touchpoint(http, lambda card: _RefusesBlock(card, 3))
    tp.read_identity()
    result = await tp.run_service(app_id, "install")
    assert not result.success
    op = await eng.db.read(lambda s: s.execute(select(Operation.status_code,
                                                      Operation.message)).one())
    assert op[0] == 417
    assert op[1] == "the card answered 6A80 to LOAD (block 4 of 3)" or (
        "6A80" in op[1] and "LOAD (block 4 of" in op[1]), op[1]


async def test_secure_channel_state_is_sealed_while_it_runs_and_gone_after(
        backend: tuple[httpx.AsyncClient, Engine, str], tmp_path: Path) -> None:
    """The script state holds SCP session keys and the static DEK: sealed in the database
    file while the operation runs (store/sealing.py), cleared once it ends."""
    http, _eng, app_id = backend
    orig = http.send
    seen: list[str | None] = []

    async def peek(req: httpx.Request, **kw: Any) -> httpx.Response:
        if req.url.path == "/v3/connector/json":  # between two batches: the state is stored
            con = sqlite3.connect(tmp_path / "backend.sqlite3")
            seen.extend(r[0] for r in con.execute("SELECT script_state FROM operations"))
            con.close()
        return await orig(req, **kw)

    http.send = peek  # type: ignore[method-assign,assignment]
    tp = _touchpoint(http)
    tp.read_identity()
    assert (await tp.run_service(app_id, "install")).success
    assert seen and all(v is not None and v.startswith(PREFIX) for v in seen)
    con = sqlite3.connect(tmp_path / "backend.sqlite3")
    assert [r[0] for r in con.execute("SELECT script_state FROM operations")] == [None]
    con.close()
