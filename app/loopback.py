"""An httpx transport for a backend on this machine (the bundled one).

httpx's default transport (httpcore over anyio and h11) is general: TLS,
proxies, HTTP/2, connection pools across hosts. The bundled backend answers
on loopback in a few ms, so that generality was a large share of what the
touch point adds to an install (figures in bench/RESULTS.md). This transport
does only what a loopback JSON API needs: HTTP/1.1 keep-alive connections
over asyncio streams, Content-Length, chunked or read-to-close bodies, one
write per request (asyncio sets TCP_NODELAY). No TLS, no proxies, no
compression. `BackendClient` puts it under its `httpx.AsyncClient` for
`http://` URLs on a loopback address; the tester's recording transport wraps
it like any other.

Errors are httpx's (ConnectError, ReadTimeout, RemoteProtocolError...), so
callers map them as for any transport. An idle connection the server may
already have closed (uvicorn drops idle keep-alive connections after 5 s) is
not reused after `idle_timeout`; a reused connection that fails before a
single answer byte is retried once on a fresh one for idempotent methods
only, so a POST is never sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import time
from collections import deque
from dataclasses import dataclass, field
from typing import NamedTuple

import httpx

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
_NO_BODY_STATUS = frozenset({204, 304})
Headers = list[tuple[bytes, bytes]]


def is_loopback_url(url: str | httpx.URL) -> bool:
    """True for plain-HTTP URLs on 127.0.0.0/8, ::1 or localhost."""
    u = httpx.URL(url) if isinstance(url, str) else url
    if u.scheme != "http":
        return False
    host = u.host
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Timeouts:
    """Seconds, None for no limit (httpx.Timeout's fields without the pool one)."""

    connect: float | None = None
    read: float | None = None
    write: float | None = None

    @classmethod
    def of(cls, request: httpx.Request) -> Timeouts:
        """The limits httpx put on `request` (its `timeout` extension)."""
        limits = request.extensions.get("timeout") or {}
        return cls(limits.get("connect"), limits.get("read"), limits.get("write"))


@dataclass(frozen=True)
class RoundTrip:
    """perf_counter stamps of one request: where its time went, as this client saw it."""

    method: str
    path: str
    start: float  # the request reached the transport
    sent: float  # the request is written
    answered: float  # the answer's head is in
    done: float  # the body is in
    # the request goes to the socket: on a machine with few cores the server often runs
    # inside that send() (the kernel hands it our CPU), so `sent` may come after most of
    # the server's work; `writing` comes before it
    writing: float | None = None

    @property
    def server_ms(self) -> float:
        """Request written to answer read: the server's time plus loopback latency."""
        return (self.done - self.sent) * 1000

    @property
    def server_ms_from_send(self) -> float:
        """From the send() call on: `server_ms` plus whatever ran inside that call."""
        return (self.done - (self.sent if self.writing is None else self.writing)) * 1000


class _Answer(NamedTuple):
    status: int
    reason: bytes
    headers: Headers
    body: bytes


class _Stale(Exception):
    """A reused connection failed before the server answered anything."""


@dataclass
class _Conn:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = field(default_factory=time.monotonic)

    def usable(self, idle_timeout: float) -> bool:
        return (not self.reader.at_eof() and not self.writer.is_closing()
                and time.monotonic() - self.idle_since < idle_timeout)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


class LoopbackTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over asyncio streams with a small keep-alive pool per host and port."""

    def __init__(self, *, max_idle: int = 4, idle_timeout: float = 4.0) -> None:
        self.max_idle = max_idle
        self.idle_timeout = idle_timeout
        self._idle: dict[tuple[str, int], list[_Conn]] = {}
        self._closed = False
        self.connections_opened = 0  # for tests and the overhead bench
        self.timings: deque[RoundTrip] = deque(maxlen=256)  # the latest requests

    # -- pool ------------------------------------------------------------------------
    def _take(self, key: tuple[str, int]) -> _Conn | None:
        idle = self._idle.get(key)
        while idle:
            conn = idle.pop()
            if conn.usable(self.idle_timeout):
                return conn
            conn.close()
        return None

    def _give_back(self, key: tuple[str, int], conn: _Conn) -> None:
        idle = self._idle.setdefault(key, [])
        if self._closed or len(idle) >= self.max_idle:
            conn.close()
            return
        conn.idle_since = time.monotonic()
        idle.append(conn)

    async def _connect(self, host: str, port: int, timeout: float | None) -> _Conn:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(host, port)
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"connecting to {host}:{port} timed out") from exc
        except OSError as exc:
            raise httpx.ConnectError(f"cannot connect to {host}:{port}: {exc}") from exc
        self.connections_opened += 1
        return _Conn(reader, writer)

    async def aclose(self) -> None:
        self._closed = True
        for idle in self._idle.values():
            for conn in idle:
                conn.close()
        self._idle.clear()

    # -- the httpx transport -----------------------------------------------------------
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme != "http":
            raise httpx.UnsupportedProtocol(
                f"the loopback transport speaks plain http, not {url.scheme!r}", request=request)
        start = time.perf_counter()
        body = await request.aread()
        # the body is in memory: it goes with a Content-Length, never chunked
        headers = [(k, v) for k, v in request.headers.raw
                   if k.lower() not in (b"transfer-encoding", b"content-length")]
        target = url.raw_path.decode("ascii")
        wire = _encode(request.method, target, headers, body)
        try:
            answer, writing, sent, answered = await self._round_trip(
                (url.host, url.port or 80), request.method, wire, Timeouts.of(request))
        except httpx.RequestError as exc:
            exc.request = request
            raise
        self.timings.append(RoundTrip(request.method, url.path, start, sent, answered,
                                      time.perf_counter(), writing))
        # the body is read already: `content=` hands it over as it is, no stream to iterate
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body,
                              request=request,
                              extensions={"http_version": b"HTTP/1.1",
                                          "reason_phrase": answer.reason})

    async def _round_trip(self, key: tuple[str, int], method: str, wire: bytes,
                          limits: Timeouts) -> tuple[_Answer, float, float, float]:
        """`wire` on a pooled connection (or a new one) and its answer."""
        if self._closed:
            raise httpx.ConnectError("the transport is closed")
        conn = self._take(key)
        reused = conn is not None
        if conn is None:
            conn = await self._connect(*key, limits.connect)
        try:
            try:
                answer, keep, writing, sent, answered = await self._exchange(
                    conn, method, wire, limits, reused and method in IDEMPOTENT)
            except _Stale:
                conn.close()
                conn = await self._connect(*key, limits.connect)
                answer, keep, writing, sent, answered = await self._exchange(
                    conn, method, wire, limits, False)
        except BaseException:
            conn.close()  # its state is unknown (cancelled mid-answer, broken...)
            raise
        if keep:
            self._give_back(key, conn)
        else:
            conn.close()
        return answer, writing, sent, answered

    async def _exchange(self, conn: _Conn, method: str, wire: bytes, limits: Timeouts,
                        retry_ok: bool) -> tuple[_Answer, bool, float, float, float]:
        writer = conn.writer
        writing = time.perf_counter()
        try:
            writer.write(wire)  # asyncio sends at once; what the socket did not take waits
            transport = writer.transport
            if transport.is_closing() or transport.get_write_buffer_size():
                # only then can drain() wait or fail (a request fits the socket buffer)
                async with asyncio.timeout(limits.write):
                    await writer.drain()
        except TimeoutError as exc:
            raise httpx.WriteTimeout("sending the request timed out") from exc
        except OSError as exc:
            if retry_ok:
                raise _Stale from exc
            raise httpx.WriteError(f"sending the request failed: {exc}") from exc
        sent = answered = time.perf_counter()
        reader = conn.reader
        got_any = False
        try:
            async with asyncio.timeout(limits.read):
                while True:
                    try:
                        head = await reader.readuntil(b"\r\n\r\n")
                    except asyncio.IncompleteReadError as exc:
                        if exc.partial or got_any:
                            raise
                        if retry_ok:
                            raise _Stale from exc
                        raise httpx.RemoteProtocolError(
                            "Server disconnected without sending a response.") from exc
                    if not got_any:
                        answered = time.perf_counter()
                        got_any = True
                    status, reason, headers, fields = _parse_head(head)
                    if not 100 <= status < 200:
                        break  # a 1xx (100 Continue) is followed by the real answer
                body, to_close = await _read_body(reader, method, status, fields)
        except TimeoutError as exc:
            raise httpx.ReadTimeout("the backend did not answer in time") from exc
        except asyncio.IncompleteReadError as exc:
            raise httpx.RemoteProtocolError(
                "the connection closed in the middle of an answer") from exc
        except asyncio.LimitOverrunError as exc:
            raise httpx.RemoteProtocolError("answer headers too long") from exc
        except ConnectionError as exc:
            if retry_ok and not got_any:
                raise _Stale from exc
            raise httpx.ReadError(f"reading the answer failed: {exc}") from exc
        keep = not to_close and fields.get(b"connection", b"").lower() != b"close"
        return _Answer(status, reason, headers, body), keep, writing, sent, answered


def _encode(method: str, target: str, headers: Headers, body: bytes) -> bytes:
    """Request line, headers and body in one buffer (one write, one TCP segment)."""
    out = [f"{method} {target} HTTP/1.1\r\n".encode("ascii")]
    for name, value in headers:
        out += (name, b": ", value, b"\r\n")
    if body or method in ("POST", "PUT", "PATCH"):
        out.append(b"Content-Length: %d\r\n" % len(body))
    out += (b"\r\n", body)
    return b"".join(out)


def _parse_head(head: bytes) -> tuple[int, bytes, Headers, dict[bytes, bytes]]:
    lines = head[:-4].split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    try:
        if not parts[0].startswith(b"HTTP/1."):
            raise ValueError(parts[0])
        status = int(parts[1])
    except (IndexError, ValueError) as exc:
        raise httpx.RemoteProtocolError(
            f"not an HTTP/1.1 status line: {lines[0][:60]!r}") from exc
    reason = parts[2] if len(parts) > 2 else b""
    headers: Headers = []
    fields: dict[bytes, bytes] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        name = name.strip()
        if not sep or not name:
            raise httpx.RemoteProtocolError(f"malformed header line {line[:60]!r}")
        value = value.strip()
        headers.append((name, value))
        fields[name.lower()] = value
    if parts[0] == b"HTTP/1.0" and fields.get(b"connection", b"").lower() != b"keep-alive":
        fields[b"connection"] = b"close"
    return status, reason, headers, fields


async def _read_body(reader: asyncio.StreamReader, method: str, status: int,
                     fields: dict[bytes, bytes]) -> tuple[bytes, bool]:
    """The answer's body and whether the connection ends with it."""
    if method == "HEAD" or status in _NO_BODY_STATUS:
        return b"", False
    if b"chunked" in fields.get(b"transfer-encoding", b"").lower():
        return await _read_chunked(reader), False
    length = fields.get(b"content-length")
    if length is not None:
        try:
            n = int(length)
            if n < 0:
                raise ValueError(n)
        except ValueError as exc:
            raise httpx.RemoteProtocolError(f"bad Content-Length {length!r}") from exc
        return await reader.readexactly(n), False
    return await reader.read(), True  # no length: the body ends with the connection


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        line = await reader.readuntil(b"\r\n")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
            if size < 0:
                raise ValueError(size)
        except ValueError as exc:
            raise httpx.RemoteProtocolError(f"bad chunk size {line[:20]!r}") from exc
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass  # trailers: not used by the device protocol
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        if await reader.readexactly(2) != b"\r\n":
            raise httpx.RemoteProtocolError("chunk not followed by CRLF")
