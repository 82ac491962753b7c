"""WebSocket delivery (fdsm's `--run ws://...`), end to end: the backend and the demo SP
on 127.0.0.1 over real HTTP and WebSocket, the virtual card.

Protocol facts from fdsm library/src/main/java/com/fidesmo/fdsm/WsClient.java
(fidesmo/fdsm @ 4bfe643): the Authorization header goes with the upgrade (:63, :73);
the server's messages are `id` (value = session id, :130-131), `commands` (hex strings,
each sent to the card, :134-139, answered by one `responses` message, :142-145) and
`status` (`code`, `message` read unconditionally, "OK" = success, :147-152); any
failure on the client's side answers `status` CLIENT_ERROR with the message and
closes (:81-88, :163-169). DeliveryUrl.java (parse): a ws:// or wss:// URL is taken
whole as the delivery.
"""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, serve

from app import cli
from app.client import BackendClient
from app.delivery import DeliveryRunner, Outcome
from app.readers.pcsc import PcscReader
from app.readers.virtual import VirtualReader
from app.wsdelivery import WsDeliveryRunner
from cardsim.card import VirtualCard
from tests.e2e.app.conftest import DEVICE_TOKEN, SECRET_APP, Backend, app_elements, identify
from tests.helpers.pcsc import READER, wait_card

AUTH = {"Authorization": f"Bearer {DEVICE_TOKEN}"}


def ws_base(backend: Backend) -> str:
    return "ws" + backend.url.removeprefix("http")


def deliver_url(backend: Backend, service: str, cin: str, iin: str) -> str:
    return f"{ws_base(backend)}/v3/ws/deliver/{SECRET_APP}/{service}?cin={cin}&iin={iin}"


async def open_install(client: BackendClient, virtual: VirtualReader) -> tuple[str, Any]:
    """An install session opened over HTTP (service/deliver with its field)."""
    ident = await identify(virtual)
    opened = await client.start_delivery(SECRET_APP, "install", ident.card_id(),
                                         {"nickname": "ws"})
    return opened.session_id, ident


async def recv(conn: ClientConnection) -> dict[str, Any]:
    msg = json.loads(await asyncio.wait_for(conn.recv(), 10))
    assert isinstance(msg, dict)
    return msg


async def test_lifecycle_over_websocket(backend: Backend, client: BackendClient,
                                        virtual: VirtualReader) -> None:
    session_id, ident = await open_install(client, virtual)
    runner = WsDeliveryRunner(virtual, ident, token=DEVICE_TOKEN)
    result = await runner.run_url(f"{ws_base(backend)}/v3/ws/sessions/{session_id}")
    assert result.success, result.error
    assert result.session_id == session_id
    assert result.text("en") == "Your key store is ready."
    # the same card-side trace as over HTTP: decoded names, secrets never in clear
    names = [e.name for e in result.trace.commands()]
    assert "INSTALL [for install and make selectable] (secure)" in names
    text = result.trace.to_text().upper()
    assert backend.demo.issued_secrets
    for secret in backend.demo.issued_secrets:
        assert secret.hex().upper() not in text
    assert app_elements(virtual.card)
    assert (await client.device_apps(ident.cin_hex))[SECRET_APP] == "Installed"
    # one message pair per batch: the upgrade plus one `responses` per batch
    assert result.apdus >= 10 and 2 <= result.http_round_trips <= result.apdus + 1
    sess = await backend.session(session_id)
    assert sess["phase"] == "done" and sess["success"] is True

    # the route that opens the session itself (the URL names the card), as fdsm runs it
    for service, state in (("suspend", "Suspended"), ("unsuspend", "Installed"),
                           ("uninstall", "NotInstalled")):
        res = await WsDeliveryRunner(virtual, ident, token=DEVICE_TOKEN).run_url(
            deliver_url(backend, service, ident.cin_hex, ident.card_id()["iin"]))
        assert res.success, (service, res.error)
        assert (await client.device_apps(ident.cin_hex))[SECRET_APP] == state
    assert app_elements(virtual.card) == []


class PulledBetweenBatches(WsDeliveryRunner):
    """Takes the card away and puts it back at once after the first batch's answers, while
    the next batch is on its way: the reader reports it, the card is there again."""

    pulled = False

    async def _carry(self, commands: Any, total: Any = None) -> list[bytes]:
        responses = await super()._carry(commands, total)
        if not self.pulled:
            self.pulled = True
            reader = self.reader
            assert isinstance(reader, VirtualReader)
            await asyncio.to_thread(reader.remove)
            await asyncio.to_thread(reader.insert)
        return responses


