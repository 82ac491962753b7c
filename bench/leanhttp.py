"""The simulated touch points' HTTP client: app/loopback.py without httpx's client layer.

The benches simulate hundreds of touch points on the same two cores as the
server, so the load generator's CPU per request must stay small beside the
server's. This adapter hands requests straight to `LoopbackTransport` (what the
real touch point uses under httpx.AsyncClient for a backend on this machine),
gives it the subset of httpx.AsyncClient that tests/helpers/tp_loop.py calls,
and keeps every request's latency so the bench can report per-round-trip
percentiles.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from app.loopback import LoopbackTransport


class HTTPStatusError(Exception):
    """A 4xx/5xx answer, raised by `raise_for_status`."""


class BenchResponse:
    """httpx.Response's `status_code`, `json()` and `raise_for_status()`."""

    def __init__(self, answer: httpx.Response) -> None:
        self.answer = answer
        self.status_code = answer.status_code

    def json(self) -> Any:
        return json.loads(self.answer.content)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise HTTPStatusError(f"HTTP {self.status_code}: {self.answer.content[:200]!r}")


class LeanClient:
    """One keep-alive connection to one server (one touch point = one connection)."""

    def __init__(self, base_url: str, timeout: float = 600.0) -> None:
        self.base = httpx.URL(base_url)
        self.timeout = {"connect": timeout, "read": timeout, "write": timeout}
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
        wire = dict(headers or {})
        payload = b""
        if body is not None:
            payload = _dumps(body)
            wire["content-type"] = "application/json"
        request = httpx.Request(method, self.base.join(url), params=params, headers=wire,
                                content=payload, extensions={"timeout": self.timeout})
        answer = await self.transport.handle_async_request(request)
        await answer.aread()
        trip = self.transport.timings[-1]
        self.latencies.append(trip.done - trip.start)
        return BenchResponse(answer)

    async def aclose(self) -> None:
        await self.transport.aclose()


def _dumps(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()
