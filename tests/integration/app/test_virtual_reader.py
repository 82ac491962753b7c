"""app.readers.virtual: cardsim in-process as the embedded default card."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.errors import CardRemovedError, NoCardError
from app.identity import read_identity
from app.readers.base import EventType, ReaderEvent
from app.readers.registry import list_readers, open_reader
from app.readers.virtual import VirtualReader
from cardsim.card import VirtualCard


async def test_events_remove_insert_and_tearing() -> None:
    card = VirtualCard.create(None)
    reader = VirtualReader(card)
    events: list[ReaderEvent] = []
    reader.subscribe(events.append)  # the current state is replayed first
    try:
        ident = await read_identity(reader.transmit)
        assert ident.cin == card.cin and ident.iin == card.iin
        reader.remove()
        with pytest.raises(NoCardError):
            await reader.connect()
        reader.insert()
        assert (await reader.transmit(bytes.fromhex("00A4040000")))[-2:] == b"\x90\x00"
        card.arm_tear(0)
        with pytest.raises(CardRemovedError, match="removed"):
            await reader.transmit(bytes.fromhex("00A4040000"))
        assert not reader.card_present
        reader.insert()  # power comes back, tearing disarmed
        assert (await reader.transmit(bytes.fromhex("00A4040000")))[-2:] == b"\x90\x00"
    finally:
        await reader.close()
    await asyncio.sleep(0)
    assert [e.type for e in events] == [
        EventType.READER_ADDED, EventType.CARD_INSERTED,
        EventType.CARD_REMOVED, EventType.CARD_INSERTED,
        EventType.CARD_REMOVED, EventType.CARD_INSERTED]


async def test_card_state_file_survives_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    first = VirtualReader(path=path)
    try:
        cin = (await read_identity(first.transmit)).cin
    finally:
        await first.close()
    again = VirtualReader(path=path)
    try:
        assert (await read_identity(again.transmit)).cin == cin
    finally:
        await again.close()


async def test_registry_defaults_to_the_virtual_card(tmp_path: Path) -> None:
    infos = list_readers(pcsc=False)
    assert [i.kind.value for i in infos] == ["virtual"]
    reader = open_reader(None, pcsc=False, virtual_card=tmp_path / "v.json")
    try:
        assert isinstance(reader, VirtualReader)
        assert (await reader.transmit(bytes.fromhex("00A4040000")))[-2:] == b"\x90\x00"
    finally:
        await reader.close()
    named = open_reader("cardsim", pcsc=False)
    assert isinstance(named, VirtualReader)
    await named.close()
