"""ui.httplog.RecordingTransport around app.loopback.LoopbackTransport, as the tester
connects to the bundled backend: the client's requests go through both unchanged and
every exchange is recorded. A real scripted HTTP server on 127.0.0.1 answers."""

from __future__ import annotations

import asyncio

from app.client import BackendClient
from app.errors import NotFoundError
from app.loopback import LoopbackTransport
from tests.helpers.scripted_http import Seen, Server, ok_json
from ui.httplog import HttpLog, RecordingTransport


def test_recording_transport_wraps_the_loopback_transport() -> None:
    def reply(seen: Seen) -> bytes:
        if seen.target == "/v3/service/deliver":
            return ok_json({"sessionId": "s1"})
        return ok_json({"error": "not-found", "message": "no such app"}, b"404 Not Found")

    log = HttpLog()

    async def go() -> tuple[Server, LoopbackTransport]:
        srv = Server(reply)
        server = await asyncio.start_server(srv.handle, "127.0.0.1", 0)
        srv.port = server.sockets[0].getsockname()[1]
        inner = LoopbackTransport()
        try:
            async with BackendClient(f"http://127.0.0.1:{srv.port}", "SECRET-TOKEN",
                                     transport=RecordingTransport(log, inner)) as c:
                assert await c.deliver("aa", "install", {"cin": "01"}) == "s1"
                try:
                    await c.get_app("bb")
                except NotFoundError as exc:
                    assert exc.code == "not-found"
                else:
                    raise AssertionError("a 404 must raise NotFoundError")
        finally:
            server.close()
            await server.wait_closed()
        return srv, inner

    srv, inner = asyncio.run(go())
    assert srv.connections == 1 and inner.connections_opened == 1  # keep-alive underneath
    assert [(e.method, e.path, e.status) for e in log.exchanges] == [
        ("POST", "/v3/service/deliver", 200), ("GET", "/v3/apps/bb", 404)]
    assert '"sessionId": "s1"' in log.exchanges[0].response_body
    assert '"serviceId": "install"' in log.exchanges[0].request_body
    assert [t.path for t in inner.timings] == ["/v3/service/deliver", "/v3/apps/bb"]
    assert all("SECRET-TOKEN" not in str(e.to_json()) for e in log.exchanges)
    assert srv.seen[0].headers["authorization"] == "Bearer SECRET-TOKEN"