async def test_card_pulled_between_batches_is_not_sent_the_next_batch(
        backend: Backend, client: BackendClient, virtual: VirtualReader) -> None:
    """The WebSocket runner follows the reader as the HTTP one does (CardWatch): the batch
    after a removal never goes to the reset card; the delivery ends card removed, with
    CLIENT_ERROR to the backend, and the card that came back is still unchanged."""
    session_id, ident = await open_install(client, virtual)
    runner = PulledBetweenBatches(virtual, ident, token=DEVICE_TOKEN)
    res = await runner.run_url(f"{ws_base(backend)}/v3/ws/sessions/{session_id}")
    assert runner.pulled
    assert res.outcome is Outcome.CARD_REMOVED, (res.outcome, res.error)
    assert "between batches" in (res.error or "")
    sess = await backend.wait_session_callbacks(session_id)
    assert sess["success"] is False
    assert "CLIENT_ERROR: card removed" in json.dumps(sess)
    assert app_elements(virtual.card) == []
    assert (await client.device_apps(ident.cin_hex))[SECRET_APP] != "Installed"


async def test_same_batches_as_http(backend: Backend, client: BackendClient,
                                    virtual: VirtualReader) -> None:
    """Both protocols carry the same APDUs to the card for the same install."""
    ident = await identify(virtual)
    connector0 = client.stats.by_path.get("/v3/connector/json", 0)
    http = await DeliveryRunner(client, virtual, ident, fields={"nickname": "h"}).run(
        SECRET_APP, "install")
    assert http.success, http.error
    batches = client.stats.by_path.get("/v3/connector/json", 0) - connector0
    await DeliveryRunner(client, virtual, ident).run(SECRET_APP, "uninstall")
    session_id, _ = await open_install(client, virtual)
    ws = await WsDeliveryRunner(virtual, ident, token=DEVICE_TOKEN).run_url(
        f"{ws_base(backend)}/v3/ws/sessions/{session_id}")
    assert ws.success, ws.error
    assert ws.apdus == http.apdus
    assert [e.name for e in ws.trace.commands()] == [e.name for e in http.trace.commands()]
    assert ws.http_round_trips < http.http_round_trips
    # one message pair per batch, nothing else: the upgrade plus one `responses` per batch
    assert ws.http_round_trips == 1 + batches
    await DeliveryRunner(client, virtual, ident).run(SECRET_APP, "uninstall")


async def test_fdsm_style_client_and_client_error(backend: Backend, client: BackendClient,
                                                  virtual: VirtualReader) -> None:
    """A bare client as WsClient.java: the first batch answered in lower-case hex
    (Hex.encodeHexString, :139), then CLIENT_ERROR (:84): the session fails with it."""
    session_id, _ = await open_install(client, virtual)
    async with connect(f"{ws_base(backend)}/v3/ws/sessions/{session_id}",
                       additional_headers=AUTH, proxy=None) as conn:
        assert await recv(conn) == {"type": "id", "value": session_id}
        batch = await recv(conn)
        assert batch["type"] == "commands" and batch["commands"]
        answers = [(await virtual.transmit(bytes.fromhex(c))).hex()
                   for c in batch["commands"]]
        await conn.send(json.dumps({"type": "responses", "responses": answers}))
        nxt = await recv(conn)
        assert nxt["type"] == "commands"  # the next batch is pushed, nothing polled
        await conn.send(json.dumps({"type": "status", "code": "CLIENT_ERROR",
                                    "message": "card went away"}))
        with pytest.raises(Exception):  # noqa: B017 - the server closes after it
            await asyncio.wait_for(conn.recv(), 10)
    sess = await backend.wait_session_callbacks(session_id)
    assert sess["phase"] == "done" and sess["success"] is False
    assert "CLIENT_ERROR: card went away" in json.dumps(sess)


@pytest.mark.parametrize(("message", "expected"), [
    ("not json", "a message that is not JSON"),
    ('["responses"]', "not an object with a string 'type'"),
    ('{"type": "hello"}', "a message of type 'hello'"),
    ('{"type": "responses", "responses": "9000"}', "'responses' must be a list"),
])
async def test_bad_messages_are_refused_clearly(backend: Backend, client: BackendClient,
                                                virtual: VirtualReader, message: str,
                                                expected: str) -> None:
    session_id, _ = await open_install(client, virtual)
    async with connect(f"{ws_base(backend)}/v3/ws/sessions/{session_id}",
                       additional_headers=AUTH, proxy=None) as conn:
        await recv(conn)
        assert (await recv(conn))["type"] == "commands"
        await conn.send(message)
        status = await recv(conn)
    assert status["type"] == "status" and status["code"] == "BAD_MESSAGE"
    assert expected in status["message"]
    sess = await backend.wait_session_callbacks(session_id)
    assert sess["phase"] == "done" and sess["success"] is False


