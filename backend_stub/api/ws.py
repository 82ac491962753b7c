"""WebSocket delivery: fdsm's `--run ws://...` protocol, a push channel for one session.

The server pushes, the touch point answers; no polling and one message per batch
(fdsm WsClient.java, processCommand / respondWithStatus):

  server -> client  {"type": "id", "value": SESSION_ID}             once, first
                    {"type": "commands", "commands": [hex, ...]}      one per batch
                    {"type": "status", "code": "OK" | ERROR, "message": text}   last
  client -> server  {"type": "responses", "responses": [hex, ...]}    per batch
                    {"type": "status", "code": "CLIENT_ERROR", "message": text}

A `commands` message also carries, for clients that use them, the batch's `expect`,
`names`, `operationId` and `expectedTotal` (fdsm ignores them); a client may stop
after a status word outside `expect` and answer the responses so far, as on
connector/json. The final `status` also carries `messages` (the multilanguage
message) and `appState`. fdsm reads `message` unconditionally, so it is always sent.

Two routes, both authenticated as the HTTP touch point API (api/auth.py):
  /v3/ws/sessions/{sessionId}  carries a session opened with service/deliver;
  /v3/ws/deliver/{appId}/{serviceId}?cin=&iin=  opens the session itself (what
      service/deliver does, no fields: the protocol cannot ask for them).
Every step reuses the HTTP protocol's engine functions (deliver, fetch,
connector_step, service_error), so both protocols behave the same. Refusals
before the session runs are a `status` with code UNAUTHORIZED, FORBIDDEN,
NOT_FOUND, BAD_REQUEST or NOT_ALLOWED; once it runs, BAD_MESSAGE, TIMEOUT,
UNSUPPORTED or FAILED end it (the session fails, as after service/error).
WebSocket routes are not in the OpenAPI document.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect, WebSocketState

from backend_stub.api.auth import Principal, device_principal, engine_of
from backend_stub.engine.context import Engine
from backend_stub.engine.delivery import deliver, fetch, service_error
from backend_stub.engine.steps import connector_step
from backend_stub.errors import ApiError
from backend_stub.store.models import DeliverySession

log = logging.getLogger("backend_stub.ws")
router = APIRouter(prefix="/v3/ws")

MAX_MESSAGE = 1 << 20  # characters of one client message
_CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND",
          409: "CONFLICT", 412: "NOT_ALLOWED", 422: "BAD_REQUEST"}


class WsEnded(Exception):
    """The channel ends with this status code and message (the session is failed first)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ClientGone(Exception):
    """The touch point closed the connection or it dropped."""


@router.websocket("/sessions/{session_id}")
async def ws_session(ws: WebSocket, session_id: str) -> None:
    """Carry a session opened with service/deliver."""
    await ws.accept()
    try:
        principal = await device_principal(ws)
        eng = engine_of(ws)
        await _check_session(eng, principal, session_id)
    except ApiError as exc:
        await _refuse(ws, exc)
        return
    await _Channel(ws, eng, session_id).run(None)


@router.websocket("/deliver/{app_id}/{service_id}")
async def ws_deliver(ws: WebSocket, app_id: str, service_id: str) -> None:
    """Open a session for the card named in the query (`cin`, `iin`) and carry it."""
    await ws.accept()
    try:
        principal = await device_principal(ws)
        eng = engine_of(ws)
        body = _deliver_body(app_id, service_id, dict(ws.query_params))
        done = await deliver(eng, body, principal.apps, with_next=True)
    except ApiError as exc:
        await _refuse(ws, exc)
        return
    await _Channel(ws, eng, done.session_id).run(done.next)


