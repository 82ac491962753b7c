"""Runs a delivery given as a `ws://` / `wss://` URL: fdsm's WebSocket protocol.

The backend pushes; we answer (fdsm WsClient.java, processCommand):
`{"type": "id", "value": S}` names the session, each `{"type": "commands", ...}`
batch goes to the card and its answers go back as `{"type": "responses", ...}`,
`{"type": "status", "code": "OK" | ERROR, "message": ...}` ends it. When anything
fails on our side (card removed, reader, cancel, a message we cannot read) we send
`{"type": "status", "code": "CLIENT_ERROR", "message": ...}` and close, as fdsm does.

The card side is the HTTP runner's own (DeliveryRunner._carry: the batch loop over
the reader, the `expect` stop, progress, cancel and the APDU trace), so both
protocols carry batches the same way. Every wait ends: connecting within
`open_timeout`, each server message within `message_timeout`, and cancel() stops
either at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from app.client import CLIENT_DESCRIPTION, USER_AGENT
from app.commands import parse_batch
from app.delivery import DeliveryResult, DeliveryRunner, Outcome, Phase, ProgressCallback
from app.errors import (
    ApduError,
    CardRemovedError,
    DeliveryCancelled,
    ProtocolError,
    ReaderError,
)
from app.i18n import MLString
from app.identity import CardIdentity
from app.readers.base import Reader
from app.trace import Trace

log = logging.getLogger(__name__)
MAX_MESSAGE = 8 << 20  # bytes of one server message (a LOAD batch is far below)


def is_ws_url(target: str) -> bool:
    """A delivery given as a WebSocket URL (fdsm DeliveryUrl.parse: ws:// or wss://)."""
    return target.startswith(("ws://", "wss://"))


class WsDeliveryRunner(DeliveryRunner):
    """One delivery over one WebSocket. Create a new runner per delivery."""

    def __init__(self, reader: Reader, identity: CardIdentity | None = None, *,
                 token: str | None = None, trace: Trace | None = None,
                 on_progress: ProgressCallback | None = None, open_timeout: float = 10.0,
                 message_timeout: float = 15 * 60, progress_interval: float = 0.05) -> None:
        # the HTTP client is never used here: every exchange goes over the WebSocket
        super().__init__(None, reader, identity, trace=trace,  # type: ignore[arg-type]
                         on_progress=on_progress, progress_interval=progress_interval)
        self._token = token
        self.open_timeout = open_timeout
        self.message_timeout = message_timeout
        self.round_trips = 0  # the upgrade, then one per batch answered

    async def run_url(self, url: str) -> DeliveryResult:
        """Runs the delivery at `url`; never raises for card, reader, backend or user problems."""
        self._loop = asyncio.get_running_loop()
        start = time.monotonic()
        with self.watch.following():  # the card leaving, as over HTTP (app/reattach.py)
            result = await self._run_url(url)
        return self._finished(result, start, self.round_trips)

    async def _run_url(self, url: str) -> DeliveryResult:
        if not is_ws_url(url):
            return _failed(Outcome.BACKEND_ERROR, f"not a ws:// or wss:// URL: {url!r}")
        headers = {"User-Agent": USER_AGENT, "Fidesmo-Client-Description": CLIENT_DESCRIPTION}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        where = _safe(url)
        self._report(Phase.STARTING)
        self.trace.note(f"deliver over WebSocket {where}")
        try:
            conn = await self._cancellable(connect(
                url, additional_headers=headers, open_timeout=self.open_timeout,
                close_timeout=2.0, max_size=MAX_MESSAGE, proxy=None, user_agent_header=None,
                compression=None))  # APDU batches: deflate costs more CPU than it saves
        except DeliveryCancelled as exc:
            return _failed(Outcome.CANCELLED, str(exc))
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as exc:
            return _failed(Outcome.BACKEND_ERROR,
                           f"cannot open the WebSocket {where}: {_why(exc)}")
        self.round_trips = 1
        try:
            return await self._session(conn)
        finally:
            await conn.close()

    async def _session(self, conn: ClientConnection) -> DeliveryResult:
        try:
            while True:
                result = await self._on_message(conn, await self._receive(conn))
                if result is not None:
                    return result
        except ConnectionClosed as exc:
            return self._note(Outcome.BACKEND_ERROR,
                              f"the WebSocket connection dropped ({_closed(exc)})")
        except TimeoutError:
            return await self._client_error(conn, Outcome.BACKEND_ERROR, "no message from "
                                            f"the backend within {self.message_timeout:g} s")
        except DeliveryCancelled as exc:
            return await self._client_error(conn, Outcome.CANCELLED, str(exc))
        except CardRemovedError as exc:
            return await self._client_error(conn, Outcome.CARD_REMOVED, f"card removed: {exc}")
        except (ReaderError, ApduError) as exc:
            return await self._client_error(conn, Outcome.READER_ERROR, f"reader failed: {exc}")
        except ProtocolError as exc:
            return await self._client_error(conn, Outcome.BACKEND_ERROR,
                                            f"bad message from the backend: {exc}")

    async def _receive(self, conn: ClientConnection) -> dict[str, Any]:
        self._report(Phase.WAITING)
        raw = await self._cancellable(asyncio.wait_for(conn.recv(), self.message_timeout))
        if not isinstance(raw, str):
            raise ProtocolError("a binary frame (the protocol is JSON text)")
        try:
            msg = json.loads(raw)
        except ValueError:
            raise ProtocolError("a message that is not JSON") from None
        if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
            raise ProtocolError("a message that is not an object with a string 'type'")
        return msg

    async def _on_message(self, conn: ClientConnection, msg: dict[str, Any]
                          ) -> DeliveryResult | None:
        kind = msg["type"]
        if kind == "id":
            value = msg.get("value")
            if not isinstance(value, str) or not value:
                raise ProtocolError("'id' without a session id 'value'")
            self.session_id = value
            self.trace.note(f"session {value}")
            return None
        if kind == "commands":
            op = msg.get("operationId")
            self._operation = op if isinstance(op, str) else None
            commands = parse_batch(msg, "commands message")
            # a card that left between batches is not sent this batch (_carry), and fdsm's
            # protocol cannot start the operation again: card removed
            responses = await self._carry(commands, msg.get("expectedTotal"))
            await conn.send(json.dumps({"type": "responses",
                                        "responses": [r.hex().upper() for r in responses]}))
            self.round_trips += 1
            return None
        if kind == "status":
            return self._status(msg)
        raise ProtocolError(f"unsupported message type {kind!r}")

    def _status(self, msg: dict[str, Any]) -> DeliveryResult:
        code = msg.get("code")
        text = msg.get("message") if isinstance(msg.get("message"), str) else ""
        message = MLString.of(msg.get("messages")) or MLString.of(text)
        self.trace.note(f"completed: code={code}")
        if code == "OK":
            return DeliveryResult(Outcome.SUCCESS, message=message)
        error = message.pick() or str(code)
        if code == "FAILED":
            return DeliveryResult(Outcome.FAILURE, message=message, error=error)
        outcome = Outcome.NOT_ALLOWED if code == "NOT_ALLOWED" else Outcome.BACKEND_ERROR
        error = f"the backend refused ({code}): {text}" if text else f"the backend refused ({code})"
        return DeliveryResult(outcome, message=MLString.of(error), error=error)

    async def _client_error(self, conn: ClientConnection, outcome: Outcome, message: str
                            ) -> DeliveryResult:
        """fdsm's answer to a failure on our side: status CLIENT_ERROR, then close."""
        # when this fails the backend still ends the session: the connection drops
        with contextlib.suppress(ConnectionClosed, TimeoutError):
            await asyncio.wait_for(conn.send(json.dumps(
                {"type": "status", "code": "CLIENT_ERROR", "message": message})), 2.0)
        return self._note(outcome, message)

    def _note(self, outcome: Outcome, message: str) -> DeliveryResult:
        self.trace.note(message)
        return _failed(outcome, message)


def _failed(outcome: Outcome, message: str) -> DeliveryResult:
    return DeliveryResult(outcome, message=MLString.of(message), error=message)


def _safe(url: str) -> str:
    """The URL for messages: no user:password part, no query (it may name the card)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _why(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _closed(exc: ConnectionClosed) -> str:
    frame = exc.rcvd or exc.sent
    if frame is None:
        return "no close frame"
    return f"code {frame.code}" + (f": {frame.reason}" if frame.reason else "")
