"""A recording httpx transport: the tester's "HTTP exchanges" tab.

app.client.BackendClient accepts a transport, so the tester wraps the real
one and sees every request and answer of a delivery without the client
knowing. Secrets stay out: credentials in headers, URLs and JSON bodies are
masked before an Exchange is made (app/exchanges.py), and a body is cut at
`max_body` characters.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

import httpx

from app.exchanges import Exchange, mask_headers, mask_text, mask_url, read_raw

__all__ = ["Exchange", "HttpLog", "RecordingTransport"]

Listener = Callable[[Exchange], None]


class HttpLog:
    """The exchanges seen so far (bounded: a kiosk runs for months) and who wants new ones."""

    def __init__(self, keep: int = 5_000) -> None:
        self.exchanges: deque[Exchange] = deque(maxlen=keep)
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def clear(self) -> None:
        self.exchanges.clear()

    def add(self, ex: Exchange) -> None:
        self.exchanges.append(ex)
        for listener in list(self._listeners):
            listener(ex)


class RecordingTransport(httpx.AsyncBaseTransport):
    """Forwards to `inner` and adds one Exchange per request to `log`."""

    def __init__(self, log: HttpLog, inner: httpx.AsyncBaseTransport | None = None, *,
                 max_body: int = 20_000) -> None:
        self.log = log
        self.inner = inner or httpx.AsyncHTTPTransport()
        self.max_body = max_body

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        t0 = time.time()
        start = time.perf_counter()
        body = mask_text(request.content, self.max_body)
        path = request.url.raw_path.decode("ascii", "replace")
        url = mask_url(str(request.url))
        sent = mask_headers(request.headers.multi_items())
        version = "HTTP/1.1"
        try:
            rsp = await self.inner.handle_async_request(request)
        except httpx.HTTPError:
            self.log.add(Exchange(t0, request.method, path, None,
                                  (time.perf_counter() - start) * 1000, body, "", url, sent))
            raise
        raw = await read_raw(rsp)
        shown = raw if "content-encoding" not in rsp.headers else b"(compressed body)"
        got = rsp.extensions.get("http_version", b"HTTP/1.1")
        if isinstance(got, bytes):
            version = got.decode("ascii", "replace")
        self.log.add(Exchange(t0, request.method, path, rsp.status_code,
                              (time.perf_counter() - start) * 1000, body,
                              mask_text(shown, self.max_body), url, sent,
                              mask_headers(rsp.headers.multi_items()), version))
        # the bytes go on unchanged (still encoded), so the client decodes them as usual
        return httpx.Response(rsp.status_code, headers=rsp.headers, stream=httpx.ByteStream(raw),
                              request=request, extensions=rsp.extensions)

    async def aclose(self) -> None:
        await self.inner.aclose()