def _deliver_body(app_id: str, service_id: str, query: dict[str, str]) -> dict[str, Any]:
    """service/deliver's body from the URL; 400 naming the part that is wrong."""
    if len(app_id) != 8 or not _is_hex(app_id):
        raise ApiError(400, "bad-request", "the appId is 8 hex digits", "appId")
    if not 1 <= len(service_id) <= 64:
        raise ApiError(400, "bad-request", "the serviceId is 1 to 64 characters", "serviceId")
    card: dict[str, Any] = {}
    for name in ("cin", "iin"):
        value = query.get(name, "")
        if not value or len(value) > 32 or len(value) % 2 or not _is_hex(value):
            raise ApiError(400, "bad-request", f"the query needs {name}=HEX (an even number "
                           "of hex digits, at most 32) naming the card", name)
        card[name] = value.upper()
    version = query.get("platformVersion")
    if version is not None:
        if not version.isdigit() or int(version) > 2**31 - 1:
            raise ApiError(400, "bad-request", "platformVersion is a small integer",
                           "platformVersion")
        card["platformVersion"] = int(version)
    return {"appId": app_id.lower(), "serviceId": service_id, "cardId": card, "fields": {}}


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)


async def _check_session(eng: Engine, principal: Principal, session_id: str) -> None:
    def _tx(s: Session) -> None:
        sess = s.get(DeliverySession, session_id) if len(session_id) <= 64 else None
        if sess is None:
            raise ApiError(404, "not-found", "unknown session", "sessionId")
        if principal.apps is not None and sess.app_id not in principal.apps:
            raise ApiError(403, "forbidden", "no such session for these credentials",
                           "sessionId")
    await eng.db.read(_tx)


async def _refuse(ws: WebSocket, exc: ApiError) -> None:
    await _send_status(ws, _CODES.get(exc.status, "ERROR"), exc.message, field=exc.field)
    await _close(ws, 1008)


async def _send_status(ws: WebSocket, code: str, message: str, **extra: Any) -> None:
    body = {"type": "status", "code": code, "message": message,
            **{k: v for k, v in extra.items() if v is not None}}
    with contextlib.suppress(Exception):  # the client may be gone already
        await ws.send_text(json.dumps(body))


async def _close(ws: WebSocket, code: int = 1000) -> None:
    if ws.application_state != WebSocketState.DISCONNECTED:
        with contextlib.suppress(Exception):
            await ws.close(code)


