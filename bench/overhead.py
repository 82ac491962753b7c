"""What the touch point stack adds to an install, measured against raw pyscard.

One run, same machine, same reader, same card implementation:

1. full stack: the touch point core (app.client + app.delivery + app.readers.pcsc)
   installs a ~30 KB CAP through the bundled backend (its own process, over HTTP),
   pcscd + the vpcd driver, and cardsim;
2. baseline: the card is put back in the state it had before the install and the
   very same command APDUs are replayed with raw pyscard on the same reader.

In between, the floor: the same install, same touch point stack, against
bench/replaybackend.py, which answers the real backend's recorded replies and does
no work (on a copy of the card as the install found it, so the replayed SCP03
commands are valid): touch point + HTTP + card, nothing of the backend's own work.

Rounds alternate (stack, replay, raw) on fresh cards; the medians give the ratio. The card
is kept in memory (no state file), so card time is small and the ratio shows our
overhead rather than hiding it behind EEPROM writes; a real card's 20-130 ms per
LOAD block would push the ratio towards 1.

    .venv/bin/python -m bench.overhead [--rounds 5] [--code-size 30000]
        [--timing jcop4-contactless]

With `--timing PROFILE` the card takes the time a real card takes (cardsim/timing.py)
in every mode of the run, the raw pyscard replay included, and the last line is
`stack_over_raw_ratio_jcop4: X` for jcop4-contactless (else ..._PROFILE): what a user
waits for beyond the card's own time. Without it the in-memory figures remain as a
diagnostic of the backend's and the touch point's milliseconds per install.

Needs pcscd and the vpcd driver (started here when none is running). The last two
lines are `http_round_trips_per_install: N` and `stack_over_raw_ratio: X`.

Each stack round also says where its time went: the card's (inside the reader
worker, from the trace), each HTTP request as the client saw it and, with the
lean loopback client, the server's part of it (from the send() call to the answer
read: on two cores the kernel often runs the server inside that call),
and the rest, what the touch point itself added. The `stack_*_ms_median` lines
give the medians of those parts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.backend import BundledBackend, free_port
from app.client import BackendClient
from app.delivery import DeliveryRunner
from app.identity import read_identity
from app.readers.pcsc import PcscReader
from bench.stubserver import spawn
from cardsim.card import VirtualCard
from cardsim.state import CardState
from cardsim.vpcd import VpcdBridge
from tests.helpers.capwriter import build_cap
from tests.helpers.pcsc import READER, SLOT0_PORT, Pcscd, SlotLock, wait_card

APP_ID = "62656e63"  # "benc"
PACKAGE = bytes.fromhex("A00000061700" + APP_ID + "01")
APPLET = PACKAGE + b"\x01"


async def register_bench_app(url: str, admin_token: str, code_size: int) -> int:
    """Creates the bench app with a recipe install service; returns the CAP size."""
    cap = build_cap(PACKAGE, [APPLET], package_name="bench.overhead", code_size=code_size)
    admin = {"Authorization": f"Bearer {admin_token}"}
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        rsp = await http.post("/admin/apps", headers=admin,
                              json={"appId": APP_ID, "name": {"en": "Overhead bench"}})
        if rsp.status_code == 409:
            rsp = await http.put(f"/admin/apps/{APP_ID}/credentials", headers=admin)
        rsp.raise_for_status()
        auth = httpx.BasicAuth(APP_ID, rsp.json()["appKey"])
        base = f"/v3/apps/{APP_ID}"
        rsp = await http.post(f"{base}/capfiles", content=cap, auth=auth,
                              headers={"Content-Type": "application/octet-stream"})
        rsp.raise_for_status()
        lfdbh = rsp.json()["id"]
        recipe = {
            "description": {"title": {"en": "Install the bench applet"}},
            "actions": [{"endpoint": "/ccm/install", "content": {
                "id": lfdbh, "searchBy": "lfdbh", "module": APPLET.hex().upper(),
                "application": APPLET.hex().upper()}}],
            "successMessage": {"en": "installed"}, "failureMessage": {"en": "failed"},
        }
        (await http.put(f"{base}/services/install/recipe", json=recipe, auth=auth)
         ).raise_for_status()
        desc = {"name": {"en": "Overhead bench"}, "organization": {"name": {"en": "bench"}},
                "description": {"en": "bench"}, "installServices": ["install"]}
        (await http.put(base, json=desc, auth=auth)).raise_for_status()
    return len(cap)


def clone(card: VirtualCard) -> VirtualCard:
    """The same card, same state (keys, counters, registry), as a new object in memory."""
    return VirtualCard(CardState.loads(card.state.dumps()), None)


@dataclass
class StackRound:
    """One install through the stack and where its time went."""

    seconds: float
    commands: list[bytes]
    answers: list[bytes]
    round_trips: int
    before: VirtualCard  # the card as the install found it, for the raw replay
    card_ms: float  # inside the reader worker, waiting on pcscd and the card
    http: list[tuple[str, float, float | None]]  # (path, ms as the client saw it, server ms)
    recorded: list[tuple[str, str]]  # (path, answer body) of each request, for the replay

    @property
    def http_ms(self) -> float:
        return sum(ms for _, ms, _ in self.http)

    @property
    def server_ms(self) -> float:
        return sum(srv if srv is not None else ms for _, ms, srv in self.http)

    @property
    def touchpoint_ms(self) -> float:
        """What the touch point itself added: all but the card's and the server's time."""
        return self.seconds * 1000 - self.card_ms - self.server_ms


TIMING = "none"  # the card timing profile of this run (--timing)


async def stack_install(client: BackendClient, card: VirtualCard | None = None,
                        label: str = "stack") -> StackRound:
    """One install through the stack on `card` (a factory-fresh one by default)."""
    card = card or VirtualCard.create(None)
    bridge = VpcdBridge(card, port=SLOT0_PORT, timing=TIMING).start()
    try:
        assert bridge.wait_connected(10)
        wait_card(True, READER)
        reader = PcscReader(READER)
        try:
            info = await reader.connect()
            ident = await read_identity(reader.transmit, atr=info.atr)
            before = clone(card)  # the card exactly as the install will find it
            runner = DeliveryRunner(client, reader, ident)
            client.stats.history.clear()
            lean = client.loopback
            recorded: list[tuple[str, str]] = []
            if lean is not None:
                lean.timings.clear()
                handle = lean.handle_async_request

                async def recording(request: httpx.Request) -> httpx.Response:
                    answer = await handle(request)
                    await answer.aread()
                    recorded.append((request.url.path, answer.content.decode()))
                    return answer

                lean.handle_async_request = recording  # type: ignore[method-assign]
            t0 = time.perf_counter()
            try:
                result = await runner.run(APP_ID, "install", describe=False)
            finally:
                if lean is not None:
                    del lean.handle_async_request  # the class's method again
            elapsed = time.perf_counter() - t0
            if not result.success:
                raise SystemExit(f"install failed: {result.error}")
            entries = result.trace.entries
            commands = [e.data for e in entries if e.direction == ">>"]
            card_ms = sum(e.duration_ms or 0 for e in entries if e.direction == "<<")
            server: list[float | None] = ([t.server_ms_from_send for t in lean.timings]
                                          if lean is not None else [])
            server += [None] * (len(client.stats.history) - len(server))
            http = [(path.rsplit("/", 1)[-1], sec * 1000, srv)
                    for (path, sec), srv in zip(client.stats.history, server, strict=True)]
            answers = [e.data for e in entries if e.direction == "<<" and e.sw is not None]
            done = StackRound(elapsed, commands, answers, result.http_round_trips, before,
                              card_ms, http, recorded)
            print(f"  {label}: card {card_ms:.1f} ms (reader worker, pcscd, card); HTTP "
                  f"{done.http_ms:.1f} ms: " + ", ".join(
                      f"{name} {ms:.1f}" + (f" (server {srv:.1f})" if srv is not None else "")
                      for name, ms, srv in http)
                  + f"; touch point itself {done.touchpoint_ms:.1f} ms", flush=True)
            return done
        finally:
            await reader.close()
    finally:
        bridge.stop()
        wait_card(False, READER)


def start_replay_backend() -> tuple[subprocess.Popen[str], str]:
    """bench/replaybackend.py in its own process, as the real backend runs in its own."""
    return spawn("bench.replaybackend", free_port())


def raw_replay(card: VirtualCard, commands: list[bytes], answers: list[bytes]
               ) -> tuple[float, int]:
    """The same APDUs with plain pyscard; returns (seconds, status word mismatches)."""
    from smartcard.System import readers

    bridge = VpcdBridge(card, port=SLOT0_PORT, timing=TIMING).start()
    try:
        assert bridge.wait_connected(10)
        wait_card(True, READER)
        conn = next(r for r in readers() if str(r) == READER).createConnection()
        conn.connect()
        try:
            apdus = [list(c) for c in commands]
            t0 = time.perf_counter()
            got = [conn.transmit(a) for a in apdus]
            elapsed = time.perf_counter() - t0
        finally:
            conn.release()
        mismatches = sum(1 for (data, sw1, sw2), want in zip(got, answers, strict=True)
                         if bytes([sw1, sw2]) != want[-2:])
        return elapsed, mismatches
    finally:
        bridge.stop()
        wait_card(False, READER)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--code-size", type=int, default=30000,
                        help="bytecode filler of the CAP (default 30000 -> a ~30 KB CAP)")
    parser.add_argument("--timing", default="none", metavar="PROFILE",
                        help="card timing profile for every mode (cardsim/timing.py), "
                        "e.g. jcop4-contactless")
    args = parser.parse_args()
    global TIMING
    TIMING = args.timing

    lock = SlotLock()  # one vpcd slot per machine: wait for tests or other benches using it
    lock.acquire()
    daemon = Pcscd().start()
    admin_token = secrets.token_urlsafe(24)
    os.environ["TOUCHPOINT_ADMIN_TOKEN"] = admin_token  # handed to the backend process
    replay_proc, replay_url = start_replay_backend()
    stack_t, raw_t, floor_t, trips = [], [], [], []
    rounds: list[StackRound] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            backend = BundledBackend(db=Path(tmp) / "bench.sqlite", demo=False,
                                     log_path=Path(tmp) / "backend.log")
            async with backend, BackendClient(replay_url, "replay") as floor_client:
                cap_size = await register_bench_app(backend.url, admin_token, args.code_size)
                async with BackendClient(backend.url, backend.token) as client:
                    apdus = 0
                    for i in range(args.rounds):
                        st = await stack_install(client)
                        commands, t, rt = st.commands, st.seconds, st.round_trips
                        async with httpx.AsyncClient(base_url=replay_url) as http:
                            (await http.put("/_replay", json=st.recorded)).raise_for_status()
                        fl = await stack_install(floor_client, clone(st.before), "replay")
                        if fl.commands != commands:
                            raise SystemExit("the replayed install sent other APDUs")
                        r, mismatches = raw_replay(clone(st.before), commands, st.answers)
                        if mismatches:
                            print(f"warning: round {i}: {mismatches} status words differ in "
                                  "the replay", file=sys.stderr)
                        rounds.append(st)
                        stack_t.append(t)
                        floor_t.append(fl.seconds)
                        raw_t.append(r)
                        trips.append(rt)
                        apdus = len(commands)
                        load_bytes = sum(len(c) - 5 for c in commands if c[1] == 0xE8)
                        print(f"round {i}: stack {t * 1000:.1f} ms, replay backend "
                              f"{fl.seconds * 1000:.1f} ms, raw {r * 1000:.1f} ms, "
                              f"{len(commands)} APDUs, {rt} HTTP round trips", flush=True)
    finally:
        replay_proc.terminate()
        replay_proc.wait(10)
        daemon.stop()
        lock.release()
    stack = statistics.median(stack_t)
    raw = statistics.median(raw_t)
    print(f"cap_file_bytes: {cap_size} (ZIP; the bytecode filler compresses)")
    print(f"load_file_bytes: {load_bytes}")
    print(f"apdus_per_install: {apdus}")
    print(f"stack_ms_median: {stack * 1000:.1f}")
    print(f"raw_pyscard_ms_median: {raw * 1000:.1f}")
    # where the stack's time goes (medians over the rounds, each part on its own)
    print(f"stack_card_ms_median: {statistics.median(r.card_ms for r in rounds):.1f}")
    print(f"stack_http_ms_median: {statistics.median(r.http_ms for r in rounds):.1f} "
          "(as the client saw its requests)")
    print(f"stack_server_ms_median: {statistics.median(r.server_ms for r in rounds):.1f} "
          "(request written to answer read, per request, summed)")
    print(f"stack_touchpoint_ms_median: {statistics.median(r.touchpoint_ms for r in rounds):.1f}"
          " (all but card and server time)")
    # each round's stack and raw runs are neighbours in time: their ratio cancels slow
    # spells of a shared machine better than the ratio of two medians
    floor = statistics.median(floor_t)
    print(f"replay_backend_ms_median: {floor * 1000:.1f} (the same install, the real backend's "
          "answers replayed by a server that does no work)")
    print(f"replay_over_raw_ratio: {floor / raw:.2f} (the floor: touch point + HTTP + card)")
    pairs = statistics.median(t / r for t, r in zip(stack_t, raw_t, strict=True))
    print(f"stack_over_raw_ratio_median_of_rounds: {pairs:.2f}")
    print(f"http_round_trips_per_install: {statistics.median(trips):.0f}")
    if args.timing == "none":
        print(f"stack_over_raw_ratio: {stack / raw:.2f}")
    else:
        name = "jcop4" if args.timing == "jcop4-contactless" else args.timing.replace("-", "_")
        print(f"timing_profile: {args.timing}")
        print(f"stack_over_raw_ratio_{name}: {stack / raw:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
