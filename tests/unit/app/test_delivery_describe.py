"""app.delivery's first step: describe -> fields -> confirm, before any session is opened.

The backend is an httpx MockTransport speaking the device protocol (API.md section 4);
the client and the runner are the real ones. No APDU is sent in these services, so no
reader is touched (the batch loop is tested with cards in test_delivery.py).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.client import BackendClient
from app.delivery import DeliveryRunner, Outcome, Phase
from app.description import Field, ServiceDescription
from app.i18n import MLString
from app.identity import CardIdentity
from tests.unit.app.test_delivery import ListCard

IDENT = CardIdentity(cin=bytes.fromhex("11223344556677"), iin=bytes.fromhex("99990100"))
DESCRIPTION = {
    "title": {"en": "Install", "sv": "Installera"},
    "confirmationRequired": True,
    "fieldsRequired": [{"id": "nickname", "type": "edit", "label": {"en": "Nickname"}},
                       {"id": "colour", "type": "option", "labels": ["red", "blue"]},
                       {"id": "note", "type": "text", "label": {"en": "Read me"}}],
}


class Backend:
    """Describes the service, opens a session that completes at once; logs every request."""

    def __init__(self, description: dict[str, Any] = DESCRIPTION, status: int = 200) -> None:
        self.description = description
        self.status = status
        self.requests: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else {}
        self.requests.append((request.url.path, body))
        if request.url.path == "/v3/apps/73656372/services/install":
            assert request.url.params.get("cin") == IDENT.cin_hex  # the state on this card
            if self.status != 200:
                return httpx.Response(self.status, json={"error": "not-allowed",
                                                         "message": "not in this state"})
            return httpx.Response(200, json={"description": self.description})
        if request.url.path == "/v3/service/deliver":
            return httpx.Response(200, json={"sessionId": "s1"})
        if request.url.path == "/v3/service/fetch":
            return httpx.Response(200, json={"completed": True, "status": {
                "success": True, "message": {"en": "Done", "sv": "Klart"}}})
        return httpx.Response(404, json={"error": "not-found", "message": request.url.path})

    def delivered(self) -> list[dict[str, Any]]:
        return [body for path, body in self.requests if path == "/v3/service/deliver"]


async def run(backend: Backend, *, describe: bool = True,
              **kw: Any) -> tuple[DeliveryRunner, Any]:
    transport = httpx.MockTransport(backend)
    async with BackendClient("http://backend.test", "t", transport=transport) as client:
        reader = ListCard({})  # describe-only runs: the card is never asked
        try:
            runner = DeliveryRunner(client, reader, IDENT, **kw)
            return runner, await runner.run("73656372", "install", describe=describe)
        finally:
            await reader.close()


async def test_describe_then_fields_then_confirm_then_deliver() -> None:
    backend = Backend()
    steps: list[Any] = []

    def fields(wanted: tuple[Field, ...]) -> dict[str, str]:
        steps.append(("fields", [f.id for f in wanted]))
        return {"colour": "1"}

    async def confirm(description: ServiceDescription) -> bool:
        steps.append(("confirm", description.title.pick("sv")))
        return True

    phases: list[Phase] = []
    runner, result = await run(backend, fields={"nickname": "mine"}, on_fields=fields,
                               on_confirm=confirm,
                               on_progress=lambda p: phases.append(p.phase))
    assert result.success and result.text("sv") == "Klart"
    assert result.message == MLString.of({"en": "Done", "sv": "Klart"})
    # the pre-filled field is not asked again; the text is shown with what is asked
    assert steps == [("fields", ["colour", "note"]), ("confirm", "Installera")]
    assert backend.delivered()[0]["fields"] == {"nickname": "mine", "colour": "1"}
    assert isinstance(runner.description, ServiceDescription)
    assert runner.description.inputs[0].id == "nickname"
    assert phases[:3] == [Phase.DESCRIBING, Phase.USER_INPUT, Phase.STARTING]


async def test_not_confirmed_opens_no_session() -> None:
    backend = Backend()
    _runner, result = await run(backend, fields={"nickname": "x", "colour": "0"},
                                on_confirm=lambda _d: False)
    assert result.outcome is Outcome.CANCELLED and result.error == "not confirmed"
    assert backend.delivered() == [] and result.session_id is None


async def test_fields_not_given_open_no_session() -> None:
    backend = Backend()
    _runner, result = await run(backend, on_fields=lambda _f: None)
    assert result.outcome is Outcome.CANCELLED and backend.delivered() == []


async def test_missing_values_without_a_callback_are_named() -> None:
    backend = Backend()
    _runner, result = await run(backend, fields={"nickname": "x"})
    assert result.outcome is Outcome.FAILURE
    assert result.error == "the service needs values for: colour"
    assert result.text() == result.error and isinstance(result.message, MLString)
    assert backend.delivered() == []


async def test_no_confirmation_asked_when_the_service_needs_none() -> None:
    backend = Backend({"title": "Unsuspend", "fieldsRequired": [{"id": "t", "type": "text"}]})
    asked: list[Any] = []
    _runner, result = await run(backend, on_fields=asked.append, on_confirm=asked.append)
    assert result.success and asked == []  # a text alone is nothing to answer
    assert backend.delivered()[0]["fields"] == {}


@pytest.mark.parametrize(("status", "outcome"), [(412, Outcome.NOT_ALLOWED),
                                                 (500, Outcome.BACKEND_ERROR)])
async def test_a_refused_description_opens_no_session(status: int, outcome: Outcome) -> None:
    backend = Backend(status=status)
    runner, result = await run(backend, on_confirm=lambda _d: True)
    assert result.outcome is outcome and backend.delivered() == []
    assert runner.description is None


async def test_without_describe_the_caller_gives_the_fields() -> None:
    backend = Backend()
    _runner, result = await run(backend, describe=False, fields={"nickname": "n"})
    assert result.success and backend.delivered()[0]["fields"] == {"nickname": "n"}
    assert backend.requests[0][0] == "/v3/service/deliver"
