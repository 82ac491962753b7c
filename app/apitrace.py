"""`--trace-api`: every HTTP request and answer of the backend client, in the log.

An httpx transport wrapped around the real one (BackendClient takes a
transport), so the client is not touched. Secrets are masked: the
Authorization header and any header or JSON member whose name says it is a
credential (token, key, password, secret, pin) show as `***`.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import httpx

from app.exchanges import read_raw
from app.logs import API_LOGGER

log = logging.getLogger(API_LOGGER)
MASK = "***"
SECRET_WORDS = ("authorization", "token", "key", "password", "secret", "pin", "cookie")
MAX_BODY = 4000


def _secret(name: str) -> bool:
    low = name.lower().replace("-", "").replace("_", "")
    return any(word in low for word in SECRET_WORDS)


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: MASK if _secret(str(k)) and v not in (None, "") else _mask(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def mask_body(raw: bytes) -> str:
    """A body for the log: JSON with its credential members masked, else text, cut short."""
    if not raw:
        return ""
    try:
        text = json.dumps(_mask(json.loads(raw)), ensure_ascii=False, separators=(",", ":"))
    except ValueError:
        text = raw.decode("utf-8", "replace")
    return text if len(text) <= MAX_BODY else text[:MAX_BODY] + " ..."


def mask_headers(headers: httpx.Headers) -> str:
    return ", ".join(f"{k}: {MASK if _secret(k) else v}" for k, v in headers.items())


class ApiTraceTransport(httpx.AsyncBaseTransport):
    """Forwards to `inner`; logs each request and its answer (or failure) on `app.api`."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        log.info("> %s %s [%s] %s", request.method, request.url, mask_headers(request.headers),
                 mask_body(request.content))
        start = time.perf_counter()
        try:
            rsp = await self.inner.handle_async_request(request)
        except httpx.HTTPError as exc:
            log.info("< %s %s failed after %.1f ms: %s", request.method, request.url.path,
                     (time.perf_counter() - start) * 1000, exc)
            raise
        raw = await read_raw(rsp)
        shown = raw if "content-encoding" not in rsp.headers else b"(compressed body)"
        log.info("< %d %s %s (%.1f ms) %s", rsp.status_code, request.method, request.url.path,
                 (time.perf_counter() - start) * 1000, mask_body(shown))
        return httpx.Response(rsp.status_code, headers=rsp.headers, stream=httpx.ByteStream(raw),
                              request=request, extensions=rsp.extensions)

    async def aclose(self) -> None:
        await self.inner.aclose()


def traced_transport(url: str) -> ApiTraceTransport:
    """The transport BackendClient would pick for `url` (the lean one on this machine),
    wrapped."""
    from app.loopback import LoopbackTransport, is_loopback_url

    return ApiTraceTransport(LoopbackTransport() if is_loopback_url(url) else None)
