"""Touch point API (API.md section 4) and the device views of section 3, under /v3.

Fewer round trips (backward compatible)
---------------------------------------
A delivery used to cost: deliver, fetch, connector open, one connector call per
batch, fetch. Three additions remove three of those, and a client that ignores
them still works unchanged:

* `service/deliver` answers `{"sessionId": S, "next": F}` where F is what
  `service/fetch` would answer now (for a recipe, its first operation with the
  batch inline, computed in the transaction that opens the session; for an SP
  service, waiting at most min(2 s, the fetch wait) for the SP's first
  operation). `next` is left out when nothing was ready; nothing is consumed.

* `service/fetch` answering a `transceive` operation also carries that
  operation's first (pending) batch inline: `commands`, `expect`, `names`, the
  same shapes as a connector/json answer. A client that uses it posts that
  batch's responses straight to connector/json. `connector/json` with no
  responses still answers the pending batch (idempotent), so a client that
  ignores the inline batch opens the operation as before.
* When posted responses end an operation, `connector/json` answers
  `{"commands": [], "next": F}` where F is what `service/fetch` would answer
  now (the next operation, with its batch inline, or the final status). It
  waits for that at most min(2 s, the fetch wait) for the SP or the recipe to
  queue the next step; if nothing is ready in time `next` is left out and the
  client fetches as before. Nothing is consumed by `next`: a later fetch
  answers the same operation, batch or final status again.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from sqlalchemy.orm import Session

from backend_stub.api.auth import Principal, device_principal, engine_of
from backend_stub.api.params import INT32_MAX, CinPath, StatesQuery
from backend_stub.engine.apps import listed_apps
from backend_stub.engine.context import Engine
from backend_stub.engine.delivery import deliver, fetch, service_error
from backend_stub.engine.flow import get_state
from backend_stub.engine.requests import hex_validator
from backend_stub.engine.steps import connector_step
from backend_stub.errors import bad_request
from backend_stub.hexutil import HexError, parse_hex
from backend_stub.store.models import Device

router = APIRouter(prefix="/v3", tags=["Touch point"])
Dev = Annotated[Principal, Depends(device_principal)]

HexId = Annotated[StrictStr, hex_validator(min_len=1, max_len=32)]
FieldValue = StrictStr | StrictBool | StrictInt | float | dict[str, Any]


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


SmallInt = Annotated[StrictInt, Field(ge=0, le=INT32_MAX)]  # fits the store's INTEGER


class CardId(_Body):
    iin: HexId
    cin: HexId
    platformVersion: SmallInt | None = None


class DeliverRequest(_Body):
    appId: Annotated[StrictStr, Field(pattern=r"^[0-9A-Fa-f]{8}$")]
    serviceId: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    cardId: CardId
    fields: dict[str, FieldValue] = Field(default_factory=dict)


class OperationResult(_Body):
    operationId: Annotated[StrictStr, Field(max_length=64)]
    statusCode: Annotated[StrictInt, Field(ge=0, le=999)] = 200
    fields: dict[str, FieldValue] | None = None
    # an encrypted user-interaction: the AES key of the values, RSA-OAEP under the SP's key
    ephemeralKey: Annotated[StrictStr, hex_validator(min_len=16, max_len=1024)] | None = None


class FetchRequest(_Body):
    sessionId: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    operationResult: OperationResult | None = None


class ConnectorRequest(_Body):
    uuid: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    open: StrictBool = True
    responses: list[StrictStr] = Field(default_factory=list, max_length=4096)


class ErrorRequest(_Body):
    sessionId: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    message: Annotated[StrictStr, Field(max_length=2000)] = ""
    fatal: StrictBool = True
    # how far the touch point got in the operation's pending batch when it stopped: the
    # commands it handed to the reader (the last may have run unanswered); issue 18
    operationId: Annotated[StrictStr, Field(min_length=1, max_length=64)] | None = None
    sent: Annotated[StrictInt, Field(ge=0, le=100_000)] | None = None
    restart: StrictBool = False  # the same card is back: start the operation again


class DeviceInfo(_Body):
    iin: HexId
    platformVersion: SmallInt | None = None
    batchId: SmallInt | None = None
    osTypeVersion: SmallInt | None = None


NEXT_WAIT = 2.0  # longest connector/json waits for `next` (and never beyond the fetch wait)

_BATCH_FIELDS = {
    "commands": {"type": "array", "items": {"type": "string"},
                 "description": "command APDUs (hex), to send in order"},
    "expect": {"type": "array", "items": {"type": "array", "items": {"type": "string"}},
               "description": "per command, the status words that let the batch go on "
                              "(X = any hex digit)"},
    "names": {"type": "array", "items": {"type": "string"},
              "description": "per command, a readable name for traces"},
}
_FETCH_ANSWER = {"type": "object", "properties": {
    "completed": {"type": "boolean"},
    "status": {"type": "object", "description": "with completed: success, message, appState"},
    "operationId": {"type": "string"},
    "operationType": {"type": "string", "enum": ["transceive", "user-interaction", "action"]},
    "fields": {"type": "array", "items": {"type": "object"},
               "description": "user-interaction: the fields to ask for"},
    "encrypted": {"type": "boolean", "description": "user-interaction: answer every value "
                  "AES-256-CBC encrypted (hex) with `ephemeralKey` (RSA-OAEP SHA-512 under the "
                  "description's `certificate`)"},
    "actions": {"type": "array", "items": {"type": "object"}, "description": "action: "
                "`{name, description, parameters?}` to show; answer `{operationId}`"},
    **{k: {**v, "description": f"transceive only, the operation's first batch inline: "
                                f"{v['description']}"} for k, v in _BATCH_FIELDS.items()},
}}
_CONNECTOR_ANSWER = {"type": "object", "properties": {
    **_BATCH_FIELDS,
    "next": {**_FETCH_ANSWER, "description": "only when the posted responses ended the "
             "operation: what service/fetch would answer now (left out when nothing was "
             "ready within min(2 s, the fetch wait); then fetch as before)"},
}}
_DELIVER_ANSWER = {"type": "object", "required": ["sessionId"], "properties": {
    "sessionId": {"type": "string"},
    "next": {**_FETCH_ANSWER, "description": "what service/fetch would answer now (left out "
             "when nothing was ready within min(2 s, the fetch wait); then fetch as before)"},
}}


@router.post("/service/deliver", responses={
    200: {"description": "the session, and `next` when its first step was ready",
          "content": {"application/json": {"schema": _DELIVER_ANSWER}}},
    404: {"description": "unknown app or service"},
    409: {"description": "another delivery of this app to this card is running"},
    412: {"description": "the service is not allowed in the app's state on this card"},
    503: {"description": "the SP cannot be reached or cannot deliver now"}})
async def service_deliver(body: DeliverRequest, request: Request, principal: Dev) -> Response:
    """Open a delivery session. Missing required fields are asked for first through a
    user-interaction operation.

    The answer also carries `next`: what service/fetch would answer now (see the
    module docstring), when it is ready within min(2 s, the fetch wait)."""
    data = body.model_dump()
    data["appId"] = data["appId"].lower()
    data["cardId"]["cin"] = data["cardId"]["cin"].upper()
    data["cardId"]["iin"] = data["cardId"]["iin"].upper()
    eng = engine_of(request)
    done = await deliver(eng, data, principal.apps, with_next=True)
    nxt = done.next
    if nxt is None:  # an SP service: its first operation comes once the SP has it
        nxt = await fetch(eng, done.session_id, None, min(NEXT_WAIT, eng.settings.fetch_wait))
    answer: dict[str, Any] = {"sessionId": done.session_id}
    if nxt is not None:
        answer["next"] = nxt
    return _json(answer)


@router.post("/service/fetch", responses={
    200: {"description": "the next operation (a transceive one with its first batch "
                         "inline), or the final status",
          "content": {"application/json": {"schema": _FETCH_ANSWER}}},
    204: {"description": "nothing ready yet and the caller asked not to wait (`?wait=0`)"},
    404: {"description": "unknown session"},
    503: {"description": "the long-poll expired with nothing ready: fetch again"}})
async def service_fetch(body: FetchRequest, request: Request, principal: Dev,
                        wait: Annotated[float | None, Query(
                            ge=0, le=120, description="long-poll seconds (default: the "
                            "server's fetch wait)")] = None) -> Any:
    """The next operation of the session (`transceive` or `user-interaction`) or
    `{"completed": true, "status": {...}}`.

    A `transceive` answer carries the operation's pending batch inline (`commands`,
    `expect`, `names`): post its responses to connector/json directly. Opening the
    operation with connector/json first (no responses) answers the same batch."""
    eng = engine_of(request)
    seconds = eng.settings.fetch_wait if wait is None else wait
    result = body.operationResult.model_dump() if body.operationResult else None
    answer = await fetch(eng, body.sessionId, result, seconds)
    if answer is not None:
        return _json(answer)
    if seconds == 0:
        return Response(status_code=204)
    return Response(status_code=503, headers={"Retry-After": "0"},
                    content=b'{"error":"not-ready","message":"nothing to do yet; fetch again"}',
                    media_type="application/json")


@router.post("/connector/json", responses={
    200: {"description": "the next batch; `commands: []` ends the operation, then with "
                         "`next` when the following step was ready",
          "content": {"application/json": {"schema": _CONNECTOR_ANSWER}}},
    400: {"description": "responses do not fit the pending batch"},
    404: {"description": "unknown operation"}})
async def connector_json(body: ConnectorRequest, request: Request, principal: Dev) -> Response:
    """One batch round trip: post the previous batch's R-APDUs, get the next commands.

    The answer is `{"commands": [hex...], "expect": [[pattern...]...], "names": [...]}`:
    for each command the status words that let the batch go on (X = any hex digit). Stop
    at the first answer outside them and post the responses so far; `commands: []` ends
    the operation. When the posted responses ended it, the answer also carries `next`:
    what service/fetch would answer now (see the module docstring).
    """
    eng = engine_of(request)
    step = await connector_step(eng, body.uuid, list(body.responses))
    if not step.ended:
        return _json(step.answer)
    nxt = step.next
    if nxt is None:  # not ready in the same transaction: wait a little for the SP
        nxt = await fetch(eng, step.session_id, None, min(NEXT_WAIT, eng.settings.fetch_wait))
    return _json(step.answer if nxt is None else {**step.answer, "next": nxt})


def _json(answer: dict[str, Any]) -> Response:
    """Batches are plain JSON already: encode once, skipping FastAPI's generic encoder
    (it walks every APDU of a 250-command LOAD batch)."""
    return Response(json.dumps(answer, separators=(",", ":")).encode(),
                    media_type="application/json")


@router.post("/service/error")
async def error(body: ErrorRequest, request: Request, principal: Dev) -> dict[str, Any]:
    """The card was removed, the reader failed or the user cancelled: the running
    operation ends with 410 and the session fails."""
    eng = engine_of(request)
    restarted = await service_error(eng, body.sessionId, body.message, body.fatal or
                                    body.restart, operation_id=body.operationId,
                                    sent=body.sent, restart=body.restart)
    return {"restarted": True} if restarted else {}


def _cin(cin: str) -> str:
    try:
        return parse_hex(cin, min_len=1, max_len=32).hex().upper()
    except HexError as exc:
        raise bad_request(f"the CIN {exc}", "cin") from None


_DEVICE_ANSWER = {"type": "object", "required": ["cin", "iin", "description"], "properties": {
    "cin": {"type": "string"}, "iin": {"type": "string"},
    "batchId": {"type": ["integer", "null"]},
    "description": {"type": "object", "required": ["capabilities"], "properties": {
        "capabilities": {"type": "object", "required": ["platformVersion"], "properties": {
            "platformVersion": {"type": "integer"},
            "osTypeVersion": {"type": ["integer", "null"]}}}}}}}
_IDENTIFY_ANSWER = {"type": "object", "required": ["cin", "batchId"], "properties": {
    "cin": {"type": "string"}, "batchId": {"type": "integer"}}}


def _device_doc(row: Device, default_pv: int) -> dict[str, Any]:
    pv = row.platform_version if row.platform_version is not None else default_pv
    return {"cin": row.cin, "iin": row.iin, "batchId": row.batch_id,
            "description": {"capabilities": {"platformVersion": pv,
                                             "osTypeVersion": row.os_type_version}}}


async def _device_or_new(eng: Engine, key: str, batch_id: int | None) -> dict[str, Any]:
    """A card's record; a card no touch point reported yet is registered now: its keys
    come from the key store (by CIN, batch, IIN or the default), so the backend can serve
    it, and fdsm asks this before anything else (ServiceDeliverySession.java deliver)."""
    now = eng.clock()
    default_pv = eng.settings.default_platform_version
    def _read(s: Session) -> Any:
        row = s.get(Device, key)
        return None if row is None else _device_doc(row, default_pv)
    doc = await eng.db.read(_read)
    if doc is not None:
        return doc
    def _tx(s: Session) -> Any:
        row = s.get(Device, key)
        if row is None:
            row = Device(cin=key, iin=eng.settings.default_iin.upper(), batch_id=batch_id,
                         platform_version=None, os_type_version=None, first_seen=now,
                         last_seen=now)
            s.add(row)
        return _device_doc(row, default_pv)
    return await eng.db.write(_tx)


CPLC_LEN = 42  # GET DATA 9F7F without its tag and length (GlobalPlatform CPLC)


@router.get("/devices/identify", responses={
    200: {"description": "the card's CIN and batch id",
          "content": {"application/json": {"schema": _IDENTIFY_ANSWER}}},
    400: {"description": "cplc or uid is not hex of the right length"}})
async def identify(request: Request, principal: Dev,
                   cplc: Annotated[str, Query(pattern=r"^[0-9A-Fa-f]{2,200}$",
                                              description="the card's CPLC, hex")],
                   uid: Annotated[str | None, Query(pattern=r"^[0-9A-Fa-f]{2,20}$",
                                                    description="the card's UID, hex")] = None,
                   ) -> dict[str, Any]:
    """A card without CIN or batch data (FidesmoCard.java: devices/identify?cplc=...):
    answers a CIN derived from the CPLC (the same CPLC always gives the same CIN) and the
    batch id, and registers the card. No `batchingUrl`: the backend needs no batching
    service before delivering."""
    try:
        data = parse_hex(cplc, min_len=CPLC_LEN, max_len=CPLC_LEN + 3)
    except HexError as exc:
        raise bad_request(f"the CPLC {exc}", "cplc") from None
    if len(data) == CPLC_LEN + 3 and data[:3] == bytes.fromhex("9F7F2A"):
        data = data[3:]
    if len(data) != CPLC_LEN:
        raise bad_request(f"the CPLC is {CPLC_LEN} bytes (optionally after 9F7F2A)", "cplc")
    cin = hashlib.sha256(b"cplc:" + data).digest()[:7].hex().upper()
    batch_id = int.from_bytes(data[2:4], "big")  # the IC type stands for the batch
    doc = await _device_or_new(engine_of(request), cin, batch_id)
    return {"cin": doc["cin"], "batchId": doc["batchId"] if doc["batchId"] is not None
            else batch_id}


@router.api_route("/devices/identify", methods=["PUT", "POST", "DELETE", "PATCH"],
                  include_in_schema=False)
async def identify_other_methods() -> Response:
    """`identify` is not a CIN: other methods than GET are 405, not PUT devices/{cin}'s 400."""
    return Response(status_code=405, headers={"Allow": "GET"},
                    content=b'{"error":"method-not-allowed","message":"use GET"}',
                    media_type="application/json")


