"""The backend's WebSocket delivery (backend_stub/api/ws.py) driven as fdsm's WsClient does,
on SQLite and PostgreSQL: a bare client over real WebSocket on 127.0.0.1.

fdsm library/src/main/java/com/fidesmo/fdsm/WsClient.java (fidesmo/fdsm @ 4bfe643):
`id` -> sessionId (:130-131); `commands`: every command sent to the card, no stop on a
status word, answers hex-encoded in lower case (:137-139) in one `responses` message
(:142-145); `status`: `code` "OK" = success and `message` read without a check (:147-152).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from cardsim.card import VirtualCard
from tests.e2e.backend.conftest import DEVICE_TOKEN, SECRET, TEST_APP, Backend

AUTH = {"Authorization": f"Bearer {DEVICE_TOKEN}"}


def ws_url(backend: Backend, session_id: str) -> str:
    return f"ws{backend.url.removeprefix('http')}/v3/ws/sessions/{session_id}"


async def recv(conn: ClientConnection, timeout: float = 10) -> dict[str, Any]:
    msg = json.loads(await asyncio.wait_for(conn.recv(), timeout))
    assert isinstance(msg, dict)
    return msg


async def fdsm_client(url: str, card: VirtualCard) -> tuple[str, dict[str, Any], int]:
    """WsClient.processCommand: (session id, final status, batches carried)."""
    session_id, batches = "", 0
    async with connect(url, additional_headers=AUTH, proxy=None) as conn:
        while True:
            msg = await recv(conn)
            if msg["type"] == "id":
                session_id = msg["value"]
            elif msg["type"] == "commands":
                answers = [card.transmit(bytes.fromhex(c)).hex() for c in msg["commands"]]
                await conn.send(json.dumps({"type": "responses", "responses": answers}))
                batches += 1
            else:
                assert msg["type"] == "status"
                return session_id, msg, batches


async def test_demo_install_and_uninstall_as_fdsm_runs_them(backend: Backend,
                                                            card: VirtualCard) -> None:
    tp = backend.touchpoint(card)
    try:
        rsp = await tp.deliver(SECRET, "install", {"nickname": "fdsm"})
        assert rsp.status_code == 200, rsp.text
        session_id = rsp.json()["sessionId"]
        sid, status, batches = await fdsm_client(ws_url(backend, session_id), card)
        assert sid == session_id and batches >= 2
        assert status["code"] == "OK", status
        assert status["message"] == "Your key store is ready."
        assert (await tp.apps())[SECRET] == "Installed"
        ident = tp.identity
        assert ident is not None
        url = (f"ws{backend.url.removeprefix('http')}/v3/ws/deliver/{SECRET}/uninstall"
               f"?cin={ident.cin}&iin={ident.iin}")
        _, status, _ = await fdsm_client(url, card)
        assert status["code"] == "OK", status
        assert (await tp.apps())[SECRET] == "NotInstalled"
    finally:
        await tp.close()


async def test_the_sps_operation_is_pushed_when_it_comes(backend: Backend,
                                                         quiet_session: dict[str, Any]
                                                         ) -> None:
    """No polling: the channel waits, and the SP's /transceive arrives as one message."""
    auth = quiet_session["auth"]
    async with httpx.AsyncClient(base_url=backend.url, timeout=10) as http:
        rsp = await http.post("/v3/service/deliver", headers=backend.device(), json={
            "appId": TEST_APP, "serviceId": "install", "fields": {"nickname": "w"},
            "cardId": {"iin": "11", "cin": "C0FFEE0A", "platformVersion": 3}})
        assert rsp.status_code == 200, rsp.text
        session_id = rsp.json()["sessionId"]
        async with connect(ws_url(backend, session_id), additional_headers=AUTH,
                           proxy=None) as conn:
            assert await recv(conn) == {"type": "id", "value": session_id}
            waiting = asyncio.ensure_future(recv(conn, 15))
            await asyncio.sleep(1.5)  # longer than the server's fetch wait (1 s)
            assert not waiting.done()
            h = {"sessionId": session_id}
            rsp = await http.post("/transceive", json={"commands": ["00A4040000"]},
                                  headers=h, auth=auth)
            assert rsp.status_code in (200, 202), rsp.text
            batch = await waiting
            assert batch["type"] == "commands" and batch["commands"] == ["00A4040000"]
            await conn.send(json.dumps({"type": "responses", "responses": ["6f009000"]}))
            await asyncio.sleep(0.2)
            rsp = await http.post("/service/completed", headers=h, auth=auth,
                                  json={"success": True, "message": {"en": "pushed"}})
            assert rsp.status_code in (200, 202, 204), rsp.text
            status = await recv(conn)
    assert status["type"] == "status" and status["code"] == "OK"
    assert status["message"] == "pushed" and status["messages"] == {"en": "pushed"}
