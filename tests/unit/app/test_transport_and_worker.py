"""app.readers.transport (61xx, 6Cxx, extended) and the worker-thread reader base."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from app.errors import ApduError, CardRemovedError, ReaderError
from app.readers.base import BatchCommand, CardInfo, EventType, ReaderEvent, WorkerReader
from app.readers.transport import exchange, prepare


class ChainingCard:
    """Answers 0x300 bytes in 61xx parts, and wants Le=0x2D for GET DATA CPLC (6C2D)."""

    def __init__(self) -> None:
        self.seen: list[bytes] = []
        self.pending = b""

    def __call__(self, apdu: bytes) -> bytes:
        self.seen.append(apdu)
        if apdu[1] == 0xCA:  # GET DATA: only the exact Le is accepted
            if apdu[-1] != 0x2D:
                return b"\x6c\x2d"
            return bytes(0x2D) + b"\x90\x00"
        if apdu[1] == 0xB0:  # READ BINARY: a long answer
            self.pending = bytes(i % 256 for i in range(0x300))
            return self._part(256)
        if apdu[1] == 0xC0:
            return self._part(apdu[4] or 256)
        return b"\x90\x00"

    def _part(self, le: int) -> bytes:
        part, self.pending = self.pending[:le], self.pending[le:]
        if self.pending:
            return part + bytes([0x61, min(len(self.pending), 256) % 256])
        return part + b"\x90\x00"


def test_get_response_joins_all_parts() -> None:
    card = ChainingCard()
    seen: list[tuple[bytes, bytes | None]] = []
    rsp = exchange(card, bytes.fromhex("00B0000000"),
                   observer=lambda c, r, t0, t1: seen.append((c, r)))
    assert rsp[:-2] == bytes(i % 256 for i in range(0x300))
    assert rsp[-2:] == b"\x90\x00"
    assert [c[1] for c, _ in seen] == [0xB0, 0xC0, 0xC0]  # every physical exchange observed


def test_6cxx_reissues_with_the_right_le() -> None:
    card = ChainingCard()
    rsp = exchange(card, bytes.fromhex("80CA9F7F00"))
    assert rsp == bytes(0x2D) + b"\x90\x00"
    assert card.seen == [bytes.fromhex("80CA9F7F00"), bytes.fromhex("80CA9F7F2D")]


def test_endless_61xx_is_stopped_with_a_clear_error() -> None:
    with pytest.raises(ApduError, match="kept answering 61xx"):
        exchange(lambda apdu: b"\x61\x10", bytes.fromhex("00B0000000"))


def test_answer_without_status_word() -> None:
    with pytest.raises(ApduError, match="no status word"):
        exchange(lambda apdu: b"\x90", bytes.fromhex("00A4040000"))


def test_extended_apdu_reencoded_short_for_a_card_without_extended_lengths() -> None:
    ext = bytes.fromhex("00D60000000003AABBCC")
    assert prepare(ext, extended_ok=False) == bytes.fromhex("00D6000003AABBCC")
    assert prepare(ext, extended_ok=True) == ext
    with pytest.raises(ApduError, match="does not take extended APDUs"):
        prepare(b"\x00\xd6\x00\x00\x00\x01\x2c" + bytes(300), extended_ok=False)
    # a big Le becomes 256 and the rest comes through 61xx
    short = prepare(bytes.fromhex("00B0000000FFFF"), extended_ok=False)
    assert short == bytes.fromhex("00B0000000")


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
