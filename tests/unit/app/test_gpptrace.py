"""GlobalPlatformPro `-d` style traces: export, parse back, and GPPro's own lines.

The format is GlobalPlatformPro's LoggingCardTerminal.transmit
(martinpaljak/GlobalPlatformPro, src/openkms/gpj/LoggingCardTerminal.java at
commit 40b1461, LoggingCardChannel.transmit(CommandAPDU), about lines 150-180):
`A>> <protocol> (4+%04d data length)` then
the header, `Lc` and `DATA||Le` as hex chunks; `A<< (%04d+2) (Nms)` (or
`Ns Nms` over a second) then the data and the status word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app import gpptrace
from app.gpptrace import GppFormatError, Record
from app.trace import Trace

SELECT = bytes.fromhex("00A4040008A00000015100000000")
FCI = bytes.fromhex("6F108408A000000151000000A5049F6501FF9000")
CPLC = bytes.fromhex("80CA9F7F00")


def _trace() -> Trace:
    t = Trace()
    t.note("card 1234 in Virtual card")
    t.record(SELECT, FCI, 100.0, 100.0123)
    t.record(CPLC, bytes.fromhex("6A88"), 100.1, 100.1004)
    t.record(bytes.fromhex("80E80000"), None, 100.2, 100.2)  # the card went away
    t.record(bytes.fromhex("80E2800003AABBCC"), bytes.fromhex("019000"), 100.3, 101.5346)
    return t


def test_export_reads_like_gppro() -> None:
    text = gpptrace.export(gpptrace.records_of(_trace().entries))
    assert text.splitlines() == [
        "# card 1234 in Virtual card",
        "A>> T=1 (4+0008) 00A40400 08 A00000015100000000",
        "A<< (0018+2) (12ms) 6F108408A000000151000000A5049F6501FF 9000",
        "A>> T=1 (4+0000) 80CA9F7F 00",
        "A<< (0000+2) (0ms) 6A88",
        "A>> T=1 (4+0000) 80E80000",
        "# no answer",
        "A>> T=1 (4+0003) 80E28000 03 AABBCC",
        "A<< (0001+2) (1s235ms) 01 9000",
    ]


def test_parsed_back_equals_the_trace(tmp_path: Path) -> None:
    trace = _trace()
    path = gpptrace.save(trace.entries, tmp_path / "trace.gpp.txt")
    records = gpptrace.load(path)
    assert records == gpptrace.records_of(trace.entries)
    assert records[1] == Record(SELECT, FCI, 12)
    assert records[3] == Record(bytes.fromhex("80E80000"), None, None)
    # and into a trace again: the same entries (names, status words) but for the times
    again = gpptrace.to_trace(records)
    strip = [(e.direction, e.data, e.name, e.sw, e.meaning) for e in trace.entries]
    assert [(e.direction, e.data, e.name, e.sw, e.meaning) for e in again.entries] == strip


def test_gppro_own_log_lowercase_seconds_and_noise() -> None:
    text = """SCardConnect("Virtual PCD 00 00", T=*) -> T=1, 3B8F8001
A>> T=1 (4+0000) 00a40400 00
A<< (0018+2) (1s12ms) 6f108408a000000151000000a5049f6501ff 9000
[DEBUG] GPSession - Card reported ISD AID
A>> T=1 (4+0008) 80500000 08 1122334455667788 00
A<< (0028+2) (44ms) 00000000000000000000ff020000aabbccddeeff0011223344556677 9000
"""
    records = gpptrace.parse(text)
    assert records == [
        Record(bytes.fromhex("00A4040000"), FCI, 1012),
        Record(bytes.fromhex("80500000081122334455667788" "00"),
               bytes.fromhex("00000000000000000000FF020000AABBCCDDEEFF0011223344556677"
                             "9000"), 44),
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("A>> T=1 (4+0002) 80CA9F7F 00", "(4+0002) but the data has 0 bytes"),
    ("A>> T=1 80CA9F7F 00", "a command line reads"),
    ("A>> T=1 (4+0000) 80CA9F7F 0G", "line 1: not hex"),
    ("A<< (0000+2) (1ms) 9000", "an answer without a command"),
    ("A>> T=1 (4+0000) 80CA9F7F 00\nA<< (0003+2) (1ms) 01 9000",
     "line 2: (0003+2) but 3 bytes of data"),
])
def test_bad_lines_are_named(text: str, message: str) -> None:
    with pytest.raises(GppFormatError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("+", r"\+")):
        gpptrace.parse(text)


def test_a_file_without_commands_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n# just a note\n")
    with pytest.raises(GppFormatError, match="no A>> command lines"):
        gpptrace.load(path)
    with pytest.raises(Exception, match="cannot read"):
        gpptrace.load(tmp_path / "missing.txt")
