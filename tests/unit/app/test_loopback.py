"""app.loopback, the httpx transport for a backend on this machine, against a scripted server.

The server (tests/helpers/scripted_http.py) is a real asyncio TCP server on
127.0.0.1 that answers each request with bytes the test chose, so framing
(Content-Length, chunked, read to close), keep-alive reuse, stale connections
and timeouts are exercised on a socket.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from app.loopback import LoopbackTransport, Timeouts, is_loopback_url
from tests.helpers.scripted_http import Seen, Serve, host, ok_json


async def send(lean: LoopbackTransport, method: str, host: str, port: int, target: str,
               body: bytes = b"", timeouts: Timeouts | None = None) -> httpx.Response:
    """One request straight through the transport, as httpx.AsyncClient hands it over."""
    t = timeouts or Timeouts()
    request = httpx.Request(method, f"http://{host}:{port}{target}", content=body,
                            extensions={"timeout": {"connect": t.connect, "read": t.read,
                                                    "write": t.write}})
    rsp = await lean.handle_async_request(request)
    await rsp.aread()
    return rsp


# -- the transport ---------------------------------------------------------------------
async def test_keep_alive_reuses_one_connection(serve: Serve) -> None:
    srv = await serve(lambda s: ok_json({"n": len(s.body)}))
    lean = LoopbackTransport()
    for i in range(5):
        rsp = await send(lean, "POST", *host(srv), "/x", b"a" * i)
        assert rsp.status_code == 200 and rsp.json() == {"n": i}
    assert srv.connections == 1 and lean.connections_opened == 1
    assert [s.headers["content-length"] for s in srv.seen] == ["0", "1", "2", "3", "4"]
    assert len(lean.timings) == 5 and all(t.done >= t.sent >= t.start for t in lean.timings)
    # the socket write is stamped before it: what runs inside it goes to the server's side
    assert all(t.writing is not None and t.start <= t.writing <= t.sent for t in lean.timings)
    assert all(t.server_ms_from_send >= t.server_ms for t in lean.timings)
    await lean.aclose()


async def test_a_request_larger_than_the_socket_buffer_is_drained(serve: Serve) -> None:
    """A request the socket does not take at once waits in drain() (under the write
    timeout) before the answer is read; small ones skip it."""
    srv = await serve(lambda s: ok_json({"n": len(s.body)}))
    lean = LoopbackTransport()
    big = b"x" * (8 << 20)  # far beyond a loopback socket's send buffer
    rsp = await send(lean, "POST", *host(srv), "/big", big, Timeouts(5, 5, 5))
    assert rsp.json() == {"n": len(big)}
    rsp = await send(lean, "POST", *host(srv), "/small", b"abc")
    assert rsp.json() == {"n": 3} and srv.connections == 1
    await lean.aclose()


async def test_chunked_and_read_to_close_bodies(serve: Serve) -> None:
    answers = iter([
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
        b"4;ext=1\r\n{\"a\"\r\n4\r\n: 1}\r\n0\r\nx-trailer: y\r\n\r\n",
        b"HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n{\"b\": 2}",
        ok_json({"c": 3}),
    ])

    def reply(seen: Seen) -> bytes:
        srv.close_after = seen.target == "/2"  # an HTTP/1.0 server closes after its answer
        return next(answers)

    srv = await serve(reply)
    lean = LoopbackTransport()
    assert (await send(lean, "GET", *host(srv), "/1")).json() == {"a": 1}
    # HTTP/1.0 without a length: the body ends with the connection, which is not reused
    rsp = await asyncio.wait_for(send(lean, "GET", *host(srv), "/2"), 5)
    assert rsp.json() == {"b": 2}
    assert (await send(lean, "GET", *host(srv), "/3")).json() == {"c": 3}
    assert [s.connection for s in srv.seen] == [1, 1, 2]
    await lean.aclose()


async def test_no_body_statuses_and_an_interim_100(serve: Serve) -> None:
    answers = iter([
        b"HTTP/1.1 204 No Content\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\n" + ok_json([1]),
        b"HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
        ok_json("after close"),
    ])
    srv = await serve(lambda s: next(answers))
    lean = LoopbackTransport()
    rsp = await send(lean, "POST", *host(srv), "/a", b"{}")
    assert rsp.status_code == 204 and rsp.content == b""
    assert (await send(lean, "GET", *host(srv), "/b")).json() == [1]
    rsp = await send(lean, "GET", *host(srv), "/c")
    assert rsp.status_code == 404 and rsp.reason_phrase == "Not Found"
    assert rsp.headers["connection"] == "close"
    assert (await send(lean, "GET", *host(srv), "/d")).json() == "after close"
    assert [s.connection for s in srv.seen] == [1, 1, 1, 2]  # `connection: close` honoured
    await lean.aclose()


@pytest.mark.parametrize("answer", [
    b"SPDY/3 200 OK\r\n\r\n",
    b"HTTP/1.1 abc OK\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
    b"HTTP/1.1 200 OK\r\ncontent-length: -3\r\n\r\n",
    b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
    b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort",  # and the server closes
    b"HTTP/1.1 200 OK\r\ncontent-le",  # closed in the middle of the head
])
async def test_malformed_answers_are_protocol_errors(serve: Serve, answer: bytes) -> None:
    srv = await serve(lambda s: answer)
    srv.close_after = True
    lean = LoopbackTransport()
    with pytest.raises(httpx.RemoteProtocolError):
        await asyncio.wait_for(send(lean, "GET", *host(srv), "/"), 5)
    await lean.aclose()


async def test_a_post_is_never_sent_twice_on_a_dropped_connection(serve: Serve) -> None:
    srv = await serve(lambda s: ok_json("first") if len(srv.seen) == 1 else None)
    lean = LoopbackTransport()
    assert (await send(lean, "POST", *host(srv), "/a", b"1")).json() == "first"
    # the server reads the second POST and closes without answering: no retry
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        await send(lean, "POST", *host(srv), "/b", b"2")
    assert [s.target for s in srv.seen] == ["/a", "/b"]
    await lean.aclose()


async def test_a_get_on_a_stale_connection_is_retried_once(serve: Serve) -> None:
    answers = iter([ok_json("a"), None, ok_json("b")])
    srv = await serve(lambda s: next(answers))
    lean = LoopbackTransport()
    assert (await send(lean, "GET", *host(srv), "/a")).json() == "a"
    # the reused connection dies without answering; a GET goes again on a fresh one
    assert (await send(lean, "GET", *host(srv), "/b")).json() == "b"
    assert [(s.target, s.connection) for s in srv.seen] == [("/a", 1), ("/b", 1), ("/b", 2)]
    await lean.aclose()


async def test_idle_connections_expire_before_the_server_drops_them(serve: Serve) -> None:
    srv = await serve(lambda s: ok_json("x"))
    lean = LoopbackTransport(idle_timeout=0.05)
    await send(lean, "GET", *host(srv), "/")
    await asyncio.sleep(0.1)
    await send(lean, "GET", *host(srv), "/")
    assert srv.connections == 2  # the idle one was older than idle_timeout: not reused
    await lean.aclose()


async def test_timeouts_and_refused_connections() -> None:
    lean = LoopbackTransport()
    with pytest.raises(httpx.ConnectError):
        # a port nobody listens on (bound, then closed)
        probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = probe.sockets[0].getsockname()[1]
        probe.close()
        await probe.wait_closed()
        await send(lean, "GET", "127.0.0.1", port, "/")
    await lean.aclose()
    with pytest.raises(httpx.ConnectError, match="closed"):
        await send(lean, "GET", "127.0.0.1", 1, "/")


async def test_read_timeout_and_cancellation_drop_the_connection(serve: Serve) -> None:
    srv = await serve(lambda s: ok_json("late"))
    srv.hold = asyncio.Event()
    lean = LoopbackTransport()
    with pytest.raises(httpx.ReadTimeout):
        await send(lean, "GET", *host(srv), "/slow", timeouts=Timeouts(read=0.05))
    task = asyncio.ensure_future(send(lean, "GET", *host(srv), "/cancelled"))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    srv.hold.set()
    await asyncio.sleep(0.05)
    # neither half-used connection comes back: the late answers cannot be mistaken
    assert (await send(lean, "GET", *host(srv), "/next")).json() == "late"
    assert srv.seen[-1].connection == 3
    await lean.aclose()


async def test_as_an_httpx_transport(serve: Serve) -> None:
    srv = await serve(lambda s: ok_json({"got": json.loads(s.body or b"null")}))
    async with httpx.AsyncClient(transport=LoopbackTransport(),
                                 base_url=f"http://127.0.0.1:{srv.port}") as http:
        rsp = await http.post("/p", json={"a": 1}, params={"q": "1 2"})
        assert rsp.status_code == 200 and rsp.json() == {"got": {"a": 1}}
        assert rsp.reason_phrase == "OK" and rsp.http_version == "HTTP/1.1"
        rsp = await http.post("/s", content=(c async for c in _chunks()))  # streamed body
        assert rsp.json() == {"got": [1, 2]}
    assert srv.seen[0].target == "/p?q=1+2"
    assert "transfer-encoding" not in srv.seen[1].headers  # sent with a Content-Length
    assert srv.seen[1].headers["content-length"] == "6"
    with pytest.raises(httpx.UnsupportedProtocol):
        await LoopbackTransport().handle_async_request(httpx.Request("GET", "https://x/"))


async def _chunks() -> AsyncIterator[bytes]:
    yield b"[1, "
    yield b"2]"


def test_is_loopback_url() -> None:
    assert is_loopback_url("http://127.0.0.1:8000")
    assert is_loopback_url("http://127.9.9.9/")
    assert is_loopback_url("http://[::1]:80/api")
    assert is_loopback_url("http://localhost:1")
    assert not is_loopback_url("https://127.0.0.1:8000")  # TLS: httpx
    assert not is_loopback_url("http://10.0.0.1")
    assert not is_loopback_url("http://backend.test")


async def test_a_server_that_does_not_read_is_a_write_timeout() -> None:
    """The write timeout still guards a request the socket could not take at once."""
    stop = asyncio.Event()

    async def never_reads(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await stop.wait()
        writer.close()

    server = await asyncio.start_server(never_reads, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    lean = LoopbackTransport()
    try:
        with pytest.raises(httpx.WriteTimeout):
            await send(lean, "POST", "127.0.0.1", port, "/x", b"x" * (32 << 20),
                            Timeouts(5, 5, 0.2))
    finally:
        stop.set()
        await lean.aclose()
        server.close()
        await server.wait_closed()