async def test_responses_that_do_not_fit_name_the_field(backend: Backend,
                                                        client: BackendClient,
                                                        virtual: VirtualReader) -> None:
    session_id, _ = await open_install(client, virtual)
    async with connect(f"{ws_base(backend)}/v3/ws/sessions/{session_id}",
                       additional_headers=AUTH, proxy=None) as conn:
        await recv(conn)
        batch = await recv(conn)
        too_many = ["9000"] * (len(batch["commands"]) + 1)
        await conn.send(json.dumps({"type": "responses", "responses": too_many}))
        status = await recv(conn)
    assert status["code"] == "BAD_REQUEST" and status["field"] == "responses"
    assert "responses for a batch of" in status["message"]
    assert (await backend.session(session_id))["success"] is False


async def test_unknown_session_and_missing_credentials_are_refused(backend: Backend) -> None:
    async with connect(f"{ws_base(backend)}/v3/ws/sessions/no-such-session",
                       additional_headers=AUTH, proxy=None) as conn:
        status = await recv(conn)
        assert status == {"type": "status", "code": "NOT_FOUND", "message": "unknown session",
                          "field": "sessionId"}
        await conn.wait_closed()
        assert conn.close_code == 1008
    async with connect(f"{ws_base(backend)}/v3/ws/sessions/whatever", proxy=None) as conn:
        status = await recv(conn)
        assert status["code"] == "UNAUTHORIZED" and "DEVICE_TOKEN" in status["message"]
    # the opening route checks its URL: the card must be named
    async with connect(f"{ws_base(backend)}/v3/ws/deliver/{SECRET_APP}/install?cin=zz",
                       additional_headers=AUTH, proxy=None) as conn:
        status = await recv(conn)
        assert status["code"] == "BAD_REQUEST" and status["field"] == "cin"
    async with connect(f"{ws_base(backend)}/v3/ws/deliver/{SECRET_APP}/install?cin=01",
                       additional_headers=AUTH, proxy=None) as conn:
        status = await recv(conn)
        assert status["code"] == "BAD_REQUEST" and status["field"] == "iin"
    # what service/deliver refuses is refused the same way (engine/delivery.py deliver)
    async with connect(f"{ws_base(backend)}/v3/ws/deliver/{SECRET_APP}/no-such?cin=0102&iin=03",
                       additional_headers=AUTH, proxy=None) as conn:
        status = await recv(conn)
        assert status["code"] == "NOT_FOUND", status


async def test_our_runner_reports_refusals_and_user_input(backend: Backend,
                                                          virtual: VirtualReader) -> None:
    ident = await identify(virtual)
    runner = WsDeliveryRunner(virtual, ident, token="wrong-token")
    res = await runner.run_url(f"{ws_base(backend)}/v3/ws/sessions/x")
    assert res.outcome is Outcome.BACKEND_ERROR
    assert res.error and "UNAUTHORIZED" in res.error
    # install asks for a nickname: the protocol has no way to ask, said so plainly
    res = await WsDeliveryRunner(virtual, ident, token=DEVICE_TOKEN).run_url(
        deliver_url(backend, "install", ident.cin_hex, ident.card_id()["iin"]))
    assert res.outcome is Outcome.BACKEND_ERROR
    assert res.error and "UNSUPPORTED" in res.error and "nickname" in res.error
    res = await WsDeliveryRunner(virtual, ident).run_url("http://127.0.0.1:1/x")
    assert res.outcome is Outcome.BACKEND_ERROR and "ws://" in (res.error or "")


