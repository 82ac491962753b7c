"""APDUs per second through pcscd + vpcd: cardsim versus a trivial echo card.

Both cards sit in the same vpcd slot in turn and receive the same APDU loop
through pyscard in the same run, so the ratio says what cardsim's own work
costs on top of the PC/SC stack (machine noise cancels out).

    .venv/bin/python -m bench.pcsc [--apdus 2000]

Needs pcscd and the vpcd driver (started here when none is running).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time

from cardsim.card import VirtualCard
from cardsim.vpcd import VpcdBridge
from tests.helpers.pcsc import READER, Pcscd, SlotLock, wait_card

# A touch point's usual read-only traffic: select the ISD, read identity, platform applet.
LOOP = [
    bytes.fromhex("00A4040000"),
    bytes.fromhex("80CA9F7F00"),
    bytes.fromhex("80CA004500"),
    bytes.fromhex("00A404000CA00000061702000900010101"),
    bytes.fromhex("80CA004200"),
]


class EchoCard:
    atr = bytes.fromhex("3B8080010101")

    def power_on(self) -> bytes:
        return self.atr

    def power_off(self) -> None:
        pass

    def transmit(self, apdu: bytes) -> bytes:
        return b"\x90\x00"


def run(card: object, n: int, rounds: int) -> float:
    """Median seconds per APDU over `rounds` rounds of `n` APDUs."""
    from smartcard.System import readers

    with VpcdBridge(card, reinsert_after=None) as bridge:  # type: ignore[arg-type]
        assert bridge.wait_connected(10)
        wait_card(True)
        reader = next(r for r in readers() if str(r) == READER)
        conn = reader.createConnection()
        conn.connect()
        try:
            cmds = [list(LOOP[i % len(LOOP)]) for i in range(n)]
            for c in cmds[:50]:  # warm-up
                conn.transmit(c)
            times = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                for c in cmds:
                    conn.transmit(c)
                times.append((time.perf_counter() - t0) / n)
        finally:
            with contextlib.suppress(Exception):
                conn.release()
    wait_card(False)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--apdus", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    daemon = Pcscd().start()
    lock = SlotLock()
    lock.acquire()
    try:
        echo = run(EchoCard(), args.apdus, args.rounds)
        time.sleep(0.5)
        sim = run(VirtualCard.create(None), args.apdus, args.rounds)
    finally:
        lock.release()
        daemon.stop()
    print(f"echo_us_per_apdu: {echo * 1e6:.1f}")
    print(f"cardsim_us_per_apdu: {sim * 1e6:.1f}")
    print(f"echo_apdus_per_s: {1 / echo:.0f}")
    print(f"cardsim_apdus_per_s: {1 / sim:.0f}")
    print(f"cardsim_over_echo_ratio: {sim / echo:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
