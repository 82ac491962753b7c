"""A delivery never waits on a failed step: a crash of the task that starts an SP delivery
ends the session at once, and a failure that never reached the card keeps the state."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from backend_stub.config import make_settings
from backend_stub.engine.context import Engine
from backend_stub.engine.delivery import start_sp_delivery
from backend_stub.engine.flow import get_state
from backend_stub.runner import free_port
from backend_stub.server import create_app
from backend_stub.store.models import DeliverySession

APP_ID = "5e551499"


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    settings = make_settings(tmp_path, device_token="D", admin_token="A")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            rsp = await http.post("/admin/apps", headers={"Authorization": "Bearer A"}, json={
                "appId": APP_ID,
                "serviceDeliveryUrl": f"http://127.0.0.1:{free_port()}/service"})
            assert rsp.status_code == 201, rsp.text
        yield app.state.engine


async def _session(eng: Engine, fields: dict[str, Any]) -> str:
    """A running SP session as an older backend could have stored it (no input boundary)."""
    sid = str(uuid.uuid4())
    now = eng.clock()

    def _tx(s: Session) -> None:
        s.add(DeliverySession(
            id=sid, app_id=APP_ID, service_id="install", service_kind="install", cin="C0FFEE",
            iin="11", platform_version=3, fields=fields, description={"title": {"en": "t"}},
            recipe=None, phase="running", prior_state="NotInstalled", added=False,
            removed=False, apdus_carried=0, created_at=now, last_device_at=now,
            last_progress_at=now))

    await eng.db.write(_tx)
    return sid


async def _ended(eng: Engine, sid: str) -> tuple[DeliverySession, str]:
    def _tx(s: Session) -> tuple[DeliverySession, str]:
        sess = s.get(DeliverySession, sid)
        assert sess is not None
        return sess, get_state(s, sess.cin, APP_ID).value
    return await eng.db.read(_tx)


async def test_a_crash_of_the_start_task_ends_the_session_at_once(engine: Engine) -> None:
    # a lone surrogate cannot be encoded for the SP: the task crashes (UnicodeEncodeError)
    sid = await _session(engine, {"nickname": "\ud800"})
    await start_sp_delivery(engine, sid)  # returns: it does not leave the session hanging
    sess, state = await _ended(engine, sid)
    assert sess.phase == "done" and sess.success is False
    assert sess.message == {"en": "The delivery could not start: the backend failed "
                                  "(UnicodeEncodeError)."}
    assert state == "NotInstalled" and sess.final_state == "NotInstalled"


async def test_an_unreachable_sp_ends_the_session_and_keeps_the_state(engine: Engine) -> None:
    sid = await _session(engine, {"nickname": "ok"})
    await start_sp_delivery(engine, sid)
    sess, state = await _ended(engine, sid)
    assert sess.phase == "done" and sess.success is False
    assert "cannot be reached (ConnectError)" in (sess.message or {})["en"]
    assert state == "NotInstalled"
