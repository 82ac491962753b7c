"""Backend throughput: N concurrent simulated touch points against the real server.

Each touch point holds its own in-process virtual card (cardsim) and its own
connection (bench/leanhttp.py), and runs about `--total`/N deliveries of a
recipe service that carries 10 APDUs, back to back (deliver, whose `next`
carries the batch, then connector/json, whose `next` is the final status),
against a backend started as a separate process (`touchpoint-backend serve`,
SQLite in a temp dir). Reported per N: deliveries ("operations") per second,
p50/p99 latency of a whole delivery and of a single HTTP round trip, HTTP
round trips per delivery, errors, and server and client CPU per delivery.
With N touch points always busy, mean delivery latency is N / throughput
(Little's law). The last three lines are `ops_per_s_n100`, `p99_ms_n100`
(whole deliveries) and `errors_n1000`.

    python -m bench.backend [--sizes 1,10,100,1000] [--total 300] [--sync full|normal]
                            [--client lean|httpx] [--no-null]
                            [--server-root DIR] [--old-protocol]
                            [--db postgresql://USER@HOST/DB | --db pg-temp] [--workers N]

`--db postgresql://...` runs the backend on PostgreSQL: the bench creates a
fresh database next to the one named (so it needs CREATEDB) and drops it
afterwards; `--db pg-temp` starts a throwaway local cluster for the run
(tests/helpers/postgres.py: durable fsync, synchronous_commit off, which is
what SQLite's `--sync normal` gives too). `--workers N` starts
`touchpoint-backend serve --workers N` (N processes on one port; server CPU is
summed over them). With PostgreSQL the last lines also carry
`pg_ops_per_s_n100_wN` and `pg_p99_ms_n100_wN`.

Unless `--no-null`, the same N=100 load also runs against bench/nullbackend.py
(the same FastAPI/uvicorn stack answering canned protocol replies, no database):
the ceiling any backend on this stack reaches on this machine, printed as
`null_ops_per_s_n100`, `null_p99_ms_n100` and `ops_over_null_ratio_n100`.

`--server-root` runs the backend of another checkout (e.g. an older commit
unpacked with `git archive`) under the same load generator, for before/after
figures; `--old-protocol` makes the touch points ignore the round-trip
shortcuts (inline first batch, `next`), as an old client would.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from backend_stub.runner import free_port
from bench.leanhttp import LeanClient
from bench.stubserver import ROOT, spawn
from cardsim.card import VirtualCard
from tests.helpers.tp_loop import TouchPoint

DEVICE = "bench-device-token"
ADMIN = "bench-admin-token"
APP = "be4c0001"
APDUS = ["00A4040000", "80CA004500", "80CA004200", "80CA9F7F00", "00A4040000",
         "80CA004500", "80CA004200", "80CA9F7F00", "00A4040000", "80CA004500"]


def start_server(data: Path, port: int, sync: str, root: Path = ROOT,
                 db: str | None = None, workers: int = 1) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "backend_stub.cli", "serve", "--port", str(port),
           "--data-dir", str(data), "--device-token", DEVICE, "--admin-token", ADMIN,
           "--fetch-wait", "10", "--touchpoint-timeout", "600", "--sync", sync,
           "--log-level", "warning"]
    if db is not None:
        cmd += ["--db", db]
    if workers != 1:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    started = 0
    while started < workers:
        line = proc.stdout.readline()
        if "listening" in line:
            started += 1
        elif not line or "device token" not in line:
            proc.kill()
            raise SystemExit(f"backend did not start: {line}{proc.stdout.read()}")
    return proc


def process_tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its direct children (the workers of --workers N)."""
    total = cpu_seconds(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return total + sum(cpu_seconds(int(c)) for c in children)


async def pg_database(url: str) -> tuple[str, Any]:
    """A fresh database beside the one `url` names; returns its URL and a drop() coroutine."""
    import uuid

    import asyncpg

    name = f"tp_bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base, _, _ = url.rpartition("/")

    async def drop() -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    return f"{base}/{name}", drop


async def setup(url: str) -> None:
    async with httpx.AsyncClient(base_url=url) as c:
        resp = await c.post("/admin/apps", json={"appId": APP},
                            headers={"Authorization": f"Bearer {ADMIN}"})
        resp.raise_for_status()
        key = resp.json()["appKey"]
        recipe = {"description": {"title": {"en": "Bench"}},
                  "actions": [{"endpoint": "/transceive", "content": {"commands": APDUS}}]}
        resp = await c.put(f"/v3/apps/{APP}/services/bench/recipe", json=recipe,
                           auth=(APP, key))
        resp.raise_for_status()


async def one(tp: TouchPoint, rounds: int) -> list[tuple[float, bool, int, str]]:
    """`rounds` deliveries back to back: (latency, ok, round trips, why) of each."""
    out = []
    for _ in range(rounds):
        tp.round_trips = 0
        start = time.perf_counter()
        why = ""
        try:
            result = await tp.run_service(APP, "bench")
            ok = result.success
            if not ok:
                why = str(result.error or result.message)
        except Exception as exc:
            ok, why = False, repr(exc)
        out.append((time.perf_counter() - start, ok, tp.round_trips, why))
    return out


def cpu_seconds(pid: int) -> float:
    """User+system CPU time of a process (Linux /proc), to split server from client cost."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def rounds_for(n: int, total: int) -> int:
    """Deliveries per touch point so that a size runs about `total` deliveries in all."""
    return max(1, round(total / n))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def run_size(url: str, n: int, server_pid: int, shortcuts: bool = True,
                   rounds: int = 1, lean: bool = True) -> dict[str, Any]:
    # One small client per touch point, as in the field (one connection each); the lean
    # client keeps the load generator's CPU small beside the server's on shared cores
    # (`--client httpx` for comparison; figures in bench/RESULTS.md).
    tps = []
    for _ in range(n):
        card = VirtualCard.create(None)
        card.power_on()
        client: Any = (LeanClient(url) if lean else httpx.AsyncClient(
            timeout=600, limits=httpx.Limits(max_connections=2)))
        tp = TouchPoint(url, DEVICE, card, client=client, shortcuts=shortcuts)
        tp.read_identity()
        tps.append(tp)
    try:
        start = time.perf_counter()
        cpu0, client0 = process_tree_cpu(server_pid), time.process_time()
        per_tp = await asyncio.gather(*(one(tp, rounds) for tp in tps))
        wall = time.perf_counter() - start
        server_cpu = process_tree_cpu(server_pid) - cpu0
        client_cpu = time.process_time() - client0
    finally:
        await asyncio.gather(*(tp.client.aclose() for tp in tps))
    results = [r for rs in per_tp for r in rs]
    count = len(results)
    lat = [r[0] for r in results]
    trips = [x for tp in tps for x in getattr(tp.client, "latencies", [])]
    errors = sum(1 for r in results if not r[1])
    reasons = sorted({r[3][:160] for r in results if not r[1]})
    return {"ops_per_s": count / wall, "p50_ms": statistics.median(lat) * 1000,
            "p99_ms": percentile(lat, 0.99) * 1000,
            "trip_p50_ms": statistics.median(trips) * 1000 if trips else float("nan"),
            "trip_p99_ms": percentile(trips, 0.99) * 1000 if trips else float("nan"),
            "round_trips": statistics.mean(r[2] for r in results),
            "errors": errors, "wall_s": wall, "count": count,
            "server_cpu_ms": server_cpu * 1000 / count,
            "client_cpu_ms": client_cpu * 1000 / count, "reasons": reasons}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,100,1000")
    parser.add_argument("--sync", choices=["full", "normal"], default="normal")
    parser.add_argument("--server-root", type=Path, default=ROOT,
                        help="checkout whose backend_stub to run (default: this one)")
    parser.add_argument("--old-protocol", action="store_true",
                        help="touch points ignore the inline batch and `next`")
    parser.add_argument("--db", default=None,
                        help="postgresql://... (a fresh database is made beside it), or "
                        "pg-temp for a throwaway local cluster; default: SQLite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--total", type=int, default=300,
                        help="deliveries per size: each of N touch points runs about "
                        "total/N back to back (at least one)")
    parser.add_argument("--no-null", dest="null", action="store_false",
                        help="skip the same-run baseline against bench/nullbackend.py")
    parser.add_argument("--client", choices=["lean", "httpx"], default="lean",
                        help="the simulated touch points' HTTP client (default: lean)")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    cluster = None
    db_url, drop = None, None
    if args.db == "pg-temp":
        from tests.helpers.postgres import PgCluster

        cluster = PgCluster({"synchronous_commit": "off"}).start()
        args.db = cluster.url("postgres")
    if args.db is not None:
        db_url, drop = await pg_database(args.db)
    try:
        figures = await measure(args, sizes, db_url)
    finally:
        if drop is not None:
            await drop()
        if cluster is not None:
            cluster.stop()
    n100 = figures.get(100, {})
    null = figures.get(-100)
    if null is not None and n100:
        # what share of the stack's ceiling (a backend that does nothing) the real one reaches
        print(f"null_ops_per_s_n100: {null['ops_per_s']:.1f}")
        print(f"null_p99_ms_n100: {null['p99_ms']:.1f}")
        print(f"ops_over_null_ratio_n100: {n100['ops_per_s'] / null['ops_per_s']:.3f}")
    print(f"ops_per_s_n100: {n100.get('ops_per_s', float('nan')):.1f}")
    print(f"p99_ms_n100: {n100.get('p99_ms', float('nan')):.1f}")
    print(f"errors_n1000: {figures.get(1000, {}).get('errors', 'n/a')}")
    if db_url is not None:
        print(f"pg_p99_ms_n100_w{args.workers}: {n100.get('p99_ms', float('nan')):.1f}")
        print(f"pg_ops_per_s_n100_w{args.workers}: {n100.get('ops_per_s', float('nan')):.1f}")


async def measure(args: argparse.Namespace, sizes: list[int],
                  db_url: str | None) -> dict[int, dict[str, Any]]:
    figures: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        proc = start_server(Path(tmp), port, args.sync, args.server_root.resolve(),
                            db_url, args.workers)
        url = f"http://127.0.0.1:{port}"
        try:
            await setup(url)
            shortcuts = not args.old_protocol
            lean = args.client == "lean"
            await run_size(url, 10, proc.pid, shortcuts, 5, lean)  # warm up
            for n in sizes:
                f = await run_size(url, n, proc.pid, shortcuts, rounds_for(n, args.total), lean)
                figures[n] = f
                print(f"n={n}: ops_per_s={f['ops_per_s']:.1f} p50_ms={f['p50_ms']:.1f} "
                      f"p99_ms={f['p99_ms']:.1f} trip_p50_ms={f['trip_p50_ms']:.1f} "
                      f"trip_p99_ms={f['trip_p99_ms']:.1f} "
                      f"round_trips_per_op={f['round_trips']:.1f} deliveries={f['count']} "
                      f"apdus_per_op={len(APDUS)} errors={f['errors']} wall_s={f['wall_s']:.2f} "
                      f"server_cpu_ms_per_op={f['server_cpu_ms']:.1f} "
                      f"client_cpu_ms_per_op={f['client_cpu_ms']:.1f}",
                      flush=True)
                for why in f["reasons"][:5]:
                    print(f"  error: {why}", flush=True)
        finally:
            proc.terminate()
            proc.wait(10)
    if args.null and 100 in sizes:
        figures[-100] = await null_baseline(args)
    return figures


def describe(tag: str, f: dict[str, Any]) -> str:
    return (f"{tag}: ops_per_s={f['ops_per_s']:.1f} p50_ms={f['p50_ms']:.1f} "
            f"p99_ms={f['p99_ms']:.1f} trip_p99_ms={f['trip_p99_ms']:.1f} "
            f"deliveries={f['count']} errors={f['errors']} "
            f"server_cpu_ms_per_op={f['server_cpu_ms']:.2f} "
            f"client_cpu_ms_per_op={f['client_cpu_ms']:.2f}")


async def null_baseline(args: argparse.Namespace) -> dict[str, Any]:
    """The same load (N=100) against bench/nullbackend.py: the stack's ceiling, same run."""
    proc, url = spawn("bench.nullbackend", free_port(), "--commands",
                      ",".join(APDUS))
    try:
        await run_size(url, 10, proc.pid, True, 5)  # warm up
        f = await run_size(url, 100, proc.pid, True, rounds_for(100, max(1000, args.total)))
        print(describe("null backend n=100", f), flush=True)
        return f
    finally:
        proc.terminate()
        proc.wait(10)

if __name__ == "__main__":
    asyncio.run(main())
