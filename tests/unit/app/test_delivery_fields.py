"""app.delivery: encrypted input, paymentcard values and user actions, at the HTTP boundary.

The backend is an httpx MockTransport (the real one runs in tests/e2e/app/test_fdsm_input.py).
fdsm ServiceDeliverySession.java (commit 053cea19): processUIOperation (an encrypted operation
without the SP's key fails: "encryption required but no public key available"; the
operationResult is {operationId, fields, statusCode: 200, ephemeralKey?}); processUserAction
(each action shown, then "Press ENTER to continue"; the result is {operationId}).
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from app import fieldcrypto
from app.client import BackendClient
from app.delivery import DeliveryRunner, Outcome
from app.description import UserAction
from app.identity import CardIdentity
from tests.helpers.spcert import self_signed
from tests.unit.app.test_delivery import ListCard

IDENT = CardIdentity(cin=bytes.fromhex("11223344556677"), iin=bytes.fromhex("99990100"))
PIN = {"id": "pin", "type": "edit", "label": {"en": "PIN"}}
CARD = {"id": "card", "type": "paymentcard", "label": {"en": "Card"}}


class Backend:
    def __init__(self, description: dict[str, Any], ops: list[dict[str, Any]]) -> None:
        self.description = description
        self.ops = ops
        self.bodies: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = json.loads(request.content) if request.content else {}
        self.bodies.append((path, body))
        if path.startswith("/v3/apps/"):
            return httpx.Response(200, json={"description": self.description})
        if path == "/v3/service/deliver":
            return httpx.Response(200, json={"sessionId": "s1"})
        if path == "/v3/service/fetch":
            if self.ops:
                return httpx.Response(200, json={"completed": False, **self.ops.pop(0)})
            return httpx.Response(200, json={"completed": True,
                                             "status": {"success": True, "message": "ok"}})
        if path == "/v3/service/error":
            return httpx.Response(200, json={})
        return httpx.Response(404, json={"error": "not-found"})

    def results(self) -> list[dict[str, Any]]:
        return [b["operationResult"] for p, b in self.bodies
                if p == "/v3/service/fetch" and "operationResult" in b]

    def wire(self) -> str:
        return json.dumps(self.bodies)


async def run(backend: Backend, **kw: Any) -> Any:
    transport = httpx.MockTransport(backend)
    async with BackendClient("http://backend.test", "t", transport=transport) as client:
        reader = ListCard({})  # describe-only runs: the card is never asked
        try:
            runner = DeliveryRunner(client, reader, IDENT, **kw)
            return await runner.run("73656372", "pin")
        finally:
            await reader.close()


async def test_encrypted_fields_are_sealed_for_the_sp_and_never_sent_in_clear() -> None:
    key, cert = self_signed()
    backend = Backend({"title": "PIN", "certificate": cert, "encrypted": True,
                       "fieldsRequired": [PIN]},
                      [{"operationId": "ui1", "operationType": "user-interaction",
                        "encrypted": True, "fields": [PIN]}])
    result = await run(backend, fields={"pin": "86420975"})  # pre-filled: still never in clear
    assert result.success, result.error
    deliver = next(b for p, b in backend.bodies if p == "/v3/service/deliver")
    assert deliver["fields"] == {}
    (op,) = backend.results()
    assert set(op) == {"operationId", "fields", "statusCode", "ephemeralKey"}
    assert op["operationId"] == "ui1" and op["statusCode"] == 200
    assert fieldcrypto.unseal(key, op["fields"], op["ephemeralKey"]) == {"pin": "86420975"}
    assert "86420975" not in backend.wire()
    assert all("86420975" not in e.name for e in result.trace.entries)


async def test_encrypted_without_a_certificate_fails_before_anything_is_sent() -> None:
    backend = Backend({"title": "PIN", "encrypted": True, "fieldsRequired": [PIN]}, [])
    result = await run(backend, on_fields=lambda _f: {"pin": "1"})
    assert result.outcome is Outcome.BACKEND_ERROR
    assert "no certificate" in (result.error or "")
    assert [p for p, _ in backend.bodies] == ["/v3/apps/73656372/services/pin"]


async def test_an_encrypted_operation_without_a_certificate_ends_the_session() -> None:
    backend = Backend({"title": "PIN"}, [{"operationId": "ui1", "operationType":
                                          "user-interaction", "encrypted": True,
                                          "fields": [PIN]}])
    result = await run(backend, on_fields=lambda _f: {"pin": "2468"})
    assert result.outcome is Outcome.BACKEND_ERROR and "certificate" in (result.error or "")
    assert "2468" not in backend.wire()
    assert backend.bodies[-1][0] == "/v3/service/error"


async def test_a_paymentcard_value_goes_as_fdsms_json_object() -> None:
    backend = Backend({"title": "Pay"}, [{"operationId": "ui1", "operationType":
                                          "user-interaction", "fields": [CARD]}])
    result = await run(backend, on_fields=lambda _f: {"card": "4111111111111111;07/49;123"})
    assert result.success
    assert backend.results()[0]["fields"] == {"card": '{"cardNumber":"4111111111111111",'
                                              '"expiryMonth":7,"expiryYear":49,"cvv":"123"}'}


async def test_a_bad_paymentcard_value_is_refused_before_it_is_sent() -> None:
    backend = Backend({"title": "Pay"}, [{"operationId": "ui1", "operationType":
                                          "user-interaction", "fields": [CARD]}])
    result = await run(backend, on_fields=lambda _f: {"card": "4111111111111112;07/49"})
    assert result.outcome is Outcome.FAILURE and "check digit" in (result.error or "")
    assert backend.results() == []


async def test_actions_are_shown_then_acknowledged_or_not() -> None:
    ops = [{"operationId": "a1", "operationType": "action", "actions": [
        {"name": "phonecall", "description": {"en": "Call us"},
         "parameters": {"number": "+46 8 123"}},
        {"name": "visit-shop", "description": {"en": "Pick up your ring"}}]}]
    shown: list[tuple[UserAction, ...]] = []
    result = await run(Backend({"title": "A"}, list(ops)), on_action=shown.append)
    assert result.success
    assert [a.lines() for a in shown[0]] == [["Call us", "Please call +46 8 123"],
                                             ["Pick up your ring"]]
    refused = Backend({"title": "A"}, list(ops))
    result = await run(refused, on_action=lambda _a: False)
    assert result.outcome is Outcome.CANCELLED and refused.results() == []
