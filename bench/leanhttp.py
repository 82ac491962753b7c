"""The simulated touch points' HTTP client: the touch point's own lean path.

The benches simulate hundreds of touch points on the same two cores as the
server. httpx costs about 2 ms of client CPU per request there, which made the
load generator, not the server, the bottleneck. app/loopback.py (what the real
touch point uses for a backend on this machine) costs a tenth of that; this
adapter gives it the subset of httpx.AsyncClient that tests/helpers/tp_loop.py
calls, and keeps every request's latency so the bench can report per-round-trip
percentiles.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit

from app.loopback import LeanResponse, LoopbackTransport, Timeouts


class HTTPStatusError(Exception):
    """A 4xx/5xx answer, raised by `raise_for_status`."""


class BenchResponse:
    """httpx.Response's `status_code`, `json()` and `raise_for_status()`."""

    def __init__(self, answer: LeanResponse) -> None:
        self.answer = answer
        self.status_code = answer.status_code

    def json(self) -> Any:
        return self.answer.json()

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise HTTPStatusError(f"HTTP {self.status_code}: {self.answer.content[:200]!r}")


class LeanClient:
    """One keep-alive connection to one server (one touch point = one connection)."""

    def __init__(self, base_url: str, timeout: float = 600.0) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.timeouts = Timeouts(timeout, timeout, timeout)
        self.transport = LoopbackTransport(max_idle=1, idle_timeout=60.0)
        self.latencies: list[float] = []  # seconds, one per request

    async def post(self, url: str, *, json: Any = None, headers: dict[str, str] | None = None,
                   params: dict[str, Any] | None = None) -> BenchResponse:
        return await self._request("POST", url, json, headers, params)

    async def get(self, url: str, *, headers: dict[str, str] | None = None,
                  params: dict[str, Any] | None = None) -> BenchResponse:
        return await self._request("GET", url, None, headers, params)

    async def _request(self, method: str, url: str, body: Any,
                       headers: dict[str, str] | None,
                       params: dict[str, Any] | None) -> BenchResponse:
        parts = urlsplit(url)
        target = parts.path or "/"
        query = [q for q in (parts.query, urlencode(params) if params else "") if q]
        if query:
            target += "?" + "&".join(query)
        wire = [(b"host", f"{self.host}:{self.port}".encode())]
        payload = b""
        if body is not None:
            payload = _dumps(body)
            wire.append((b"content-type", b"application/json"))
        wire += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
        answer = await self.transport.send(method, self.host, self.port, target, wire, payload,
                                           self.timeouts)
        trip = self.transport.timings[-1]
        self.latencies.append(trip.done - trip.start)
        return BenchResponse(answer)

    async def aclose(self) -> None:
        await self.transport.aclose()


def _dumps(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()