class _Channel:
    """One running session pushed over one WebSocket."""

    def __init__(self, ws: WebSocket, eng: Engine, session_id: str) -> None:
        self.ws = ws
        self.eng = eng
        self.session_id = session_id
        self.inbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()

    async def run(self, ahead: dict[str, Any] | None) -> None:
        reader = asyncio.create_task(self._read())
        try:
            await self._send({"type": "id", "value": self.session_id})
            await self._carry(ahead)
            await _close(self.ws)
        except WsEnded as exc:
            await self._fail(exc.message)
            await _send_status(self.ws, exc.code, exc.message)
            await _close(self.ws, 1008 if exc.code == "BAD_MESSAGE" else 1000)
        except ClientGone as exc:
            await self._fail(str(exc))
            await _close(self.ws)
        except ApiError as exc:  # e.g. responses that do not fit the batch
            await self._fail(exc.message)
            await _send_status(self.ws, _CODES.get(exc.status, "ERROR"), exc.message,
                               field=exc.field)
            await _close(self.ws, 1008)
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader

    async def _fail(self, message: str) -> None:
        """Ends the session as service/error would (no-op once it ended)."""
        with contextlib.suppress(ApiError):
            await service_error(self.eng, self.session_id, message, True)

    async def _read(self) -> None:
        """Every client message into the inbox; None once the connection ends."""
        try:
            while True:
                msg = await self.ws.receive()
                if msg["type"] == "websocket.disconnect":
                    break
                text = msg.get("text")
                if text is None:
                    await self.inbox.put({"type": "?binary"})
                    continue
                await self.inbox.put(_parse(text))
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            await self.inbox.put(None)

    async def _send(self, body: dict[str, Any]) -> None:
        try:
            await self.ws.send_text(json.dumps(body, separators=(",", ":")))
        except Exception as exc:  # dropped under us
            raise ClientGone(f"the touch point's WebSocket dropped: {exc}") from None

    async def _carry(self, step: dict[str, Any] | None) -> None:
        while True:
            if step is None:
                step = await self._next_step()
            if step.get("completed"):
                status = step.get("status") or {}
                messages = status.get("message") or {}
                text = messages.get("en") or next(iter(messages.values()), "") \
                    if isinstance(messages, dict) else str(messages)
                await self._send({"type": "status",
                                  "code": "OK" if status.get("success") else "FAILED",
                                  "message": text, "messages": messages,
                                  "appState": status.get("appState")})
                return
            if step.get("operationType") != "transceive":
                fields = ", ".join(str(f.get("id")) for f in step.get("fields") or [])
                raise WsEnded("UNSUPPORTED", "the service asks for user input ("
                              f"{fields or step.get('operationType')}), which the WebSocket "
                              "protocol cannot carry: run it over HTTP")
            step = await self._operation(step)

    async def _operation(self, batch: dict[str, Any]) -> dict[str, Any] | None:
        """Pushes an operation's batches; returns the next step when the backend had it."""
        op_id = batch["operationId"]
        while True:
            await self._send({"type": "commands", "operationId": op_id,
                              **{k: batch[k] for k in ("commands", "expect", "names",
                                                       "expectedTotal") if k in batch}})
            responses = await self._responses()
            step = await connector_step(self.eng, op_id, responses)
            if step.ended:
                return step.next
            if not step.answer.get("commands"):  # ended without responses: fetch it
                return None
            batch = {"operationId": op_id, **step.answer}

    async def _responses(self) -> list[Any]:
        """The client's answer to the batch, within the touch point timeout."""
        limit = self.eng.settings.touchpoint_timeout
        try:
            msg = await asyncio.wait_for(self.inbox.get(), limit)
        except TimeoutError:
            raise WsEnded("TIMEOUT", f"no responses within {limit:g} s") from None
        self.eng.seen(self.session_id)
        if msg is None:
            raise ClientGone("the touch point closed the WebSocket during a batch")
        kind = msg.get("type")
        if kind == "responses":
            responses = msg.get("responses")
            if not isinstance(responses, list) or not all(isinstance(r, str)
                                                          for r in responses):
                raise WsEnded("BAD_MESSAGE", "'responses' must be a list of hex strings")
            return responses
        self._client_status(msg)
        raise WsEnded("BAD_MESSAGE", _unexpected(msg, "a 'responses' message"))

    def _client_status(self, msg: dict[str, Any]) -> None:
        if msg.get("type") == "status":
            code = msg.get("code")
            message = msg.get("message")
            text = f"{code}: {message}" if isinstance(message, str) and message else str(code)
            raise ClientGone(text[:2000])  # service_error says "the touch point reported"

    async def _next_step(self) -> dict[str, Any]:
        """service/fetch's next answer, waiting for the SP; a client message meanwhile
        (CLIENT_ERROR, a close) ends the wait."""
        wait = self.eng.settings.fetch_wait
        while True:
            fetching = asyncio.ensure_future(fetch(self.eng, self.session_id, None, wait))
            incoming = asyncio.ensure_future(self.inbox.get())
            try:
                done, _ = await asyncio.wait({fetching, incoming},
                                             return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (fetching, incoming):
                    if not task.done():
                        task.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await task
            if incoming in done:
                msg = incoming.result()
                if msg is None:
                    raise ClientGone("the touch point closed the WebSocket")
                self._client_status(msg)
                raise WsEnded("BAD_MESSAGE", _unexpected(msg, "nothing (no batch is pending)"))
            answer = fetching.result()
            if answer is not None:
                return answer


def _parse(text: str) -> dict[str, Any]:
    """A client message as an object; a malformed one as {"type": "?..."} (refused later)."""
    if len(text) > MAX_MESSAGE:
        return {"type": "?large"}
    try:
        msg = json.loads(text)
    except ValueError:
        return {"type": "?json"}
    if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
        return {"type": "?shape"}
    return msg


def _unexpected(msg: dict[str, Any], wanted: str) -> str:
    kind = msg.get("type")
    what = {"?binary": "a binary frame", "?large": f"a message over {MAX_MESSAGE} characters",
            "?json": "a message that is not JSON",
            "?shape": "a message that is not an object with a string 'type'"}.get(
        str(kind), f"a message of type {kind!r}")
    return f"expected {wanted}, got {what}"
