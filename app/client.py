"""Async client of the backend's device and management API (API.md sections 3 and 4).

Plain httpx, one connection pool, JSON in and out. Every non-2xx answer
becomes a typed BackendError carrying the backend's `error`, `message` and
`field`. Retries only where the protocol says so: `service/fetch` answers 204
("nothing yet", after the backend's own long-poll) and 503 ("the wait timed
out"); both are fetched again until the session timeout. The device token is
sent as `Authorization: Bearer` and never appears in errors or reprs.

Two protocol shortcuts save round trips when the backend offers them (older
backends do not, and then nothing changes): a `transceive` fetch answer may
carry the operation's first batch inline (`FetchResult.commands`), and the
connector answer that ends an operation may carry `next`, what a fetch would
answer now (`ConnectorReply.next`), and so may the deliver answer
(`DeliverReply.next`, from `start_delivery`).

Every request goes through one `httpx.AsyncClient`. Its transport is the one
the caller gives (tests, the tester's recording transport), else
`app.loopback.LoopbackTransport` for a backend on a loopback address (the
bundled one; see that module for why), else httpx's own.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from app.commands import parse_batch
from app.description import Field, ServiceDescription
from app.errors import (
    AuthError,
    BackendError,
    BackendUnavailableError,
    BadRequestError,
    ConflictError,
    NotAllowedInStateError,
    NotFoundError,
    ProtocolError,
    ServerError,
)
from app.httpsetup import NoCookies, absolute_url
from app.loopback import LoopbackTransport, is_loopback_url
from app.readers.base import BatchCommand

log = logging.getLogger(__name__)

CLIENT_DESCRIPTION = "touchpoint/0.1;se-touchpoint/0.1;Desktop"
USER_AGENT = "se-touchpoint/0.1"
DEFAULT_TIMEOUT = httpx.Timeout(10.0, read=150.0)  # long-polls: the SDK's 150 s read timeout


@dataclass
class ClientStats:
    """HTTP round trips, per path, for the overhead benchmark and the tester view."""

    requests: int = 0
    by_path: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time waiting, per path
    # (path, seconds) of the latest requests, in order, as the caller of _request saw them
    history: deque[tuple[str, float]] = field(default_factory=lambda: deque(maxlen=256))

    def count(self, path: str) -> None:
        self.requests += 1
        self.by_path[path] = self.by_path.get(path, 0) + 1

    def took(self, path: str, seconds: float) -> None:
        self.seconds[path] = self.seconds.get(path, 0.0) + seconds
        self.history.append((path, seconds))


@dataclass(frozen=True)
class FetchResult:
    """One answer of `service/fetch`."""

    completed: bool
    success: bool | None = None
    message: Any = None  # ML string of the final status
    operation_id: str | None = None
    operation_type: str | None = None
    fields: tuple[Field, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)
    # transceive: the operation's first batch, when the backend sent it inline (None: open
    # the operation with connector/json as usual)
    commands: tuple[BatchCommand, ...] | None = None


@dataclass(frozen=True)
class DeliverReply:
    """The answer of `service/deliver`: the session and, from backends that offer it,
    what `service/fetch` would answer now (saves that round trip)."""

    session_id: str
    next: FetchResult | None = None


@dataclass(frozen=True)
class ConnectorReply:
    """One answer of `connector/json`: the next batch (empty = operation done on our side)."""

    commands: tuple[BatchCommand, ...]
    raw: Mapping[str, Any] = field(default_factory=dict)
    # with an empty batch: what service/fetch would answer now, when the backend sent it
    next: FetchResult | None = None


def _error_for(status: int) -> type[BackendError]:
    if status == 400 or status == 422:
        return BadRequestError
    if status in (401, 403):
        return AuthError
    if status == 404:
        return NotFoundError
    if status == 409:
        return ConflictError
    if status == 412:
        return NotAllowedInStateError
    if status >= 500:
        return ServerError
    return BackendError


class BackendClient:
    """The touch point's view of the backend."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        language: str | None = None,
        timeout: httpx.Timeout | float | None = None,
        session_timeout: float = 15 * 60,
        transport: httpx.AsyncBaseTransport | None = None,
        retry_delay: float = 0.5,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.session_timeout = session_timeout
        self.retry_delay = retry_delay
        self.stats = ClientStats()
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            "Fidesmo-Client-Description": CLIENT_DESCRIPTION,
            "Fidesmo-Client-Capabilities": "se-access",
        }
        if language:
            headers["Accept-Language"] = language
        if token:
            headers["Authorization"] = f"Bearer {token}"
        # the bundled backend on this machine: no proxy between us and it
        self._loopback = (LoopbackTransport()
                          if transport is None and is_loopback_url(self.base_url) else None)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
            transport=self._loopback or transport,
            trust_env=self._loopback is None,
            cookies=NoCookies(),
        )

    def __repr__(self) -> str:
        return f"<BackendClient {self.base_url} token={'set' if self._token else 'none'}>"

    @property
    def token(self) -> str | None:
        """The device token, for another channel to the same backend (app/wsdelivery.py)."""
        return self._token

    @property
    def loopback(self) -> LoopbackTransport | None:
        """The loopback transport when this client made it (its `timings` split each
        request into the client's and the server's part)."""
        return self._loopback

    async def __aenter__(self) -> BackendClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- plumbing ---------------------------------------------------------------------
    async def _request(self, method: str, path: str, *, json: Any = None,
                       params: Mapping[str, Any] | None = None,
                       ok: tuple[int, ...] = (200, 201)) -> httpx.Response:
        key = path.split("?")[0]
        self.stats.count(key)
        t0 = time.perf_counter()
        try:
            request = self._http.build_request(
                method, absolute_url(self.base_url, path), json=json, params=params,
                headers={"X-Client-Request-Id": str(uuid.uuid4())})
            rsp = await self._http.send(request)
        except httpx.TimeoutException as exc:
            raise BackendUnavailableError(f"the backend did not answer {method} {path} in time"
                                          ) from exc
        except httpx.HTTPError as exc:
            raise BackendUnavailableError(
                f"cannot reach the backend at {self.base_url}: {type(exc).__name__}: {exc}"
            ) from exc
        finally:
            self.stats.took(key, time.perf_counter() - t0)
        if rsp.status_code in ok:
            return rsp
        raise self._error(rsp, method, path)

    def _error(self, rsp: httpx.Response, method: str, path: str) -> BackendError:
        code = message = fld = None
        try:
            body = rsp.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            code = body.get("error") if isinstance(body.get("error"), str) else None
            message = body.get("message") if isinstance(body.get("message"), str) else None
            fld = body.get("field") if isinstance(body.get("field"), str) else None
            if message is None and isinstance(body.get("detail"), str):
                message = body["detail"]
        text = message or rsp.reason_phrase or "error"
        cls = _error_for(rsp.status_code)
        return cls(f"{method} {path}: {text}", status=rsp.status_code, code=code, field=fld)

    @staticmethod
    def _json(rsp: httpx.Response, what: str) -> Any:
        try:
            return rsp.json()
        except ValueError:
            raise ProtocolError(f"{what}: the backend answered something that is not JSON",
                                status=rsp.status_code) from None

    # -- management API ------------------------------------------------------------------
    async def health(self) -> bool:
        """True when the backend answers HTTP at all (used while it starts)."""
        try:
            await self._request("GET", "/v3/apps", params={"states": "published"},
                                ok=(200, 401, 403))
            return True
        except BackendUnavailableError:
            return False

    async def list_apps(self, states: str = "published") -> list[str]:
        rsp = await self._request("GET", "/v3/apps", params={"states": states})
        data = self._json(rsp, "apps")
        if not isinstance(data, list):
            raise ProtocolError("GET /v3/apps: expected a list of app ids")
        return [str(x) if not isinstance(x, dict) else str(x.get("appId")) for x in data]

    async def get_app(self, app_id: str) -> dict[str, Any]:
        rsp = await self._request("GET", f"/v3/apps/{_seg(app_id)}")
        data = self._json(rsp, "app description")
        if not isinstance(data, dict):
            raise ProtocolError(f"GET /v3/apps/{app_id}: expected an object")
        return data

    async def list_services(self, app_id: str) -> list[str]:
        rsp = await self._request("GET", f"/v3/apps/{_seg(app_id)}/services")
        data = self._json(rsp, "services")
        if not isinstance(data, list):
            raise ProtocolError(f"GET /v3/apps/{app_id}/services: expected a list")
        return [str(x) for x in data]

    async def get_service(self, app_id: str, service_id: str,
                          cin: str | None = None) -> dict[str, Any]:
        """`{"description": ServiceDescription, "app": ...}`; 412 when not allowed in the state."""
        params = {"cin": cin} if cin else None
        rsp = await self._request("GET", f"/v3/apps/{_seg(app_id)}/services/{_seg(service_id)}",
                                  params=params)
        data = self._json(rsp, "service")
        if not isinstance(data, dict):
            raise ProtocolError("service: expected an object")
        return data

    async def describe(self, app_id: str, service_id: str,
                       cin: str | None = None) -> ServiceDescription:
        """The Service Description of `get_service`, parsed; 412 when not allowed in the state."""
        info = await self.get_service(app_id, service_id, cin)
        return ServiceDescription.from_dict(info.get("description"))

    async def get_device(self, cin: str, batch_id: int | None = None) -> dict[str, Any]:
        params = {"batchId": batch_id} if batch_id is not None else None
        rsp = await self._request("GET", f"/v3/devices/{_seg(cin)}", params=params)
        data = self._json(rsp, "device")
        if not isinstance(data, dict):
            raise ProtocolError("device: expected an object")
        return data

    async def register_device(self, cin: str, iin: str | None, *, batch_id: int | None = None,
                              platform_version: int | None = None) -> bool:
        """Tells the backend what the touch point read (PUT devices/{cin}); never raises."""
        if not iin:
            return False
        body = {"iin": iin, "batchId": batch_id, "platformVersion": platform_version}
        try:
            await self._request("PUT", f"/v3/devices/{_seg(cin)}", json=body,
                                ok=(200, 201, 204))
            return True
        except BackendError:
            return False

    async def device_apps(self, cin: str) -> dict[str, str]:
        """appId -> state (NotInstalled, Installed, Suspended, Unstable) on that card."""
        rsp = await self._request("GET", f"/v3/devices/{_seg(cin)}/apps")
        data = self._json(rsp, "device apps")
        out: dict[str, str] = {}
        items = data.get("apps", data) if isinstance(data, dict) else data
        if isinstance(items, dict):
            for k, v in items.items():
                out[str(k)] = str(v.get("state") if isinstance(v, dict) else v)
            return out
        if not isinstance(items, list):
            raise ProtocolError("device apps: expected a list")
        for item in items:
            if isinstance(item, dict) and "appId" in item:
                out[str(item["appId"])] = str(item.get("state", "NotInstalled"))
        return out

    async def call_json(self, method: str, path: str, body: Any = None) -> Any:
        """Any device-API call answering JSON (the platform operations: app/cardcontents.py)."""
        rsp = await self._request(method, path, json=body)
        return self._json(rsp, path)

    # -- device API -----------------------------------------------------------------
    async def deliver(self, app_id: str, service_id: str, card_id: Mapping[str, Any],
                      fields: Mapping[str, Any] | None = None) -> str:
        """Opens a delivery session; returns its id (see `start_delivery` for `next`)."""
        return (await self.start_delivery(app_id, service_id, card_id, fields)).session_id

    async def start_delivery(self, app_id: str, service_id: str, card_id: Mapping[str, Any],
                             fields: Mapping[str, Any] | None = None) -> DeliverReply:
        """`service/deliver`, with the session's first step when the backend sent it."""
        body = {"appId": app_id, "serviceId": service_id, "cardId": dict(card_id),
                "fields": dict(fields or {})}
        rsp = await self._request("POST", "/v3/service/deliver", json=body)
        data = self._json(rsp, "deliver")
        sid = data.get("sessionId") if isinstance(data, dict) else None
        if not isinstance(sid, str) or not sid:
            raise ProtocolError("service/deliver: no sessionId in the answer")
        nxt = data.get("next")
        ahead = None
        if isinstance(nxt, dict):
            try:
                ahead = self._fetch_result(nxt)
            except ProtocolError as exc:
                # the session is open and a fetch answers the same step: just ask
                log.warning("service/deliver: ignoring a malformed 'next': %s", exc)
        return DeliverReply(sid, ahead)

    async def fetch(self, session_id: str, operation_result: Mapping[str, Any] | None = None,
                    *, deadline: float | None = None) -> FetchResult:
        """Next step of the session; 204/503 are fetched again until the session timeout."""
        body: dict[str, Any] = {"sessionId": session_id}
        if operation_result is not None:
            body["operationResult"] = dict(operation_result)
        end = deadline if deadline is not None else time.monotonic() + self.session_timeout
        while True:
            rsp = await self._request("POST", "/v3/service/fetch", json=body,
                                      ok=(200, 204, 503))
            if rsp.status_code == 200:
                return self._fetch_result(self._json(rsp, "fetch"))
            # 204 nothing yet / 503 the backend's wait timed out: ask again, the
            # operation result was already taken, so do not send it twice
            body.pop("operationResult", None)
            if time.monotonic() >= end:
                raise BackendUnavailableError(
                    f"service/fetch: nothing from the backend within the session timeout "
                    f"({self.session_timeout:.0f} s)", status=rsp.status_code)
            await asyncio.sleep(self.retry_delay if rsp.status_code == 204 else 0)

    @staticmethod
    def _fetch_result(data: Any) -> FetchResult:
        if not isinstance(data, dict) or not isinstance(data.get("completed"), bool):
            raise ProtocolError("service/fetch: answer without a boolean 'completed'")
        if data["completed"]:
            status_raw = data.get("status")
            status: dict[str, Any] = status_raw if isinstance(status_raw, dict) else {}
            success = status.get("success")
            if not isinstance(success, bool):
                raise ProtocolError("service/fetch: completed without status.success")
            return FetchResult(True, success, status.get("message"), raw=data)
        op = data.get("operationId")
        if not isinstance(op, str) or not op:
            raise ProtocolError("service/fetch: an operation without operationId")
        fields_raw = data.get("fields") or []
        if not isinstance(fields_raw, list):
            raise ProtocolError("service/fetch: 'fields' is not a list")
        kind = str(data.get("operationType") or "")
        inline = None
        if kind == "transceive" and data.get("commands"):
            inline = parse_batch(data, "service/fetch")
        return FetchResult(False, None, None, op, kind,
                           tuple(Field.from_json(f) for f in fields_raw), raw=data,
                           commands=inline)

    async def connector(self, operation_id: str, responses: list[bytes] | None = None
                        ) -> ConnectorReply:
        """Posts the answers of the last batch; returns the next batch."""
        body = {"uuid": operation_id, "open": True,
                "responses": [r.hex().upper() for r in (responses or [])]}
        rsp = await self._request("POST", "/v3/connector/json", json=body)
        data = self._json(rsp, "connector")
        if not isinstance(data, dict):
            raise ProtocolError("connector/json: expected {'commands': [...]}")
        commands = parse_batch(data, "connector/json")
        nxt = data.get("next")
        if commands or nxt is None:
            return ConnectorReply(commands, raw=data)
        if not isinstance(nxt, dict):
            raise ProtocolError("connector/json: 'next' is not an object", field="next")
        return ConnectorReply(commands, raw=data, next=self._fetch_result(nxt))

    async def error(self, session_id: str, message: str, *, fatal: bool = True,
                    sent: tuple[str, int] | None = None) -> bool:
        """`service/error`; never raises (fdsm ignores its HTTP errors too). `sent`: the
        operation and how many commands of its pending batch went to the reader."""
        body: dict[str, Any] = {"sessionId": session_id, "message": message, "fatal": fatal}
        if sent is not None:
            body["operationId"], body["sent"] = sent
        try:
            await self._request("POST", "/v3/service/error", json=body,
                                ok=(200, 201, 202, 204))
            return True
        except BackendError:
            return False


    async def restart_operation(self, session_id: str, operation_id: str, sent: int) -> bool:
        """The same card is back: True when the backend starts the operation again."""
        body = {"sessionId": session_id, "message": "card removed; the same card is back",
                "fatal": False, "restart": True, "operationId": operation_id, "sent": sent}
        answer = (await self._request("POST", "/v3/service/error", json=body)).json()
        return isinstance(answer, dict) and answer.get("restarted") is True


def _seg(value: str) -> str:
    """A path segment; ids are hex or uuids, anything else is refused rather than encoded."""
    if not value or any(c in value for c in "/?#%\\ ") or value in (".", ".."):
        raise BadRequestError(f"invalid id in a URL: {value!r}")
    return value
