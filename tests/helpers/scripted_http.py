"""A scripted HTTP/1.1 server on 127.0.0.1 for client and transport tests.

It answers each request with bytes the test chose (or closes without answering),
so framing, keep-alive reuse, stale connections and timeouts are exercised on a
real socket.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest

Reply = Callable[["Seen"], bytes | None]  # None: close the connection without answering


@dataclass
class Seen:
    """One request as the server read it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    connection: int  # which accepted connection carried it


@dataclass
class Server:
    reply: Reply
    seen: list[Seen] = field(default_factory=list)
    connections: int = 0
    port: int = 0
    hold: asyncio.Event | None = None  # when set: wait for it before answering
    close_after: bool = False  # close the connection after each answer

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        conn = self.connections
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head[:-4].decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {k.strip().lower(): v.strip()
                           for k, v in (line.split(":", 1) for line in lines[1:])}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                seen = Seen(method, target, headers, body, conn)
                self.seen.append(seen)
                if self.hold is not None:
                    await self.hold.wait()
                answer = self.reply(seen)
                if answer is None:
                    return
                writer.write(answer)
                await writer.drain()
                if self.close_after:
                    return
        finally:
            writer.close()


Serve = Callable[[Reply], Awaitable[Server]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """`await serve(reply)`: a scripted server on 127.0.0.1, closed after the test."""
    servers: list[asyncio.Server] = []

    async def start(reply: Reply) -> Server:
        srv = Server(reply)
        server = await asyncio.start_server(srv.handle, "127.0.0.1", 0)
        servers.append(server)
        srv.port = server.sockets[0].getsockname()[1]
        return srv

    yield start
    for server in servers:
        server.close()


def ok_json(obj: object, status: bytes = b"200 OK") -> bytes:
    body = json.dumps(obj).encode()
    return (b"HTTP/1.1 %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n"
            % (status, len(body)) + body)


def host(srv: Server) -> tuple[str, int]:
    return "127.0.0.1", srv.port

