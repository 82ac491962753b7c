"""Encrypted input, paymentcard and user actions: our touch point and the demo SP, end to end.

Real backend on 127.0.0.1 (uvicorn + SQLite, demo SP in-process), real HTTP, the virtual
card. Every HTTP body both ways is recorded at the transport; the clear values must be in
none of them, nor in the APDU trace. The wire format follows fidesmo/fdsm
library/src/main/java/com/fidesmo/fdsm/ServiceDeliverySession.java (commit 053cea19):
processUIOperation (encrypted -> fields hex + `ephemeralKey`; paymentcard -> the
{cardNumber, expiryMonth, expiryYear, cvv} JSON text), processUserAction (answer
{operationId} once acknowledged).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app import fieldcrypto
from app.client import BackendClient
from app.delivery import DeliveryRunner, Outcome
from app.description import UserAction
from app.readers.virtual import VirtualReader
from backend_stub.demo_sp.inputs import secret_from_code
from tests.e2e.app.conftest import DEVICE_TOKEN, SECRET_APP, Backend, identify

CODE = "73914682"
PAN = "4556737586899855"
KEYSTORE = "A00000061700736563720101"


class Recording(httpx.AsyncBaseTransport):
    """The real transport, with every request and response body kept."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.bodies: list[bytes] = []
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        self.bodies.append(request.url.query + request.content)
        response = await self.inner.handle_async_request(request)
        data = await response.aread()
        self.bodies.append(data)
        return httpx.Response(response.status_code, headers=response.headers, content=data,
                              request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def wire(self) -> bytes:
        return b"\n".join(self.bodies)


async def _install(backend: Backend, virtual: VirtualReader) -> Any:
    ident = await identify(virtual)
    async with backend.client() as client:
        result = await DeliveryRunner(client, virtual, ident, fields={"nickname": "e2e"}).run(
            SECRET_APP, "install")
    assert result.success, result.error
    return ident


async def _public_key(virtual: VirtualReader) -> bytes:
    rsp = await virtual.transmit(bytes.fromhex("00A404000C" + KEYSTORE))
    assert rsp[-2:] == b"\x90\x00"
    rsp = await virtual.transmit(bytes.fromhex("8010000000"))
    assert rsp[-2:] == b"\x90\x00"
    return bytes(rsp[:-2])


async def test_an_encrypted_recovery_code_reaches_only_the_sp(backend: Backend,
                                                              virtual: VirtualReader) -> None:
    ident = await _install(backend, virtual)
    asked: list[tuple[str, ...]] = []

    def answer(fields: Any) -> dict[str, str]:
        asked.append(tuple(f.id for f in fields))
        return {"code": CODE}

    rec = Recording()
    async with BackendClient(backend.url, DEVICE_TOKEN, transport=rec) as client:
        runner = DeliveryRunner(client, virtual, ident, on_fields=answer)
        result = await runner.run(SECRET_APP, "restore")
    assert result.success, result.error
    assert asked == [("code",)]  # asked once: in the session, not before it
    assert runner.description is not None and runner.description.certificate
    wire = rec.wire()
    assert CODE.encode() not in wire and CODE.encode().hex().encode() not in wire.lower()
    assert CODE not in result.trace.to_text()
    # the encrypted answer went out as fdsm sends it
    sent = [json.loads(b) for p, b in zip(rec.paths, rec.bodies[0::2], strict=True)
            if p == "/v3/service/fetch" and b"operationResult" in b]
    (op,) = [s["operationResult"] for s in sent]
    assert set(op) == {"operationId", "fields", "statusCode", "ephemeralKey"}
    assert set(op["fields"]) == {"code"} and len(op["ephemeralKey"]) == 512  # RSA-2048
    # the SP opened it and used it: the card now holds the key of that code
    secret = secret_from_code(CODE)
    assert backend.demo.issued_secrets[-1] == secret
    expected = ec.derive_private_key(int.from_bytes(secret, "big"), ec.SECP256R1())
    assert await _public_key(virtual) == expected.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


async def test_a_paymentcard_goes_encrypted_as_fdsms_object(backend: Backend,
                                                            virtual: VirtualReader) -> None:
    ident = await _install(backend, virtual)
    rec = Recording()
    async with BackendClient(backend.url, DEVICE_TOKEN, transport=rec) as client:
        result = await DeliveryRunner(client, virtual, ident,
                                      fields={"card": f"{PAN};09/39;123"}).run(
            SECRET_APP, "add-card")
    assert result.success, result.error
    assert backend.demo.cards_added[-1] == PAN[-4:]
    wire = rec.wire()
    # neither the number nor the object that holds it (and its CVV) is anywhere in clear
    assert PAN.encode() not in wire and b"cardNumber" not in wire and b"cvv" not in wire


async def test_a_bad_paymentcard_is_refused_before_it_is_sent(backend: Backend,
                                                              virtual: VirtualReader) -> None:
    ident = await _install(backend, virtual)
    async with backend.client() as client:
        result = await DeliveryRunner(client, virtual, ident,
                                      fields={"card": "4556737586899856;09/39"}).run(
            SECRET_APP, "add-card")
    assert result.outcome is Outcome.FAILURE and "check digit" in (result.error or "")
    assert result.session_id is None  # refused before the delivery started


async def test_user_actions_are_shown_then_acknowledged(backend: Backend,
                                                        virtual: VirtualReader) -> None:
    ident = await _install(backend, virtual)
    shown: list[tuple[UserAction, ...]] = []
    async with backend.client() as client:
        result = await DeliveryRunner(client, virtual, ident, on_action=shown.append).run(
            SECRET_APP, "support")
        assert result.success, result.error
        assert [[line for a in s for line in a.lines("en")] for s in shown] == [[
            "Our support unlocks your key store by phone.", "Please call +46 8 123 456",
            "Keep your card on the reader during the call."]]
        refused = await DeliveryRunner(client, virtual, ident,
                                       on_action=lambda _a: False).run(SECRET_APP, "support")
    assert refused.outcome is Outcome.CANCELLED
    sess = await backend.session(refused.session_id or "")
    assert sess["phase"] == "done"


async def test_fdsm_request_by_request_clear_values_are_dropped_then_asked_sealed(
        backend: Backend, virtual: VirtualReader) -> None:
    """The calls fdsm makes for an encrypted service, as raw HTTP (ServiceDeliverySession
    .deliver: GET apps/{app}/services/{svc}?cin=, POST service/deliver with every
    fieldsRequired value in clear; deliveryLoop: POST service/fetch; processUIOperation:
    the operationResult with hex fields and ephemeralKey)."""
    ident = await _install(backend, virtual)
    auth = {"Authorization": f"Bearer {DEVICE_TOKEN}"}
    async with httpx.AsyncClient(base_url=backend.url, headers=auth, timeout=30) as http:
        svc = (await http.get(f"/v3/apps/{SECRET_APP}/services/add-card",
                              params={"cin": ident.cin_hex})).json()
        cert = svc["description"]["certificate"]
        deliver = await http.post("/v3/service/deliver", json={
            "appId": SECRET_APP, "serviceId": "add-card", "fields": {"card": f"{PAN};09/39"},
            "cardId": ident.card_id()})
        assert deliver.status_code == 200, deliver.text
        sid = deliver.json()["sessionId"]
        step = (await http.post("/v3/service/fetch", json={"sessionId": sid})).json()
        assert step["operationType"] == "user-interaction" and step["encrypted"] is True
        assert [f["id"] for f in step["fields"]] == ["card"]
        stored = await backend.session(sid)
        assert PAN not in json.dumps(stored)  # the clear value sent at deliver is not kept

        bad = await http.post("/v3/service/fetch", json={"sessionId": sid, "operationResult": {
            "operationId": step["operationId"], "statusCode": 200,
            "fields": {"card": "00"}, "ephemeralKey": "not hex"}})
        assert bad.status_code == 400 and "ephemeralKey" in bad.text
        assert (await backend.session(sid))["phase"] == stored["phase"]

        payload = json.dumps({"cardNumber": PAN, "expiryMonth": 9, "expiryYear": 39},
                             separators=(",", ":"))
        sealed = fieldcrypto.seal(cert, {"card": payload})
        answer = await http.post("/v3/service/fetch", json={"sessionId": sid, "operationResult": {
            "operationId": step["operationId"], "fields": sealed.fields, "statusCode": 200,
            "ephemeralKey": sealed.ephemeral_key}})
        assert answer.status_code in (200, 503), answer.text
        done = answer.json() if answer.status_code == 200 else None
        for _ in range(20):
            if done is not None and done.get("completed"):
                break
            rsp = await http.post("/v3/service/fetch", json={"sessionId": sid})
            done = rsp.json() if rsp.status_code == 200 else None
        assert done is not None and done["completed"] and done["status"]["success"], done
    assert backend.demo.cards_added[-1] == PAN[-4:]


async def test_an_encrypted_description_without_a_certificate_is_refused_by_name(
        backend: Backend) -> None:
    auth = httpx.BasicAuth(SECRET_APP, backend.demo.app_key)
    recipe = {"description": {"title": {"en": "PIN"}, "encrypted": True,
                              "fieldsRequired": [{"id": "pin", "type": "edit",
                                                  "label": {"en": "PIN"}}]},
              "actions": []}
    async with httpx.AsyncClient(base_url=backend.url, auth=auth) as http:
        rsp = await http.put(f"/v3/apps/{SECRET_APP}/services/pin/recipe", json=recipe)
        assert rsp.status_code == 400, rsp.text
        assert rsp.json()["field"] == "description.certificate"
        services = (await http.get(f"/v3/apps/{SECRET_APP}/services")).json()
        assert "pin" not in services  # nothing stored
