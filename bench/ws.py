"""WebSocket delivery (fdsm's `--run ws://...`) against the HTTP protocol, same install.

One bundled backend (its own process, SQLite in a temp dir) with a recipe install
of a CAP with ~30 KB of code (bench/overhead.py's bench app); each round installs it on a fresh
in-memory virtual card twice, once per protocol, in alternating order:

* HTTP: app/delivery.py's runner, `service/deliver` (its `next` carries the first
  batch) then one `connector/json` per batch (the last one's `next` carries the
  final status); no Service Description asked first (`describe=False`), as the
  WebSocket route asks none either;
* WebSocket: app/wsdelivery.py's runner on `/v3/ws/deliver/{app}/install?cin=&iin=`:
  the upgrade, then one `commands` / `responses` pair per batch, pushed.

Round trips: HTTP requests for HTTP, the upgrade plus one `responses` message per
batch for the WebSocket. Wall time: the whole delivery as the runner measured it.
Medians over the rounds; the ratio is WebSocket over HTTP in the same run.

    python -m bench.ws [--rounds 7] [--code-size 30000] [--timing PROFILE]

The last lines are `ws_round_trips_per_install`, `http_round_trips_per_install`,
`ws_install_s_median`, `http_install_s_median` and `ws_over_http_time_ratio`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import tempfile
from pathlib import Path

from app.backend import BundledBackend
from app.client import BackendClient
from app.delivery import DeliveryResult, DeliveryRunner
from app.identity import read_identity
from app.readers.virtual import VirtualReader
from app.wsdelivery import WsDeliveryRunner
from bench.overhead import APP_ID, register_bench_app
from cardsim.card import VirtualCard


async def _install(proto: str, client: BackendClient, timing: str | None) -> DeliveryResult:
    reader = VirtualReader(VirtualCard.create(None), timing=timing)
    try:
        info = await reader.connect()
        ident = await read_identity(reader.transmit, uid=info.uid, atr=info.atr)
        if proto == "http":
            result = await DeliveryRunner(client, reader, ident).run(APP_ID, "install",
                                                                     describe=False)
        else:
            card = ident.card_id()
            url = (f"ws{client.base_url.removeprefix('http')}/v3/ws/deliver/{APP_ID}/install"
                   f"?cin={card['cin']}&iin={card['iin']}")
            result = await WsDeliveryRunner(reader, ident, token=client.token).run_url(url)
        if not result.success:
            raise SystemExit(f"{proto} install failed: {result.error}")
        return result
    finally:
        await reader.close()


async def main_async(rounds: int, code_size: int, timing: str | None) -> None:
    admin_token = secrets.token_urlsafe(24)
    os.environ["TOUCHPOINT_ADMIN_TOKEN"] = admin_token  # handed to the backend process
    runs: dict[str, list[DeliveryResult]] = {"http": [], "ws": []}
    with tempfile.TemporaryDirectory() as tmp:
        backend = BundledBackend(db=Path(tmp) / "bench.sqlite", demo=False,
                                 log_path=Path(tmp) / "backend.log")
        async with backend:
            cap_size = await register_bench_app(backend.url, admin_token, code_size)
            async with BackendClient(backend.url, backend.token) as client:
                for proto in ("http", "ws"):  # warm-up: imports, caches, compiled scripts
                    await _install(proto, client, timing)
                for i in range(rounds):
                    order = ("http", "ws") if i % 2 == 0 else ("ws", "http")
                    for proto in order:
                        runs[proto].append(await _install(proto, client, timing))
    http, ws = runs["http"], runs["ws"]
    if {r.apdus for r in http} != {r.apdus for r in ws}:
        raise SystemExit("the two protocols carried different numbers of APDUs")
    http_s = statistics.median(r.seconds for r in http)
    ws_s = statistics.median(r.seconds for r in ws)
    print(f"cap_file_bytes: {cap_size}")  # a ZIP: the code compresses
    print(f"rounds: {rounds}")
    print(f"timing_profile: {timing or 'none'}")
    print(f"apdus_per_install: {http[0].apdus}")
    print(f"ws_round_trips_per_install: {statistics.median(r.http_round_trips for r in ws):g}")
    print(f"http_round_trips_per_install: "
          f"{statistics.median(r.http_round_trips for r in http):g}")
    print(f"ws_install_s_median: {ws_s:.3f}")
    print(f"http_install_s_median: {http_s:.3f}")
    print(f"ws_over_http_time_ratio: {ws_s / http_s:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--code-size", type=int, default=30000)
    parser.add_argument("--timing", default=None, metavar="PROFILE",
                        help="card timing profile (cardsim/timing.py), e.g. jcop4-contactless")
    args = parser.parse_args()
    asyncio.run(main_async(args.rounds, args.code_size, args.timing))


if __name__ == "__main__":
    main()
