"""The per-APDU hot path of an install: expect matching, short-APDU preparation, the
batch loop on the reader worker, the lazily decoded trace and the batch parser.

Each fast path is checked against the straightforward definition it replaced.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.apdu import CommandApdu, expect_matcher, sw_expected, sw_matches
from app.apdunames import command_name, sw_meaning
from app.client import _batch
from app.errors import ApduError, CardRemovedError, ProtocolError
from app.readers.base import (
    BatchCommand,
    CardInfo,
    EventType,
    ReaderEvent,
    WorkerReader,
    run_batch,
    transmit_batch,
)
from app.readers.transport import prepare
from app.trace import Trace, TraceEntry

PATTERNS = st.text(alphabet="0123456789ABCDEFXabcdefx", min_size=4, max_size=4)


# -- expect matching -----------------------------------------------------------------
@given(st.lists(PATTERNS, max_size=4), st.integers(0, 0xFFFF))
def test_expect_matcher_agrees_with_sw_matches(patterns: list[str], sw: int) -> None:
    want = any(sw_matches(sw, p) for p in (patterns or ["9000", "61XX"]))
    assert expect_matcher(tuple(patterns))(sw) is want
    assert sw_expected(sw, patterns) is want


@pytest.mark.parametrize("bad", ["900", "90000", "9G00", "", "90 0"])
def test_expect_matcher_rejects_bad_patterns(bad: str) -> None:
    with pytest.raises(ApduError, match="bad status word pattern"):
        expect_matcher(("9000", bad))


# -- preparing an APDU for a card without extended lengths ------------------------------------
def _prepare_reference(apdu: bytes) -> bytes:
    """What prepare(apdu, extended_ok=False) did before its short-APDU fast path."""
    try:
        cmd = CommandApdu.parse(apdu)
    except ApduError:
        return apdu
    if not cmd.extended:
        return apdu
    if len(cmd.data) > 255:
        raise ApduError("too long")
    if cmd.le is not None and cmd.le > 256:
        cmd = cmd.with_le(256)
    return cmd.to_bytes(extended=False)


@given(st.one_of(
    st.binary(min_size=0, max_size=300),
    # well-formed extended APDUs, the ones that must be re-encoded
    st.builds(lambda d, le: CommandApdu(0x80, 0xE8, 0, 0, d, le, True).to_bytes(),
              st.binary(min_size=0, max_size=300),
              st.one_of(st.none(), st.integers(1, 65536))),
))
def test_prepare_fast_path_matches_the_full_parse(apdu: bytes) -> None:
    try:
        want: bytes | type[ApduError] = _prepare_reference(apdu)
    except ApduError:
        want = ApduError
    if want is ApduError:
        with pytest.raises(ApduError):
            prepare(apdu, extended_ok=False)
    else:
        assert prepare(apdu, extended_ok=False) == want
    assert prepare(apdu, extended_ok=True) == apdu


# -- the batch loop on the reader worker ----------------------------------------------------
class TableCard(WorkerReader):
    """A card answering from a function, optionally without extended lengths or torn at
    the `tear_at`-th physical exchange (0-based)."""

    def __init__(self, answer: Any, *, extended: bool = True, tear_at: int | None = None
                 ) -> None:
        self.answer = answer
        self.extended = extended
        self.tear_at = tear_at
        self.sent: list[bytes] = []
        super().__init__("table")

    def _connect_sync(self) -> CardInfo:
        return CardInfo(atr=b"\x3b\x00", extended_length=self.extended)

    def _transmit_raw(self, apdu: bytes) -> bytes:
        if self.tear_at is not None and len(self.sent) == self.tear_at:
            raise CardRemovedError("torn")
        self.sent.append(apdu)
        return bytes(self.answer(apdu))

    def _disconnect_sync(self) -> None:
        pass


def _load(i: int, n: int = 16) -> BatchCommand:
    return BatchCommand(bytes([0x80, 0xE8, 0x00, i, n]) + bytes(n), ("9000",))


async def test_batch_joins_61xx_parts_and_reencodes_extended_apdus() -> None:
    pending: list[bytes] = []

    def answer(apdu: bytes) -> bytes:
        if apdu[1] == 0xCA:  # GET DATA: 300 bytes in 61xx parts
            pending[:] = [bytes(range(256)) + bytes(44)]
            return pending[0][:256] + b"\x61\x2c"
        if apdu[1] == 0xC0:
            return pending[0][256:] + b"\x90\x00"
        return b"\x90\x00"

    reader = TableCard(answer, extended=False)
    trace = Trace()
    ext = bytes.fromhex("80E20000000003AABBCC")  # extended form, content fits a short APDU
    result = await reader.transmit_batch(
        [BatchCommand(bytes.fromhex("80CA9F7F00")), BatchCommand(ext, ("9000",))],
        observer=trace.record)
    assert result.stopped_sw is None
    assert result.responses[0] == bytes(range(256)) + bytes(44) + b"\x90\x00"
    assert reader.sent == [bytes.fromhex("80CA9F7F00"), bytes.fromhex("00C000002C"),
                           bytes.fromhex("80E2000003AABBCC")]
    assert [e.name for e in trace.commands()] == [command_name(c) for c in reader.sent]
    await reader.close()


@pytest.mark.parametrize("tear_at", range(6))
async def test_card_removed_at_any_apdu_of_a_batch(tear_at: int) -> None:
    reader = TableCard(lambda apdu: b"\x90\x00", tear_at=tear_at)
    events: list[ReaderEvent] = []
    reader.subscribe(events.append)
    trace = Trace()
    with pytest.raises(CardRemovedError):
        await reader.transmit_batch([_load(i) for i in range(6)], observer=trace.record)
    await asyncio.sleep(0.01)
    assert len(reader.sent) == tear_at and not reader.card_present
    assert events[-1].type is EventType.CARD_REMOVED
    # the torn exchange is in the trace, answered by nothing
    last = trace.entries[-1]
    assert last.direction == "<<" and last.sw is None and "no answer" in last.meaning
    await reader.close()


async def test_a_bad_expect_pattern_is_a_clear_error_before_the_next_apdu() -> None:
    reader = TableCard(lambda apdu: b"\x90\x00")
    with pytest.raises(ApduError, match="bad status word pattern"):
        await reader.transmit_batch([BatchCommand(_load(0).apdu, ("9O00",)), _load(1)])
    assert len(reader.sent) == 1
    await reader.close()


@pytest.mark.parametrize("tear_at", range(6))
async def test_bulk_trace_is_complete_when_the_card_goes_at_any_apdu(tear_at: int) -> None:
    """The trace as the runner passes it (an observer taking exchanges in bulk): the
    batch's exchanges, the torn one last, are all in it when the error comes out."""
    reader = TableCard(lambda apdu: b"\x90\x00", tear_at=tear_at)
    trace = Trace()
    with pytest.raises(CardRemovedError):
        await reader.transmit_batch([_load(i) for i in range(6)], observer=trace)
    await reader.close()
    answers = [e for e in trace.entries if e.direction == "<<"]
    assert len(answers) == tear_at + 1
    assert [e.sw for e in answers[:-1]] == [0x9000] * tear_at
    assert answers[-1].sw is None and "no answer" in answers[-1].meaning
    assert [e.data for e in trace.commands()] == [*reader.sent, _load(tear_at).apdu]


