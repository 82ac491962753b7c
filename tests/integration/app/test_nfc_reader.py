"""app.readers.nfc through nfcpy's own ISO-DEP code, on nfcpy's UDP driver.

No hardware: `NfcCardEmulator` is the card side of nfcpy's simulated RF link
(anticollision, RATS, ISO-DEP blocks) in front of a cardsim VirtualCard.
"""

from __future__ import annotations

import pytest

from app.errors import CardRemovedError
from app.identity import read_identity
from app.readers.base import EventType, ReaderEvent
from app.readers.nfc import NfcReader
from cardsim.card import VirtualCard
from tests.integration.app.nfc_emulator import NfcCardEmulator


@pytest.fixture(params=["A", "B"], ids=["type4A", "type4B"])
def tech(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_identity_long_answers_and_removal(tech: str) -> None:
    card = VirtualCard.create(None)
    with NfcCardEmulator(card, tech=tech) as emulator:
        reader = NfcReader(emulator.path, targets=(f"106{tech}",))
        events: list[ReaderEvent] = []
        reader.subscribe(events.append)
        try:
            assert await reader.wait_for_card(5)
            info = await reader.connect()
            assert info.contactless and info.protocol == f"ISO-DEP 106{tech}"
            assert info.uid == (emulator.uid if tech == "A" else emulator.uid[:4])
            ident = await read_identity(reader.transmit, uid=info.uid, atr=info.atr)
            assert ident.cin == card.cin and ident.uid == info.uid
            # an answer longer than one ISO-DEP frame comes back chained (SELECT's FCI + CPLC)
            cplc = await reader.transmit(bytes.fromhex("80CA9F7F00"))
            assert cplc[-2:] == b"\x90\x00" and len(cplc) > 40
            assert emulator.apdus >= 6

            emulator.remove()
            with pytest.raises(CardRemovedError):
                await reader.transmit(bytes.fromhex("00A4040000"))
            assert not reader.card_present
            emulator.insert()
            assert await reader.wait_for_card(5)
            assert (await reader.transmit(bytes.fromhex("00A4040000")))[-2:] == b"\x90\x00"
        finally:
            await reader.close()
    kinds = [e.type for e in events]
    assert kinds[:2] == [EventType.READER_ADDED, EventType.CARD_INSERTED]
    assert EventType.CARD_REMOVED in kinds


async def test_chained_command_frames() -> None:
    """A command longer than the card's frame size goes out in chained I-blocks."""

    class Echo:
        atr = b"\x3b\x00"

        def power_on(self) -> bytes:
            return self.atr

        def power_off(self) -> None:
            pass

        def transmit(self, apdu: bytes) -> bytes:
            return apdu[5:] + b"\x90\x00"

    with NfcCardEmulator(Echo()) as emulator:
        reader = NfcReader(emulator.path, targets=("106A",))
        try:
            assert await reader.wait_for_card(5)
            data = bytes(range(255))
            rsp = await reader.transmit(b"\x00\xda\x00\x00\xff" + data)
            assert rsp == data + b"\x90\x00"
        finally:
            await reader.close()


async def test_torn_card_is_removed() -> None:
    card = VirtualCard.create(None)
    with NfcCardEmulator(card) as emulator:
        reader = NfcReader(emulator.path, targets=("106A",))
        try:
            assert await reader.wait_for_card(5)
            card.arm_tear(1)
            assert (await reader.transmit(bytes.fromhex("00A4040000")))[-2:] == b"\x90\x00"
            with pytest.raises(CardRemovedError, match="left"):
                await reader.transmit(bytes.fromhex("80CA004500"))
        finally:
            await reader.close()


async def test_missing_device_is_a_reader_error() -> None:
    from app.errors import ReaderError

    reader = NfcReader("usb:ffff:ffff")
    try:
        with pytest.raises(ReaderError):
            await reader.connect()
    finally:
        await reader.close()
