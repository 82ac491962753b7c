"""app.client against a scripted backend at the HTTP boundary.

The backend is replaced by an httpx MockTransport that speaks the device protocol
(API.md section 4); the client under test is the real one. The real backend is
exercised in tests/e2e/app, the client over app.loopback in test_loopback.py.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from app.client import BackendClient
from app.errors import (
    AuthError,
    BackendUnavailableError,
    BadRequestError,
    ConflictError,
    NotAllowedInStateError,
    NotFoundError,
    ProtocolError,
    ServerError,
)
from tests.helpers.scripted_http import Seen, Serve, ok_json

TOKEN = "s3cr3t-device-token"


def client_for(handler, **kw: Any) -> BackendClient:
    return BackendClient("http://backend.test", TOKEN, transport=httpx.MockTransport(handler),
                         retry_delay=0, **kw)


@pytest.mark.parametrize(
    ("status", "exc"),
    [(400, BadRequestError), (401, AuthError), (403, AuthError), (404, NotFoundError),
     (409, ConflictError), (412, NotAllowedInStateError), (500, ServerError),
     (503, ServerError)],
)
async def test_errors_are_typed_and_carry_the_backend_fields(status: int, exc: type) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": "e-code", "message": "bad thing",
                                            "field": "cardId.cin"})

    async with client_for(handler) as c:
        with pytest.raises(exc) as info:
            await c.get_app("73656372")
    err = info.value
    assert err.status == status and err.code == "e-code" and err.field == "cardId.cin"
    assert "bad thing" in str(err) and TOKEN not in str(err) and TOKEN not in repr(c)


async def test_not_json_and_unreachable() -> None:
    async with client_for(lambda r: httpx.Response(200, text="<html>")) as c:
        with pytest.raises(ProtocolError, match="not JSON"):
            await c.get_app("73656372")

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with client_for(refuse) as c:
        with pytest.raises(BackendUnavailableError, match="cannot reach"):
            await c.list_apps()
        assert await c.health() is False


async def test_requests_carry_token_and_client_headers() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=["73656372"])

    async with client_for(handler, language="sv") as c:
        assert await c.list_apps() == ["73656372"]
    req = seen[0]
    assert req.headers["Authorization"] == f"Bearer {TOKEN}"
    assert req.headers["Accept-Language"] == "sv"
    assert req.url.params["states"] == "published"
    assert "X-Client-Request-Id" in req.headers


async def test_request_ids_are_distinct_version_4_uuids() -> None:
    import uuid

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["X-Client-Request-Id"])
        return httpx.Response(200, json=["73656372"])

    async with client_for(handler) as c:
        for _ in range(50):
            await c.list_apps()
    assert len(set(seen)) == 50
    for rid in seen:
        parsed = uuid.UUID(rid)
        assert str(parsed) == rid and parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


async def test_ids_with_path_characters_are_refused() -> None:
    async with client_for(lambda r: httpx.Response(200, json={})) as c:
        with pytest.raises(BadRequestError, match="invalid id"):
            await c.get_app("../admin")


async def test_fetch_retries_204_and_503_without_resending_the_result() -> None:
    bodies: list[dict[str, Any]] = []
    answers = [httpx.Response(503), httpx.Response(204),
               httpx.Response(200, json={"completed": True,
                                         "status": {"success": True, "message": {"en": "ok"}}})]

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return answers.pop(0)

    async with client_for(handler) as c:
        result = await c.fetch("s1", {"operationId": "op", "fields": {}, "statusCode": 200})
    assert result.completed and result.success and result.message == {"en": "ok"}
    assert "operationResult" in bodies[0]
    assert all("operationResult" not in b for b in bodies[1:])
    assert c.stats.by_path["/v3/service/fetch"] == 3


async def test_fetch_gives_up_at_the_session_timeout() -> None:
    async with client_for(lambda r: httpx.Response(204), session_timeout=0.05) as c:
        c.retry_delay = 0.01
        with pytest.raises(BackendUnavailableError, match="session timeout"):
            await c.fetch("s1")


@pytest.mark.parametrize(
    ("body", "field"),
    [({"commands": ["00A4ZZ"]}, "commands[0]"),
     ({"commands": ["00A4040000"], "expect": [["9X0"]]}, "commands[0]"),
     ({"commands": [{"apdu": "00A4040000", "expect": "9000"}]}, "commands[0]"),
     ({"commands": [7]}, "commands[0]"), ({"commands": ["00"]}, "commands[0]")],
)
async def test_bad_connector_answers_name_the_command(body: dict[str, Any], field: str) -> None:
    async with client_for(lambda r: httpx.Response(200, json=body)) as c:
        with pytest.raises(ProtocolError) as info:
            await c.connector("op", [])
    assert info.value.field == field


async def test_connector_parallel_expect_and_object_forms() -> None:
    body = {"commands": ["00A4040000", "80CA9F7F00"], "expect": [["9000"], ["9000", "6a88"]]}
    async with client_for(lambda r: httpx.Response(200, json=body)) as c:
        reply = await c.connector("op", [])
    assert [cmd.expect for cmd in reply.commands] == [("9000",), ("9000", "6A88")]
    body2 = {"commands": [{"apdu": "00a4040000", "expect": ["61xx"]}]}
    async with client_for(lambda r: httpx.Response(200, json=body2)) as c:
        reply = await c.connector("op", [])
    assert reply.commands[0].apdu == bytes.fromhex("00A4040000")
    assert reply.commands[0].expect == ("61XX",)


async def test_fetch_parses_the_inline_batch_and_connector_the_next_step() -> None:
    fetch_answer = {"completed": False, "operationId": "op", "operationType": "transceive",
                    "commands": ["00A4040000", "80CA9F7F00"],
                    "expect": [["9000"], ["9000", "6a88"]], "names": ["SELECT", "CPLC"]}
    async with client_for(lambda r: httpx.Response(200, json=fetch_answer)) as c:
        fetched = await c.fetch("s1")
    assert fetched.commands is not None
    assert [cmd.expect for cmd in fetched.commands] == [("9000",), ("9000", "6A88")]
    old = {"completed": False, "operationId": "op", "operationType": "transceive"}
    async with client_for(lambda r: httpx.Response(200, json=old)) as c:
        assert (await c.fetch("s1")).commands is None  # an older backend: open as before
    done = {"commands": [], "next": {"completed": True, "status": {"success": False}}}
    async with client_for(lambda r: httpx.Response(200, json=done)) as c:
        reply = await c.connector("op", [b"\x90\x00"])
    assert reply.commands == () and reply.next is not None
    assert reply.next.completed and reply.next.success is False
    async with client_for(lambda r: httpx.Response(200, json={"commands": []})) as c:
        assert (await c.connector("op", [b"\x90\x00"])).next is None


@pytest.mark.parametrize("body", [{"commands": [], "next": 5},
                                  {"commands": [], "next": {"completed": "yes"}},
                                  {"commands": [], "next": {"completed": False}}])
async def test_a_malformed_next_is_a_protocol_error(body: dict[str, Any]) -> None:
    async with client_for(lambda r: httpx.Response(200, json=body)) as c:
        with pytest.raises(ProtocolError):
            await c.connector("op", [b"\x90\x00"])


async def test_a_bad_inline_batch_is_a_protocol_error_naming_the_command() -> None:
    body = {"completed": False, "operationId": "op", "operationType": "transceive",
            "commands": ["00A4ZZ"]}
    async with client_for(lambda r: httpx.Response(200, json=body)) as c:
        with pytest.raises(ProtocolError) as info:
            await c.fetch("s1")
    assert info.value.field == "commands[0]"


# -- over app.loopback, against a scripted server on 127.0.0.1 -----------------------
async def test_a_loopback_backend_gets_the_loopback_transport(serve: Serve) -> None:
    def reply(seen: Seen) -> bytes:
        if seen.target.startswith("/api/v3/service/deliver"):
            return ok_json({"sessionId": "s1"})
        if seen.target.startswith("/api/v3/apps?"):
            return ok_json(["aa"])
        return ok_json({"error": "not-found", "message": "no such app", "field": "appId"},
                       b"404 Not Found")

    srv = await serve(reply)
    async with BackendClient(f"http://127.0.0.1:{srv.port}/api/", "tok", language="sv") as c:
        assert c.loopback is not None
        assert await c.deliver("aa", "install", {"cin": "01"}) == "s1"
        assert await c.list_apps("published,draft") == ["aa"]
        with pytest.raises(NotFoundError) as info:
            await c.get_app("bb")
        assert c.stats.requests == 3
        assert [p for p, _ in c.stats.history] == ["/v3/service/deliver", "/v3/apps",
                                                   "/v3/apps/bb"]
    assert info.value.status == 404 and info.value.code == "not-found"
    assert info.value.field == "appId" and "no such app" in str(info.value)
    post = srv.seen[0]
    assert post.method == "POST" and post.target == "/api/v3/service/deliver"
    assert post.headers["authorization"] == "Bearer tok"
    assert post.headers["accept-language"] == "sv"
    assert post.headers["content-type"] == "application/json"
    assert post.headers["host"] == f"127.0.0.1:{srv.port}"
    assert len(post.headers["x-client-request-id"]) == 36
    assert json.loads(post.body) == {"appId": "aa", "serviceId": "install",
                                     "cardId": {"cin": "01"}, "fields": {}}
    assert srv.seen[1].target == "/api/v3/apps?states=published%2Cdraft"
    assert srv.connections == 1


async def test_loopback_failures_are_mapped() -> None:
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    async with BackendClient(f"http://127.0.0.1:{port}", "tok") as c:
        with pytest.raises(BackendUnavailableError, match="cannot reach") as info:
            await c.list_apps()
        assert "tok" not in str(info.value)
        assert not await c.health()


async def test_other_urls_and_given_transports_keep_httpx() -> None:
    async with BackendClient("https://127.0.0.1:1", "t") as c:
        assert c.loopback is None
    mock = httpx.MockTransport(lambda r: httpx.Response(200, json=["x"]))
    async with BackendClient("http://127.0.0.1:1", "t", transport=mock) as c:
        assert c.loopback is None
        assert await c.list_apps() == ["x"]