async def test_bulk_trace_keeps_the_order_around_get_response_and_a_stop() -> None:
    def answer(apdu: bytes) -> bytes:
        if apdu[1] == 0xCA:
            return b"\x61\x02"
        if apdu[1] == 0xC0:
            return b"\xAA\xBB\x90\x00"
        return b"\x6A\x80" if apdu[3] == 3 else b"\x90\x00"

    reader = TableCard(answer)
    trace = Trace()
    commands = [_load(0), BatchCommand(bytes.fromhex("80CA00FE00")), _load(2), _load(3),
                _load(4)]
    result = await reader.transmit_batch(commands, observer=trace)
    await reader.close()
    assert result.stopped_sw == 0x6A80 and len(result.responses) == 4
    assert result.responses[1] == b"\xAA\xBB\x90\x00"
    assert [e.data for e in trace.commands()] == reader.sent  # every exchange, in order
    assert [e.data[1] for e in trace.commands()] == [0xE8, 0xCA, 0xC0, 0xE8, 0xE8]


async def test_bulk_trace_reaches_listeners_while_the_batch_runs() -> None:
    class Slow(TableCard):
        def _transmit_raw(self, apdu: bytes) -> bytes:
            time.sleep(0.004)
            return super()._transmit_raw(apdu)

    reader = Slow(lambda apdu: b"\x90\x00")
    trace = Trace()
    trace.notify_interval = 0.01
    seen: list[float] = []
    trace.subscribe(lambda e: seen.append(time.monotonic()))
    await reader.transmit_batch([_load(i % 256) for i in range(50)], observer=trace)  # ~200 ms
    done = time.monotonic()
    await reader.close()
    await asyncio.sleep(0.05)
    assert len(seen) == 100 and len(trace.entries) == 100
    assert sum(1 for t in seen if t < done - 0.05) >= 20  # handed over along the way