async def test_dropped_connection_and_silent_server_end_clearly(virtual: VirtualReader) -> None:
    """A server that drops the connection mid-delivery, and one that never speaks."""
    async def drop(conn: ServerConnection) -> None:
        await conn.send(json.dumps({"type": "id", "value": "s1"}))
        await conn.close(1011, "backend went down")

    async def silent(conn: ServerConnection) -> None:
        await conn.wait_closed()  # says nothing until the client goes

    ident = await identify(virtual)
    async with serve(drop, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        res = await WsDeliveryRunner(virtual, ident).run_url(f"ws://127.0.0.1:{port}/")
    assert res.outcome is Outcome.BACKEND_ERROR and res.session_id == "s1"
    assert res.error == "the WebSocket connection dropped (code 1011: backend went down)"

    async with serve(silent, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        runner = WsDeliveryRunner(virtual, ident, message_timeout=0.3)
        res = await runner.run_url(f"ws://127.0.0.1:{port}/")
        assert res.error == "no message from the backend within 0.3 s"
        runner = WsDeliveryRunner(virtual, ident, message_timeout=30)
        task = asyncio.create_task(runner.run_url(f"ws://127.0.0.1:{port}/"))
        await asyncio.sleep(0.3)
        runner.cancel()
        res = await asyncio.wait_for(task, 5)
        assert res.outcome is Outcome.CANCELLED
    res = await WsDeliveryRunner(virtual, ident, open_timeout=2).run_url(
        f"ws://127.0.0.1:{port}/")
    assert res.outcome is Outcome.BACKEND_ERROR
    assert res.error and res.error.startswith("cannot open the WebSocket ws://127.0.0.1:")


async def test_client_dropping_mid_batch_fails_the_session(backend: Backend,
                                                           client: BackendClient,
                                                           virtual: VirtualReader) -> None:
    session_id, _ = await open_install(client, virtual)
    async with connect(f"{ws_base(backend)}/v3/ws/sessions/{session_id}",
                       additional_headers=AUTH, proxy=None) as conn:
        await recv(conn)
        assert (await recv(conn))["type"] == "commands"
    sess = await backend.wait_session_callbacks(session_id)
    assert sess["phase"] == "done" and sess["success"] is False
    assert "the touch point closed the WebSocket during a batch" in json.dumps(sess)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TOUCHPOINT_HOME", str(tmp_path))
    monkeypatch.setenv("TOUCHPOINT_NO_PCSC", "1")  # the CLI's own virtual card
    monkeypatch.setenv("TOUCHPOINT_DEVICE_TOKEN", DEVICE_TOKEN)
    monkeypatch.delenv("TOUCHPOINT_BACKEND", raising=False)
    return tmp_path


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_runs_a_ws_url(cli_env: Path, backend: Backend) -> None:
    code, out, _ = run_cli("card-info", "--json", "--offline")
    assert code == 0
    card = json.loads(out)
    card_id = {"cin": card["cin"], "iin": card["iin"],
               "platformVersion": card["platformVersion"]}
    rsp = httpx.post(f"{backend.url}/v3/service/deliver", headers=AUTH, timeout=10, json={
        "appId": SECRET_APP, "serviceId": "install", "cardId": card_id,
        "fields": {"nickname": "cli"}})
    assert rsp.status_code == 200, rsp.text
    session_id = rsp.json()["sessionId"]

    code, out, _ = run_cli("run", f"{ws_base(backend)}/v3/ws/sessions/{session_id}",
                           "--trace-apdu")
    assert code == 0, out
    assert out.rstrip().endswith("Success: Your key store is ready.")
    assert f"-- session {session_id}" in out and "INSTALL [for load]" in out
    assert DEVICE_TOKEN not in out

    url = deliver_url(backend, "uninstall", card["cin"], card["iin"])
    code, out, _ = run_cli("run", url)
    assert code == 0, out
    code, out, _ = run_cli("run", f"{ws_base(backend)}/v3/ws/sessions/nope")
    assert code == 1
    assert "Failed (backend-error): the backend refused (NOT_FOUND): unknown session" in out


@pytest.mark.pcsc
async def test_through_pcscd_with_a_card_pulled_mid_load(backend: Backend,
                                                         client: BackendClient,
                                                         vpcd_card: Any) -> None:
    """pcscd + vpcd: the card pulled during LOAD answers CLIENT_ERROR (the session fails
    with our message); back in, the install and uninstall run over the WebSocket."""
    card = VirtualCard.create(None)
    bridge = vpcd_card(card, reinsert_after=None)
    reader = PcscReader(READER)
    try:
        ident = await identify(reader)
        opened = await client.start_delivery(SECRET_APP, "install", ident.card_id(),
                                             {"nickname": "p"})
        card.arm_tear(8)
        res = await WsDeliveryRunner(reader, ident, token=DEVICE_TOKEN).run_url(
            f"{ws_base(backend)}/v3/ws/sessions/{opened.session_id}")
        assert res.outcome is Outcome.CARD_REMOVED, res.error
        sess = await backend.wait_session_callbacks(opened.session_id)
        assert sess["success"] is False
        assert "CLIENT_ERROR: card removed" in json.dumps(sess)
        wait_card(False)
        card.disarm_tear()
        bridge.insert()
        wait_card(True)
        ident = await identify(reader)
        if (await client.device_apps(ident.cin_hex))[SECRET_APP] == "Unstable":
            res = await WsDeliveryRunner(reader, ident, token=DEVICE_TOKEN).run_url(
                deliver_url(backend, "uninstall", ident.cin_hex, ident.card_id()["iin"]))
            assert res.success, res.error
        opened = await client.start_delivery(SECRET_APP, "install", ident.card_id(),
                                             {"nickname": "p"})
        res = await WsDeliveryRunner(reader, ident, token=DEVICE_TOKEN).run_url(
            f"{ws_base(backend)}/v3/ws/sessions/{opened.session_id}")
        assert res.success, res.error
        assert app_elements(card)
        res = await WsDeliveryRunner(reader, ident, token=DEVICE_TOKEN).run_url(
            deliver_url(backend, "uninstall", ident.cin_hex, ident.card_id()["iin"]))
        assert res.success, res.error
        assert app_elements(card) == []
    finally:
        await reader.close()
