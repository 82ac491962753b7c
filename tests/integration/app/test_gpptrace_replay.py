"""Replaying a GPPro-style trace against the virtual card (in-process cardsim)."""

from __future__ import annotations

from app import gpptrace
from app.identity import read_identity
from app.readers.virtual import VirtualReader
from app.trace import Trace
from cardsim.card import VirtualCard


async def test_identity_trace_replays_with_the_same_answers() -> None:
    card = VirtualCard.create(None)
    reader = VirtualReader(card)
    trace = Trace()
    try:
        await read_identity(lambda apdu: reader.transmit(apdu, observer=trace.record))
        text = gpptrace.export(gpptrace.records_of(trace.entries))
        records = gpptrace.parse(text)
        assert len(records) == len(trace.commands()) >= 3
        again = Trace()
        report = await gpptrace.replay(reader, records, observer=again.record)
    finally:
        await reader.close()
    assert report.ok, report.summary()
    assert [s.got for s in report.steps] == [r.answer for r in records]
    assert len(again.commands()) == len(records)
    assert report.summary().startswith(f"replayed {len(records)} commands: {len(records)} same")


async def test_a_secure_channel_trace_stops_clearly() -> None:
    card = VirtualCard.create(None)
    reader = VirtualReader(card)
    try:
        select = bytes.fromhex("00A4040008A00000015100000000")
        iu = bytes.fromhex("8050000008" + "11" * 8 + "00")
        first = [await reader.transmit(select), await reader.transmit(iu)]
        # what the recorded session answered: the card's challenge then, and an authenticated
        # EXTERNAL AUTHENTICATE (a host cryptogram that matched that challenge)
        records = [gpptrace.Record(select, first[0], 1), gpptrace.Record(iu, first[1], 2),
                   gpptrace.Record(bytes.fromhex("8482010010" + "22" * 16), b"\x90\x00", 3),
                   gpptrace.Record(bytes.fromhex("84F2400210" + "33" * 16), b"\x90\x00", 3)]
        report = await gpptrace.replay(reader, records)
    finally:
        await reader.close()
    assert not report.ok
    assert report.steps[0].same and not report.steps[1].same
    assert report.warnings and "INITIALIZE UPDATE" in report.warnings[0]
    assert report.stopped is not None and report.stopped.startswith("command 3: answer ")
    assert "recorded cryptogram and MACs do not verify" in report.stopped
    assert len(report.steps) == 3  # nothing sent after the channel broke
