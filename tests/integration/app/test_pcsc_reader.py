"""app.readers.pcsc through the real pcscd + vpcd driver + pyscard."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from app.errors import CardRemovedError, NoCardError
from app.identity import read_identity
from app.readers.base import BatchCommand, EventType, ReaderEvent
from app.readers.pcsc import PcscMonitor, PcscReader, list_readers
from cardsim.card import VirtualCard
from tests.helpers.pcsc import READER, wait_card

pytestmark = pytest.mark.pcsc


class ChainingCard:
    """Answers READ BINARY with 600 bytes through 61xx, and GET DATA only with the exact Le."""

    atr = bytes.fromhex("3B8180018080")

    def __init__(self) -> None:
        self.pending = b""
        self.seen: list[bytes] = []
        self.fail_next = False

    def power_on(self) -> bytes:
        return self.atr

    def power_off(self) -> None:
        pass

    def transmit(self, apdu: bytes) -> bytes:
        self.seen.append(apdu)
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("torn")
        if apdu[1] == 0xB0:
            self.pending = bytes(i % 251 for i in range(600))
            return self._part(256)
        if apdu[1] == 0xC0:
            return self._part(apdu[4] or 256)
        if apdu[1] == 0xCA:
            return bytes(8) + b"\x90\x00" if apdu[-1] == 8 else b"\x6c\x08"
        return b"\x90\x00"

    def _part(self, le: int) -> bytes:
        part, self.pending = self.pending[:le], self.pending[le:]
        sw = bytes([0x61, min(len(self.pending), 256) % 256]) if self.pending else b"\x90\x00"
        return part + sw


async def test_identity_and_install_batch_on_cardsim(vpcd_card) -> None:
    card = VirtualCard.create(None)
    vpcd_card(card)
    assert READER in list_readers()
    reader = PcscReader(READER)
    try:
        info = await reader.connect()
        assert info.atr == card.atr
        assert not reader.shared  # nobody else held the card: exclusive access
        ident = await read_identity(reader.transmit, atr=info.atr, try_reader_uid=True)
        assert ident.cin == card.cin and ident.iin == card.iin
        assert ident.uid is None  # vpcd forwards FF CA to the card, which refuses it
        result = await reader.transmit_batch(
            [BatchCommand(bytes.fromhex("00A4040000")),
             BatchCommand(bytes.fromhex("80CA9F7F00")),
             BatchCommand(bytes.fromhex("80E60C0000"), ("9000",)),  # refused outside SCP
             BatchCommand(bytes.fromhex("00A4040000"))])
        assert result.stopped_sw is not None and len(result.responses) == 3
    finally:
        await reader.close()


async def test_get_response_and_6c_through_pcscd(vpcd_card) -> None:
    card = ChainingCard()
    vpcd_card(card)
    reader = PcscReader(READER)
    try:
        rsp = await reader.transmit(bytes.fromhex("00B0000000"))
        assert rsp == bytes(i % 251 for i in range(600)) + b"\x90\x00"
        assert await reader.transmit(bytes.fromhex("80CA00FE00")) == bytes(8) + b"\x90\x00"
        assert card.seen[-2:] == [bytes.fromhex("80CA00FE00"), bytes.fromhex("80CA00FE08")]
    finally:
        await reader.close()


async def test_removed_mid_transmit_is_a_clear_error(vpcd_card) -> None:
    card = ChainingCard()
    vpcd_card(card, reinsert_after=None)
    reader = PcscReader(READER)
    try:
        await reader.connect()
        card.fail_next = True
        with pytest.raises(CardRemovedError, match="removed"):
            await reader.transmit(bytes.fromhex("00A4040000"))
        assert reader.connected is None
        wait_card(False)
        with pytest.raises(NoCardError):
            await reader.connect()
    finally:
        await reader.close()


async def test_exclusive_falls_back_to_shared(vpcd_card) -> None:
    from smartcard.System import readers

    vpcd_card(ChainingCard())
    other = next(r for r in readers() if str(r) == READER).createConnection()
    other.connect()  # another program holds the card (shared)
    reader = PcscReader(READER)
    try:
        await reader.connect()
        assert reader.shared
        assert await reader.transmit(bytes.fromhex("00A4040000")) == b"\x90\x00"
    finally:
        await reader.close()
        with contextlib.suppress(Exception):
            other.release()


async def test_monitor_reports_insert_and_remove(vpcd_card) -> None:
    bridge = vpcd_card(ChainingCard())
    monitor = PcscMonitor(poll_ms=100)
    events: list[ReaderEvent] = []
    got = asyncio.Event()

    def on_event(e: ReaderEvent) -> None:
        events.append(e)
        got.set()

    monitor.subscribe(on_event)
    try:
        async def wait_for(kind: EventType) -> None:
            for _ in range(100):
                if any(e.type is kind and e.reader == READER for e in events):
                    return
                got.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(got.wait(), 0.1)
            raise AssertionError(f"no {kind} in {events}")

        await wait_for(EventType.READER_ADDED)
        await wait_for(EventType.CARD_INSERTED)
        assert monitor.present(READER)
        bridge.remove()
        await wait_for(EventType.CARD_REMOVED)
        assert not monitor.present(READER)
        events.clear()
        bridge.insert()
        await wait_for(EventType.CARD_INSERTED)
    finally:
        monitor.stop()
