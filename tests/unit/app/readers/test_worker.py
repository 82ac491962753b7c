"""app.readers.worker: the worker thread, the reader base class and its batches."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from app.apdunames import command_name
from app.errors import ApduError, CardRemovedError, ReaderError
from app.readers.base import BatchCommand, CardInfo, EventType, ReaderEvent
from app.readers.worker import WorkerReader
from app.trace import Trace


class FakeReader(WorkerReader):
    """A WorkerReader over a Python function: what we test is the base class."""

    def __init__(self, answer, delay: float = 0.0) -> None:
        self.answer = answer
        self.delay = delay
        self.threads: set[str] = set()
        self.gone = False
        super().__init__("fake")

    def _connect_sync(self) -> CardInfo:
        self.threads.add(threading.current_thread().name)
        return CardInfo(atr=b"\x3b\x00")

    def _transmit_raw(self, apdu: bytes) -> bytes:
        self.threads.add(threading.current_thread().name)
        if self.gone:
            raise CardRemovedError("gone")
        time.sleep(self.delay)
        return self.answer(apdu)

    def _disconnect_sync(self) -> None:
        self.threads.add(threading.current_thread().name)


async def test_batch_stops_at_first_unexpected_sw() -> None:
    def answer(apdu: bytes) -> bytes:
        return b"\x69\x85" if apdu[1] == 0xE6 else b"\x90\x00"

    reader = FakeReader(answer)
    cmds = [BatchCommand(bytes.fromhex("80E8000001AA"), ("9000",)),
            BatchCommand(bytes.fromhex("80E60C0001AA"), ("9000",)),
            BatchCommand(bytes.fromhex("80E8000101AA"), ("9000",))]
    counted: list[int] = []
    result = await reader.transmit_batch(cmds, on_apdu=counted.append)
    assert result.stopped_sw == 0x6985
    assert len(result.responses) == 2 and counted == [1, 2]
    # the same SW inside expect lets the batch go on
    cmds[1] = BatchCommand(cmds[1].apdu, ("9000", "6985"))
    result = await reader.transmit_batch(cmds)
    assert result.stopped_sw is None and len(result.responses) == 3
    assert reader.threads == {"reader-fake"}  # all card work on the one worker thread
    await reader.close()


async def test_cancel_stops_between_apdus() -> None:
    reader = FakeReader(lambda apdu: b"\x90\x00", delay=0.02)
    cancel = threading.Event()
    cmds = [BatchCommand(b"\x00\xa4\x04\x00")] * 50

    def on_apdu(n: int) -> None:
        if n == 3:
            cancel.set()

    result = await reader.transmit_batch(cmds, cancel=cancel, on_apdu=on_apdu)
    assert result.cancelled and len(result.responses) == 3
    await reader.close()


async def test_card_removal_raises_and_emits_event() -> None:
    reader = FakeReader(lambda apdu: b"\x90\x00")
    events: list[ReaderEvent] = []
    reader.subscribe(events.append)
    await reader.connect()
    assert reader.card_present
    reader.gone = True
    with pytest.raises(CardRemovedError):
        await reader.transmit(b"\x00\xa4\x04\x00")
    await asyncio.sleep(0.01)  # events are delivered on the loop
    assert not reader.card_present
    assert [e.type for e in events] == [EventType.READER_ADDED, EventType.CARD_INSERTED,
                                        EventType.CARD_REMOVED]
    await reader.close()


async def test_slow_card_does_not_block_the_loop() -> None:
    reader = FakeReader(lambda apdu: b"\x90\x00", delay=0.05)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    task = asyncio.create_task(ticker())
    await reader.transmit_batch([BatchCommand(b"\x00\xa4\x04\x00")] * 6)  # ~0.3 s of card time
    task.cancel()
    assert ticks >= 20  # the loop kept running while the worker waited on the card
    await reader.close()


async def test_closed_reader_refuses_work() -> None:
    reader = FakeReader(lambda apdu: b"\x90\x00")
    await reader.close()
    with pytest.raises(ReaderError, match="closed"):
        await reader.transmit(b"\x00\xa4\x04\x00")


# -- batches against a card answering from a table ------------------------------------
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
async def test_the_trace_is_complete_when_the_card_goes_at_any_apdu(tear_at: int) -> None:
    """The trace as the runner passes it (the Trace itself as the observer): the
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


async def test_the_trace_keeps_the_order_around_get_response_and_a_stop() -> None:
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


async def test_the_trace_reaches_listeners_while_the_batch_runs() -> None:
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


async def test_a_trace_subclass_watching_record_sees_every_exchange() -> None:
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




async def test_a_cancel_set_before_the_batch_sends_nothing() -> None:
    reader = TableCard(lambda apdu: b"\x90\x00")
    cancel = threading.Event()
    cancel.set()
    result = await reader.transmit_batch([_load(0)], cancel=cancel)
    assert result.cancelled and result.responses == [] and reader.sent == []
    await reader.close()


async def test_an_answer_without_status_word_fails_the_batch() -> None:
    reader = TableCard(lambda apdu: b"\x90")
    with pytest.raises(ApduError, match="no status word"):
        await reader.transmit_batch([_load(0), _load(1)])
    assert len(reader.sent) == 1
    await reader.close()