@router.get("/devices/{cin}", responses={
    200: {"description": "the card; a card never reported is registered now",
          "content": {"application/json": {"schema": _DEVICE_ANSWER}}},
    400: {"description": "batchId is not a non-negative integer"}})
async def device(cin: CinPath, request: Request, principal: Dev,
                 batchId: Annotated[int | None, Query(ge=0, le=INT32_MAX)] = None,
                 ) -> dict[str, Any]:
    """`{"cin", "iin", "batchId", "description": {"capabilities": {"platformVersion",
    "osTypeVersion"}}}` for any well-formed CIN (fdsm: devices/%s?batchId=%s,
    FidesmoApiClient.java DEVICES_URL)."""
    return await _device_or_new(engine_of(request), _cin(cin), batchId)


@router.put("/devices/{cin}")
async def register_device(cin: CinPath, body: DeviceInfo, request: Request,
                          principal: Dev) -> dict[str, Any]:
    """Record a card's identity as a touch point read it (IIN, platform version, batch)."""
    key = _cin(cin)
    eng = engine_of(request)
    now = eng.clock()
    def _tx(s: Session) -> Any:
        row = s.get(Device, key)
        if row is None:
            row = Device(cin=key, iin=body.iin.upper(), first_seen=now, last_seen=now)
            s.add(row)
        row.iin = body.iin.upper()
        row.platform_version = body.platformVersion
        row.batch_id = body.batchId
        row.os_type_version = body.osTypeVersion
        row.last_seen = now
    await eng.db.write(_tx)
    return {"cin": key, "iin": body.iin.upper()}


@router.get("/devices/{cin}/apps")
async def device_apps(cin: CinPath, request: Request, principal: Dev,
                      states: StatesQuery = "published") -> list[dict[str, Any]]:
    """Every application with its state on this card (NotInstalled, Installed, Suspended,
    Unstable); apps a card never saw are NotInstalled."""
    key = _cin(cin)
    wanted = {s.strip() for s in states.split(",") if s.strip()}
    def _tx(s: Session) -> Any:
        out = []
        for app_id, app_state, name in listed_apps(s):  # skips rows it cannot serve
            if principal.apps is not None and app_id not in principal.apps:
                continue
            state = (get_state(s, key, app_id)).value
            if app_state not in wanted and state == "NotInstalled":
                continue  # unpublished apps show only where they are on the card
            out.append({"appId": app_id, "name": name, "state": state})
        return out
    return await engine_of(request).db.read(_tx)
