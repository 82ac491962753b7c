"""One HTTP exchange as the tester records it, with its secrets masked at recording time.

The record keeps what a HAR file needs (URL, headers, bodies, timing) but an
Authorization header, a cookie or a token never reaches it: `mask_headers`
and `mask_text` run before an Exchange is made, so nothing later (the HTTP
tab, a HAR export, a log) can leak them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

MASK = "***"
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie",
                            "x-api-key", "x-auth-token"})
# JSON keys (and query parameters) whose value is a credential
_SECRET_KEY = re.compile(r"(token|secret|password|passwd|authorization|apikey|api_key|pin)$",
                         re.IGNORECASE)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")

Headers = tuple[tuple[str, str], ...]


def is_secret_key(name: str) -> bool:
    return bool(_SECRET_KEY.search(name.replace("-", "_")))


def mask_headers(headers: Iterable[tuple[str, str]]) -> Headers:
    """The headers with every credential's value replaced by MASK."""
    return tuple((k, MASK if k.lower() in SECRET_HEADERS or is_secret_key(k) else v)
                 for k, v in headers)


def mask_url(url: str) -> str:
    """The URL with credential query parameters and user info masked."""
    parts = urlsplit(url)
    query = urlencode([(k, MASK if is_secret_key(k) else v)
                       for k, v in parse_qsl(parts.query, keep_blank_values=True)])
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _mask_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: MASK if isinstance(k, str) and is_secret_key(k) and v not in (None, "")
                else _mask_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_json(v) for v in value]
    return value


def mask_text(raw: bytes, limit: int) -> str:
    """A body as text (JSON pretty-printed with credential fields masked), cut at `limit`."""
    if not raw:
        return ""
    try:
        text = json.dumps(_mask_json(json.loads(raw)), indent=1, ensure_ascii=False)
    except ValueError:
        text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", raw.decode("utf-8", "replace"))
    return text if len(text) <= limit else text[:limit] + " …"


@dataclass(frozen=True)
class Exchange:
    time: float
    method: str
    path: str
    status: int | None  # None: no answer (connection failed)
    duration_ms: float
    request_body: str
    response_body: str
    url: str = ""  # the whole URL, credentials masked ("" in records made before HAR export)
    request_headers: Headers = field(default=())
    response_headers: Headers = field(default=())
    http_version: str = "HTTP/1.1"

    def to_json(self) -> dict[str, Any]:
        return {"time": self.time, "method": self.method, "path": self.path,
                "status": self.status, "durationMs": round(self.duration_ms, 2),
                "request": self.request_body, "response": self.response_body}

    def header(self, name: str, response: bool = True) -> str | None:
        for k, v in self.response_headers if response else self.request_headers:
            if k.lower() == name.lower():
                return v
        return None


async def read_raw(rsp: httpx.Response) -> bytes:
    """An answer's body as it came (not decoded), read once, for a wrapper that records or
    logs it and hands on a fresh answer with the same bytes."""
    if rsp.is_stream_consumed:  # a transport that built its answer in memory
        return rsp.content
    try:
        return b"".join([chunk async for chunk in rsp.aiter_raw()])
    finally:
        await rsp.aclose()
