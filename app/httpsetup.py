"""What `BackendClient` hands its `httpx.AsyncClient` so that httpx does no work the
device and management APIs do not need (figures in bench/RESULTS.md, issue 13).

- `NoCookies`: those APIs authenticate with a bearer token and set no cookies,
  so the client's jar keeps none; httpx then does not parse every answer's
  headers for them.
- `absolute_url`: the few URLs a client sends to, parsed once each (httpx would
  parse the path and merge it into `base_url` on every request).
"""

from __future__ import annotations

import functools
from http.cookiejar import CookieJar
from typing import Any

import httpx


class NoCookies(CookieJar):
    """A cookie jar that keeps nothing a server sets."""

    def extract_cookies(self, response: Any, request: Any) -> None:
        """Ignores the answer's Set-Cookie headers (there are none to keep)."""


@functools.lru_cache(maxsize=256)
def absolute_url(base_url: str, path: str) -> httpx.URL:
    """`base_url` + `path` as httpx.URL (immutable, so one object serves every request);
    ids in paths make the set open-ended, hence a bounded cache."""
    return httpx.URL(base_url + path)
