"""Where the touch point's own time per install goes, stage by stage (issue 13).

Runs bench/overhead.py's rounds with a stopwatch around three stages of each
install: the client's backend calls (start_delivery, fetch, connector: request
built, sent, answer parsed), the reader's batches (`transmit_batch`, as the
loop awaits them) and everything else in `DeliveryRunner.run`. With the server's
time (the loopback transport's stamps) and the card's (the trace), that splits
the touch point's time into `client_minus_server_ms`, `batch_minus_card_ms` and
`rest_ms`, per install, median over the rounds, for the real backend (stack) and
the replay floor (a server that does no work).

`--bypass-asyncclient` hands each request straight to the loopback transport
instead of `httpx.AsyncClient.send` (a measurement only: what the client layer
costs inside an install).

    .venv/bin/python -m bench.overhead_stages [--rounds 9] [--bypass-asyncclient]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

import bench.overhead as overhead
from app.client import BackendClient
from app.delivery import DeliveryRunner
from app.loopback import LoopbackTransport
from app.readers.pcsc import PcscReader

_spent: dict[str, float] = {}
_rows: list[dict[str, float]] = []


def _stopwatch(cls: type, name: str, stage: str) -> None:
    inner: Callable[..., Awaitable[Any]] = getattr(cls, name)

    @functools.wraps(inner)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return await inner(*args, **kwargs)
        finally:
            _spent[stage] = _spent.get(stage, 0.0) + time.perf_counter() - t0

    setattr(cls, name, timed)


def _watch_runs() -> None:
    run = DeliveryRunner.run

    async def timed_run(self: DeliveryRunner, *args: Any, **kwargs: Any) -> Any:
        _spent.clear()
        t0 = time.perf_counter()
        result = await run(self, *args, **kwargs)
        total = (time.perf_counter() - t0) * 1000
        card = sum(e.duration_ms or 0 for e in result.trace.entries if e.direction == "<<")
        lean = self.client.loopback
        server = sum(t.server_ms_from_send for t in lean.timings) if lean else float("nan")
        client, batch = _spent.get("client", 0.0) * 1000, _spent.get("batch", 0.0) * 1000
        _rows.append({"client_minus_server_ms": client - server,
                      "batch_minus_card_ms": batch - card,
                      "rest_ms": total - client - batch})
        return result

    DeliveryRunner.run = timed_run  # type: ignore[method-assign]


def _bypass_asyncclient() -> None:
    send = httpx.AsyncClient.send

    async def direct(self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any
                     ) -> httpx.Response:
        transport = self._transport
        if not isinstance(transport, LoopbackTransport):
            return await send(self, request, **kwargs)
        response = await transport.handle_async_request(request)
        response.request = request
        await response.aread()
        return response

    httpx.AsyncClient.send = direct  # type: ignore[method-assign]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--bypass-asyncclient", action="store_true")
    args = parser.parse_args()
    for name in ("start_delivery", "fetch", "connector"):
        _stopwatch(BackendClient, name, "client")
    _stopwatch(PcscReader, "transmit_batch", "batch")
    _watch_runs()
    if args.bypass_asyncclient:
        _bypass_asyncclient()
    sys.argv = [sys.argv[0], "--rounds", str(args.rounds)]
    asyncio.run(overhead.main())
    for label, rows in (("stack", _rows[0::2]), ("replay", _rows[1::2])):
        for key in ("client_minus_server_ms", "batch_minus_card_ms", "rest_ms"):
            print(f"{label}_{key}: {statistics.median(r[key] for r in rows):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
