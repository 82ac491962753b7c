"""A minimal HTTP/1.1 keep-alive JSON client for load generators.

The benches simulate hundreds of touch points on the same two cores as the
server. httpx costs about 2 ms of client CPU per request there, which made the
load generator, not the server, the bottleneck. This client does just what the
device protocol needs (POST/GET with a JSON body, Content-Length responses, one
connection reused) at about a tenth of that, and records each request's latency
so the bench can report per-round-trip percentiles. It offers the subset of
httpx.AsyncClient that tests/helpers/tp_loop.py uses.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlencode, urlsplit


class HTTPStatusError(Exception):
    """A 4xx/5xx answer, raised by `raise_for_status`."""


class LeanResponse:
    """The parts of httpx.Response the simulated touch points read."""

    def __init__(self, status_code: int, headers: dict[str, str], content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    def json(self) -> Any:
        return json.loads(self.content)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise HTTPStatusError(f"HTTP {self.status_code}: {self.text[:200]}")


class LeanClient:
    """One keep-alive connection to one server; requests are sent one at a time."""

    def __init__(self, base_url: str, timeout: float = 600.0) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.timeout = timeout
        self.latencies: list[float] = []  # seconds, one per request
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._lock = asyncio.Lock()

    async def post(self, url: str, *, json: Any = None, headers: dict[str, str] | None = None,
                   params: dict[str, Any] | None = None) -> LeanResponse:
        return await self.request("POST", url, json, headers, params)

    async def get(self, url: str, *, headers: dict[str, str] | None = None,
                  params: dict[str, Any] | None = None) -> LeanResponse:
        return await self.request("GET", url, None, headers, params)

    async def request(self, method: str, url: str, body: Any,
                      headers: dict[str, str] | None,
                      params: dict[str, Any] | None) -> LeanResponse:
        parts = urlsplit(url)
        target = parts.path or "/"
        query = [q for q in (parts.query, urlencode(params) if params else "") if q]
        if query:
            target += "?" + "&".join(query)
        payload = b"" if body is None else _dumps(body)
        head = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}",
                f"Content-Length: {len(payload)}"]
        if body is not None:
            head.append("Content-Type: application/json")
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        raw = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload
        async with self._lock:
            start = time.perf_counter()
            try:
                resp = await asyncio.wait_for(self._exchange(raw), self.timeout)
            except BaseException:
                await self._drop()
                raise
            self.latencies.append(time.perf_counter() - start)
            return resp

    async def _exchange(self, raw: bytes) -> LeanResponse:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        self._writer.write(raw)
        head = await self._reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            content = await self._reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            content = await self._chunked()
        else:
            content = b""
        if headers.get("connection", "").lower() == "close":
            await self._drop()
        return LeanResponse(status, headers, content)

    async def _chunked(self) -> bytes:
        assert self._reader is not None
        out = bytearray()
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self._reader.readuntil(b"\r\n")
                return bytes(out)
            out += await self._reader.readexactly(size)
            await self._reader.readexactly(2)

    async def _drop(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()

    async def aclose(self) -> None:
        await self._drop()


def _dumps(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()
