"""app.trace: the lazily decoded APDU trace and its listeners."""

from __future__ import annotations

import asyncio
import threading
import time

from app.apdunames import command_name, sw_meaning
from app.trace import Trace, TraceEntry


def test_entries_read_while_a_worker_records_lose_nothing() -> None:
    """`record` appends without the lock; `entries` decodes in place and never rebuilds
    the list, so reads in the middle of a batch miss nothing and keep the order."""
    trace = Trace()
    n = 3000

    def worker() -> None:
        for i in range(n):
            trace.record(bytes([0x80, 0xE8, 0x00, i % 256, 0x00]), b"\x90\x00", float(i),
                         float(i))

    th = threading.Thread(target=worker)
    th.start()
    seen = 0
    while th.is_alive():
        got = trace.entries
        assert len(got) >= seen and len(got) % 2 == 0
        seen = len(got)
    th.join()
    got = trace.entries
    assert len(got) == 2 * n
    assert [e.time for e in got[::2]] == [float(i) for i in range(n)]


# -- the trace ------------------------------------------------------------------------------
def _eager(command: bytes, response: bytes | None, t0: float, t1: float
           ) -> tuple[TraceEntry, TraceEntry]:
    """The two entries the trace made at record time before decoding became lazy."""
    name = command_name(command)
    out = TraceEntry(t0, ">>", command, name)
    if response is None:
        return out, TraceEntry(t1, "<<", b"", name, None,
                               "no answer (card removed or reader error)", (t1 - t0) * 1000)
    sw = int.from_bytes(response[-2:], "big")
    return out, TraceEntry(t1, "<<", response, name, sw, sw_meaning(sw), (t1 - t0) * 1000)


def test_lazy_trace_reads_like_the_eager_one() -> None:
    trace = Trace()
    exchanges = [(bytes.fromhex("80E8000010") + bytes(16), b"\x90\x00", 1.0, 1.001),
                 (bytes.fromhex("00A4040000"), b"\x6a\x82", 2.0, 2.002),
                 (bytes.fromhex("80E60C0000"), None, 3.0, 3.5)]
    trace.record(*exchanges[0])
    trace.note("between")
    for ex in exchanges[1:]:
        trace.record(*ex)
    want = [*_eager(*exchanges[0]), "between", *_eager(*exchanges[1]), *_eager(*exchanges[2])]
    got = trace.entries
    assert [e.name if e.direction == "--" else e for e in got] == want
    assert trace.entries == got and trace.entries[0] is got[0]  # decoded once
    # a PIN in clear is still redacted
    trace.record(bytes.fromhex("0020008104") + b"1234", b"\x90\x00", 4.0, 4.1)
    assert trace.entries[-2].redacted and b"1234" not in trace.entries[-2].data


async def test_listeners_get_every_entry_in_order_on_the_loop_throttled() -> None:
    class Counting(Trace):
        flushes = 0

        def flush(self) -> None:
            type(self).flushes += 1
            super().flush()

    trace = Counting()
    trace.notify_interval = 0.05
    loop_thread = threading.current_thread()
    seen: list[tuple[str, threading.Thread]] = []
    trace.subscribe(lambda e: seen.append((e.name, threading.current_thread())))
    trace.subscribe(lambda e: 1 / 0)  # a broken listener harms nobody

    def worker() -> None:
        for i in range(300):
            trace.record(bytes([0x80, 0xE8, 0x00, i % 256, 0x00]), b"\x90\x00", 0.0, 0.0)

    t0 = time.monotonic()
    await asyncio.get_running_loop().run_in_executor(None, worker)
    trace.note("done")  # on the loop: pending entries go first, then the note
    elapsed = time.monotonic() - t0
    assert len(seen) == 601
    assert [n for n, _ in seen[:2]] == ["LOAD [block 0]", "LOAD [block 0]"]
    assert seen[-1][0] == "done" and seen[-3][0] == "LOAD [block 43]"
    assert {th for _, th in seen} == {loop_thread}
    assert Counting.flushes <= 3 + elapsed / 0.05  # not two loop wake-ups per APDU


def test_without_a_loop_listeners_are_called_at_once() -> None:
    trace = Trace()
    seen: list[str] = []
    unsubscribe = trace.subscribe(lambda e: seen.append(e.direction))
    trace.record(b"\x00\xa4\x04\x00", b"\x90\x00", 0.0, 0.0)
    assert seen == [">>", "<<"]
    unsubscribe()
    trace.note("quiet")
    assert seen == [">>", "<<"] and trace.entries[-1].name == "quiet"


