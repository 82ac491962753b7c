"""The tester's HTTP exchanges as a HAR 1.2 file, which browser developer tools open.

Fields follow the HAR 1.2 spec (http://www.softwareishard.com/blog/har-12-spec/):
log{version, creator, entries[]}, each entry with startedDateTime, time,
request, response, cache and timings. The exchanges were masked when they were
recorded (app/exchanges.py); the bodies are masked once more here, so a HAR
made from an older record cannot carry a token either.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from app.exchanges import Exchange, mask_headers, mask_text, mask_url
from app.paths import write_atomic

CREATOR = {"name": "touchpoint tester", "version": "1"}
_REASONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request",
            401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
            412: "Precondition Failed", 422: "Unprocessable Entity",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def _headers(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in mask_headers(pairs)]


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _mime(ex: Exchange, response: bool) -> str:
    found = ex.header("content-type", response)
    if found:
        return found
    return "application/json" if (ex.response_body if response else ex.request_body
                                  ).lstrip().startswith(("{", "[")) else "text/plain"


def entry(ex: Exchange, base_url: str = "") -> dict[str, Any]:
    """One HAR entry of `ex`; `base_url` completes records that kept only the path."""
    url = mask_url(ex.url or base_url.rstrip("/") + ex.path)
    request_body = mask_text(ex.request_body.encode("utf-8"), 1 << 30)
    response_body = mask_text(ex.response_body.encode("utf-8"), 1 << 30)
    request: dict[str, Any] = {
        "method": ex.method, "url": url, "httpVersion": ex.http_version,
        "headers": _headers(ex.request_headers), "cookies": [],
        "queryString": [{"name": k, "value": v} for k, v in
                        parse_qsl(urlsplit(url).query, keep_blank_values=True)],
        "headersSize": -1, "bodySize": _size(request_body) if request_body else 0,
    }
    if request_body:
        request["postData"] = {"mimeType": _mime(ex, False), "text": request_body, "params": []}
    status = ex.status if ex.status is not None else 0
    response = {
        "status": status, "statusText": _REASONS.get(status, "" if status else "no answer"),
        "httpVersion": ex.http_version, "headers": _headers(ex.response_headers),
        "cookies": [], "redirectURL": ex.header("location") or "",
        "content": {"size": _size(response_body), "mimeType": _mime(ex, True),
                    "text": response_body},
        "headersSize": -1, "bodySize": _size(response_body) if ex.status is not None else -1,
    }
    wait = max(ex.duration_ms, 0.0)
    return {
        "startedDateTime": datetime.fromtimestamp(ex.time, UTC).isoformat(
            timespec="milliseconds").replace("+00:00", "Z"),
        "time": round(wait, 3), "request": request, "response": response, "cache": {},
        "timings": {"blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": 0,
                    "wait": round(wait, 3), "receive": 0},
    }


def build(exchanges: Iterable[Exchange], base_url: str = "", comment: str = "") -> dict[str, Any]:
    """The HAR document (a dict ready for json.dumps)."""
    log: dict[str, Any] = {"version": "1.2", "creator": dict(CREATOR),
                           "entries": [entry(ex, base_url) for ex in exchanges]}
    if comment:
        log["comment"] = comment
    return {"log": log}


def save(path: str | os.PathLike[str], exchanges: Iterable[Exchange], base_url: str = "",
         comment: str = "") -> Path:
    """Writes the HAR file atomically (a half-written export never replaces a good one)."""
    text = json.dumps(build(exchanges, base_url, comment), indent=1, ensure_ascii=False)
    return write_atomic(path, text + "\n")