async def test_a_trace_subclass_watching_record_sees_every_bulk_exchange() -> None:
    class Watching(Trace):
        def __init__(self) -> None:
            super().__init__()
            self.watched: list[bytes] = []

        def record(self, command: bytes, response: bytes | None, t0: float, t1: float
                   ) -> None:
            self.watched.append(command)
            super().record(command, response, t0, t1)

    reader = TableCard(lambda apdu: b"\x90\x00")
    trace = Watching()
    await reader.transmit_batch([_load(i) for i in range(5)], observer=trace)
    await reader.close()
    assert trace.watched == reader.sent and len(trace.entries) == 10


SW_CHOICES = [0x9000, 0x6310, 0x6A80, 0x6985, 0x9100]


@given(st.lists(st.tuples(st.sampled_from(SW_CHOICES),
                          st.sampled_from([(), ("9000",), ("6310", "9000"), ("9XXX",),
                                           ("6A80",), ("6XXX", "91XX")])),
                min_size=1, max_size=8))
def test_worker_batch_loop_agrees_with_run_batch(script: list[tuple[int, tuple[str, ...]]]
                                                 ) -> None:
    """The worker's inlined loop (first expect pair inline, the rest on a miss) stops
    where `run_batch`, the plain definition over `transmit`, stops, with the same answers
    and the same count of APDUs reported."""
    commands = [BatchCommand(bytes([0x80, 0xE8, 0x00, i, 0x01, i]), expect)
                for i, (_, expect) in enumerate(script)]
    answers = {c.apdu: sw.to_bytes(2, "big") for c, (sw, _) in zip(commands, script,
                                                                     strict=True)}

    async def both() -> tuple[Any, Any, list[int], list[int]]:
        reader = TableCard(lambda apdu: answers[apdu])
        counted: list[int] = []
        got = await reader.transmit_batch(commands, on_apdu=counted.append)
        await reader.close()
        plain = TransmitOnly(lambda apdu: answers[apdu])
        counted_plain: list[int] = []
        want = await run_batch(plain.transmit, commands, on_apdu=counted_plain.append)
        return got, want, counted, counted_plain

    got, want, counted, counted_plain = asyncio.run(both())
    assert (got.responses, got.stopped_sw, got.cancelled) == (
        want.responses, want.stopped_sw, want.cancelled)
    assert counted == counted_plain == list(range(1, len(got.responses) + 1))


async def test_worker_batch_reissues_6cxx_and_keeps_both_exchanges_in_the_trace() -> None:
    def answer(apdu: bytes) -> bytes:
        if apdu == bytes.fromhex("80CA00FE00"):
            return b"\x6c\x03"  # wrong Le: ask again with 3
        if apdu == bytes.fromhex("80CA00FE03"):
            return b"\x01\x02\x03\x90\x00"
        return b"\x90\x00"

    reader = TableCard(answer, extended=False)
    trace = Trace()
    result = await reader.transmit_batch(
        [BatchCommand(bytes.fromhex("80CA00FE00"), ("9000",)), _load(1)],
        observer=trace.record)
    await reader.close()
    assert result.stopped_sw is None
    assert result.responses == [b"\x01\x02\x03\x90\x00", b"\x90\x00"]
    assert [e.data.hex().upper() for e in trace.commands()] == [
        "80CA00FE00", "80CA00FE03", _load(1).apdu.hex().upper()]
    assert [e.sw for e in trace.entries if e.direction == "<<"] == [0x6C03, 0x9000, 0x9000]


async def test_a_coroutine_cancelled_before_the_worker_starts_its_job_skips_it() -> None:
    ran: list[str] = []
    gate = threading.Event()
    reader = TableCard(lambda apdu: b"\x90\x00")
    worker = reader._worker
    blocker = asyncio.ensure_future(worker.call(gate.wait, 5))  # keeps the worker busy
    queued = asyncio.ensure_future(worker.call(ran.append, "late"))
    await asyncio.sleep(0.02)
    queued.cancel()
    gate.set()
    assert await blocker is True
    with pytest.raises(asyncio.CancelledError):
        await queued
    assert await worker.call(ran.append, "next") is None  # the worker goes on
    assert ran == ["next"]
    await reader.close()


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


