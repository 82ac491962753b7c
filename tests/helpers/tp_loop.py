"""A test touch point: the device side of the delivery protocol, with plain async httpx.

It reads the card identity the way API.md section 4 says, runs service/deliver,
service/fetch and connector/json, answers user-interaction fields, stops a
batch at the first status word outside `expect`, reports a torn card with
service/error, and records every APDU it carried (for assertions on what
crossed the touch point).

With `shortcuts` (the default) it takes the first step from deliver's `next`,
a transceive operation's first batch from the fetch answer and the next step
from connector/json's `next` (see backend_stub/api/device.py); without, it
speaks the original protocol only (fetch, connector open, batches, fetch), as
an old client would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

SELECT_ISD = bytes.fromhex("00A4040000")
GET_CPLC = bytes.fromhex("80CA9F7F00")
GET_CIN = bytes.fromhex("80CA004500")
GET_IIN = bytes.fromhex("80CA004200")
PLATFORM_AID = bytes.fromhex("A00000061702000900010101")
SELECT_PLATFORM = bytes([0x00, 0xA4, 0x04, 0x00, len(PLATFORM_AID)]) + PLATFORM_AID


class Card(Protocol):
    def transmit(self, apdu: bytes) -> bytes: ...


class CardGone(Exception):
    """The card stopped answering (whatever the card object raised)."""


def _tlv_find(data: bytes, tag: int) -> bytes | None:
    """First value of a one-byte `tag`, looking inside constructed 6F/A5 templates too."""
    i = 0
    while i < len(data):
        t = data[i]
        i += 1
        if t & 0x1F == 0x1F:  # two-byte tag
            t = (t << 8) | data[i]
            i += 1
        if i >= len(data):
            return None
        ln = data[i]
        i += 1
        if ln & 0x80:
            n = ln & 0x7F
            ln = int.from_bytes(data[i:i + n], "big")
            i += n
        value = data[i:i + ln]
        i += ln
        if t == tag:
            return value
        if t in (0x6F, 0xA5):
            inner = _tlv_find(value, tag)
            if inner is not None:
                return inner
    return None


@dataclass
class CardIdentity:
    iin: str
    cin: str
    batch_id: int | None
    platform_version: int
    cplc: str


@dataclass
class Exchange:
    """One APDU the touch point carried and the card's answer."""

    apdu: bytes
    response: bytes | None
    name: str = ""


@dataclass
class DeliveryResult:
    session_id: str | None
    success: bool
    message: dict[str, Any]
    status: dict[str, Any] = field(default_factory=dict)
    http_status: int = 200
    error: dict[str, Any] | None = None
    card_removed: bool = False
    operations: list[str] = field(default_factory=list)


def sw_ok(sw: str, pattern: str) -> bool:
    return len(sw) == len(pattern) and all(p in "Xx" or p == c for p, c in zip(
        pattern.upper(), sw.upper(), strict=True))