class TransmitOnly:
    """A reader with nothing but `transmit` (no worker, no native batch)."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.sent: list[bytes] = []

    async def transmit(self, apdu: bytes, *, observer: Any = None) -> bytes:
        self.sent.append(apdu)
        rsp = self.answer(apdu)
        if observer is not None:
            observer(apdu, rsp, time.time(), time.time())
        return rsp


async def test_run_batch_is_the_default_batch_for_a_plain_reader() -> None:
    reader = TransmitOnly(lambda apdu: b"\x6a\x80" if apdu[3] == 2 else b"\x90\x00")
    counted: list[int] = []
    result = await transmit_batch(reader, [_load(i) for i in range(5)],
                                  on_apdu=counted.append)
    assert result.stopped_sw == 0x6A80 and len(result.responses) == 3 and counted == [1, 2, 3]
    cancel = threading.Event()
    cancel.set()
    result = await run_batch(reader.transmit, [_load(0)], cancel=cancel)
    assert result.cancelled and result.responses == []
    mute = TransmitOnly(lambda apdu: b"\x90")
    with pytest.raises(ApduError, match="no status word"):
        await run_batch(mute.transmit, [_load(0)])


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


# -- the batch parser -----------------------------------------------------------------
HEXCMD = st.binary(min_size=4, max_size=40).map(bytes.hex)


@given(st.lists(st.tuples(HEXCMD, st.booleans(), st.lists(PATTERNS, max_size=3)),
                min_size=1, max_size=8),
       st.booleans())
def test_batch_parser_fast_path_matches_the_definition(
        items: list[tuple[str, bool, list[str]]], parallel: bool) -> None:
    cmds = [h.upper() if up else h for h, up, _ in items]
    if parallel:
        data: dict[str, Any] = {"commands": cmds, "expect": [e for _, _, e in items]}
    else:
        data = {"commands": [{"apdu": c, "expect": e} for c, (_, _, e) in zip(cmds, items,
                                                                              strict=True)]}
    got = _batch(data, "connector/json")
    assert got == tuple(BatchCommand(bytes.fromhex(h), tuple(p.upper() for p in e))
                        for h, _, e in items)


@given(st.lists(st.tuples(HEXCMD, st.booleans()), min_size=1, max_size=12),
       st.lists(PATTERNS, max_size=3))
def test_batch_parser_uniform_batch_matches_the_definition(
        items: list[tuple[str, bool]], expect: list[str]) -> None:
    """An install's usual batch (one expect list for all) through the C-loop fast path."""
    cmds = [h.upper() if up else h for h, up in items]
    got = _batch({"commands": cmds, "expect": [list(expect) for _ in cmds]}, "x")
    want = tuple(BatchCommand(bytes.fromhex(h), tuple(p.upper() for p in expect))
                 for h, _ in items)
    assert got == want and all(type(c) is BatchCommand for c in got)


@pytest.mark.parametrize(("data", "field"), [
    ({"commands": ["00A40400", "00A4 04 00", "zz"]}, "commands[2]"),
    ({"commands": ["00A40400", "00A4"]}, "commands[1]"),
    ({"commands": ["00A40400", "00A40400"], "expect": [["9000"], ["9O00"]]}, "commands[1]"),
    ({"commands": [{"apdu": "00A40400", "expect": "9000"}]}, "commands[0]"),
    # one expect list for every command (the uniform fast path) and still the right field
    ({"commands": ["00A40400", "00A40400"], "expect": [["9O00"], ["9O00"]]}, "commands[0]"),
    ({"commands": ["00A40400", "00A4"], "expect": [["9000"], ["9000"]]}, "commands[1]"),
    ({"commands": ["00A40400", 7], "expect": [["9000"], ["9000"]]}, "commands[1]"),
    ({"commands": ["00A40400", "zz"], "expect": [["9000"], ["9000"]]}, "commands[1]"),
    ({"commands": [7]}, "commands[0]"),
])
def test_batch_parser_errors_name_the_command(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ProtocolError) as info:
        _batch(data, "connector/json")
    assert info.value.field == field


def test_batch_parser_accepts_spaced_hex_and_null_expect() -> None:
    got = _batch({"commands": ["00 A4 04 00", "80CA9F7F00"], "expect": [None, ["6a88"]]}, "x")
    assert got == (BatchCommand(bytes.fromhex("00A40400")),
                   BatchCommand(bytes.fromhex("80CA9F7F00"), ("6A88",)))