class TouchPoint:
    """Drives deliveries for one card against a backend base URL."""

    def __init__(self, base_url: str, token: str, card: Card, *,
                 client: httpx.AsyncClient | None = None,
                 answer_fields: Callable[[list[dict[str, Any]]], dict[str, Any]] | None = None,
                 fetch_wait: float | None = None, shortcuts: bool = True) -> None:
        self.base = base_url.rstrip("/")
        self.card = card
        self.headers = {"Authorization": f"Bearer {token}"}
        self._own_client = client is None
        self.client = client or httpx.AsyncClient(timeout=60)
        self.answer_fields = answer_fields or (lambda fs: {f["id"]: "test" for f in fs})
        self.fetch_wait = fetch_wait
        self.shortcuts = shortcuts
        self.carried: list[Exchange] = []
        self.round_trips = 0
        self.identity: CardIdentity | None = None
        # test hook: called after each connector answer, before the card sees the batch
        self.on_batch: Callable[[str, list[str]], Any] | None = None

    async def close(self) -> None:
        if self._own_client:
            await self.client.aclose()

    # --- card ---
    def transmit(self, apdu: bytes, name: str = "") -> bytes:
        try:
            resp = self.card.transmit(apdu)
        except Exception as exc:
            self.carried.append(Exchange(apdu, None, name))
            raise CardGone(str(exc) or type(exc).__name__) from exc
        self.carried.append(Exchange(apdu, resp, name))
        return resp

    def read_identity(self) -> CardIdentity:
        """SELECT ISD, CPLC, CIN, IIN, then the platform applet (CIN and batch id)."""
        self.transmit(SELECT_ISD, "SELECT ISD")
        cplc = self.transmit(GET_CPLC, "GET DATA CPLC")
        cin_resp = self.transmit(GET_CIN, "GET DATA CIN")
        iin_resp = self.transmit(GET_IIN, "GET DATA IIN")
        plat = self.transmit(SELECT_PLATFORM, "SELECT platform applet")
        cin = batch = None
        if plat[-2:] == b"\x90\x00":
            cin = _tlv_find(plat[:-2], 0x45)
            b = _tlv_find(plat[:-2], 0x42)
            batch = int.from_bytes(b, "big") if b else None
        if cin is None and cin_resp[-2:] == b"\x90\x00":
            cin = _tlv_find(cin_resp[:-2], 0x45)
        iin = _tlv_find(iin_resp[:-2], 0x42) if iin_resp[-2:] == b"\x90\x00" else None
        self.transmit(SELECT_ISD, "SELECT ISD")
        if cin is None or iin is None:
            raise CardGone("the card has no CIN or IIN")
        cplc_hex = cplc[:-2].hex().upper()
        self.identity = CardIdentity(iin.hex().upper(), cin.hex().upper(), batch, 3, cplc_hex)
        return self.identity

    # --- backend ---
    async def _post(self, path: str, body: dict[str, Any],
                    params: dict[str, Any] | None = None) -> httpx.Response:
        self.round_trips += 1
        return await self.client.post(self.base + path, json=body, headers=self.headers,
                                      params=params)

    async def get(self, path: str, **params: Any) -> httpx.Response:
        self.round_trips += 1
        return await self.client.get(self.base + path, headers=self.headers, params=params)

    async def apps(self) -> dict[str, str]:
        """appId -> state on this card."""
        ident = self.identity or self.read_identity()
        resp = await self.get(f"/v3/devices/{ident.cin}/apps")
        resp.raise_for_status()
        return {a["appId"]: a["state"] for a in resp.json()}

    async def deliver(self, app_id: str, service_id: str,
                      fields: dict[str, Any] | None = None) -> httpx.Response:
        ident = self.identity or self.read_identity()
        return await self._post("/v3/service/deliver", {
            "appId": app_id, "serviceId": service_id,
            "cardId": {"iin": ident.iin, "cin": ident.cin, "platformVersion": 3},
            "fields": fields or {}})

    async def run_operation(self, op_id: str, first: dict[str, Any] | None = None
                            ) -> dict[str, Any] | None:
        """The connector loop of one transceive operation.

        `first`: a fetch answer carrying the first batch inline (used with shortcuts).
        Returns connector/json's `next` (what fetch would answer now), if it came.
        """
        responses: list[str] = []
        answer: dict[str, Any] | None = None
        if self.shortcuts and first is not None and first.get("commands"):
            answer = first
        while True:
            if answer is None:
                resp = await self._post("/v3/connector/json",
                                        {"uuid": op_id, "open": True, "responses": responses})
                resp.raise_for_status()
                answer = resp.json()
            commands = answer.get("commands", [])
            if not commands:
                nxt = answer.get("next")
                return nxt if self.shortcuts and isinstance(nxt, dict) else None
            expects = answer.get("expect") or [["9000", "61XX"]] * len(commands)
            names = answer.get("names") or [""] * len(commands)
            if self.on_batch is not None:
                outcome = self.on_batch(op_id, commands)
                if asyncio.iscoroutine(outcome):
                    await outcome
            answer = None
            responses = []
            for apdu, expect, name in zip(commands, expects, names, strict=True):
                rapdu = self.transmit(bytes.fromhex(apdu), name)
                responses.append(rapdu.hex().upper())
                if not any(sw_ok(rapdu[-2:].hex(), p) for p in expect):
                    break

    async def follow(self, session_id: str, ops: list[str] | None = None,
                     ahead: dict[str, Any] | None = None) -> DeliveryResult:
        """The fetch loop until the session completes.

        `ahead`: a fetch answer already in hand (deliver's `next`)."""
        ops = ops if ops is not None else []
        result: dict[str, Any] | None = None
        params = {"wait": self.fetch_wait} if self.fetch_wait is not None else None
        # deliver's or connector/json's `next`: no fetch needed
        ahead = ahead if self.shortcuts and isinstance(ahead, dict) else None
        while True:
            if ahead is None:
                body: dict[str, Any] = {"sessionId": session_id}
                if result is not None:
                    body["operationResult"] = result
                    result = None
                resp = await self._post("/v3/service/fetch", body, params)
                if resp.status_code == 204:  # nothing yet and we asked not to wait
                    await asyncio.sleep(0.05)
                    continue
                if resp.status_code == 503:  # the long-poll expired: ask again
                    continue
                resp.raise_for_status()
                answer = resp.json()
            else:
                answer, ahead = ahead, None
            if answer.get("completed"):
                status = answer.get("status", {})
                return DeliveryResult(session_id, bool(status.get("success")),
                                      status.get("message") or {}, status, operations=ops)
            op_id = answer["operationId"]
            ops.append(op_id)
            if answer.get("operationType") == "user-interaction":
                result = {"operationId": op_id, "statusCode": 200,
                          "fields": self.answer_fields(answer.get("fields", []))}
                continue
            try:
                ahead = await self.run_operation(op_id, answer)
            except CardGone as exc:
                await self._post("/v3/service/error",
                                 {"sessionId": session_id, "message": f"card removed: {exc}",
                                  "fatal": True})
                return DeliveryResult(session_id, False, {"en": str(exc)}, card_removed=True,
                                      operations=ops)

    async def run_service(self, app_id: str, service_id: str,
                          fields: dict[str, Any] | None = None) -> DeliveryResult:
        """A whole delivery; HTTP refusals of deliver come back as a failed result."""
        resp = await self.deliver(app_id, service_id, fields)
        if resp.status_code != 200:
            return DeliveryResult(None, False, {}, http_status=resp.status_code,
                                  error=resp.json())
        data = resp.json()
        return await self.follow(data["sessionId"], ahead=data.get("next"))

    def apdus(self) -> list[bytes]:
        return [e.apdu for e in self.carried]

    def all_bytes(self) -> bytes:
        """Everything that crossed the touch point, commands and answers, concatenated."""
        return b"".join(e.apdu + (e.response or b"") for e in self.carried)
