"""app.apdu: parsing, re-encoding and status word patterns."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.apdu import CommandApdu, get_response, parse_hex, split_response, sw_expected
from app.errors import ApduError


@pytest.mark.parametrize(
    ("hexapdu", "data", "le", "ext"),
    [
        ("80CA9F7F", "", None, False),  # case 1
        ("80CA9F7F00", "", 256, False),  # case 2 short, Le 00 = 256
        ("00A4040005A000000151", "A000000151", None, False),  # case 3 short
        ("00A4040005A00000015100", "A000000151", 256, False),  # case 4 short
        ("00B0000000FFFF", "", 65535, True),  # case 2 extended
        ("00D60000000003AABBCC", "AABBCC", None, True),  # case 3 extended
        ("00D60000000003AABBCC0000", "AABBCC", 65536, True),  # case 4 extended, Le 0000
    ],
)
def test_parse_cases(hexapdu: str, data: str, le: int | None, ext: bool) -> None:
    raw = bytes.fromhex(hexapdu)
    cmd = CommandApdu.parse(raw)
    assert cmd.data == bytes.fromhex(data)
    assert cmd.le == le
    assert cmd.extended is ext
    assert cmd.to_bytes() == raw


@pytest.mark.parametrize(
    "hexapdu",
    ["", "80", "80CA9F", "00A4040005A0000001", "00A404000000", "00D600000000", "00D6000000000"
     "3AABB"],
)
def test_malformed_apdus_raise_apdu_error(hexapdu: str) -> None:
    with pytest.raises(ApduError):
        CommandApdu.parse(bytes.fromhex(hexapdu))


def test_extended_to_short_when_it_fits() -> None:
    cmd = CommandApdu.parse(bytes.fromhex("00D60000000003AABBCC0010"))
    assert cmd.to_bytes(extended=False) == bytes.fromhex("00D6000003AABBCC10")


def test_too_long_for_short_form_is_a_clear_error() -> None:
    cmd = CommandApdu(0x00, 0xD6, 0, 0, bytes(300))
    assert cmd.needs_extended
    with pytest.raises(ApduError, match="do not fit a short APDU"):
        cmd.to_bytes(extended=False)


def test_with_le_for_6cxx() -> None:
    cmd = CommandApdu.parse(bytes.fromhex("80CA9F7F00"))
    assert cmd.with_le(0x2D).to_bytes() == bytes.fromhex("80CA9F7F2D")


def test_get_response_keeps_logical_channel() -> None:
    assert get_response(0x84, 0x10) == bytes.fromhex("00C0000010")
    assert get_response(0x01, 0x00) == bytes.fromhex("01C0000000")


@pytest.mark.parametrize(
    ("sw", "pattern", "ok"),
    [(0x9000, "9000", True), (0x6110, "61XX", True), (0x6110, "61xx", True),
     (0x6A82, "6AXX", True), (0x6A82, "6A80", False), (0x9100, "91XX", True),
     (0x9000, "XXXX", True), (0x6985, "9000", False)],
)
def test_sw_matches(sw: int, pattern: str, ok: bool) -> None:
    assert sw_expected(sw, [pattern]) is ok


def test_default_expect_is_9000_and_61xx() -> None:
    assert sw_expected(0x9000, None)
    assert sw_expected(0x6103, [])
    assert not sw_expected(0x6982, None)
    assert sw_expected(0x6982, ["6982"])


@pytest.mark.parametrize("bad", ["900", "90000", "90G0", "", "9 00"])
def test_bad_patterns_are_rejected(bad: str) -> None:
    with pytest.raises(ApduError, match="pattern"):
        sw_expected(0x9000, [bad])


PATTERNS = st.text(alphabet="0123456789ABCDEFXabcdefx", min_size=4, max_size=4)


def _matches(sw: int, pattern: str) -> bool:
    """The definition: each digit of the pattern is X or that digit of the status word."""
    return all(p in ("X", d) for p, d in zip(pattern.upper(), f"{sw:04X}", strict=True))


@given(st.lists(PATTERNS, max_size=4), st.integers(0, 0xFFFF))
def test_sw_expected_agrees_with_the_definition(patterns: list[str], sw: int) -> None:
    want = any(_matches(sw, p) for p in (patterns or ["9000", "61XX"]))
    assert sw_expected(sw, patterns) is want
    assert sw_expected(sw, tuple(patterns)) is want


@pytest.mark.parametrize("bad", ["900", "90000", "9G00", "", "90 0"])
def test_a_bad_pattern_among_good_ones_is_rejected(bad: str) -> None:
    with pytest.raises(ApduError, match="bad status word pattern"):
        sw_expected(0x9000, ("9000", bad))


def test_split_response_needs_a_status_word() -> None:
    assert split_response(b"\x01\x02\x90\x00") == (b"\x01\x02", 0x9000)
    with pytest.raises(ApduError, match="no status word"):
        split_response(b"\x90")


def test_parse_hex_names_the_field() -> None:
    assert parse_hex("00 a4 04 00") == bytes.fromhex("00A40400")
    with pytest.raises(ApduError, match="commands\\[3\\]"):
        parse_hex("00A4Z", "commands[3]")


apdus = st.builds(
    CommandApdu,
    cla=st.integers(0, 255), ins=st.integers(0, 255),
    p1=st.integers(0, 255), p2=st.integers(0, 255),
    data=st.binary(max_size=600),
    le=st.one_of(st.none(), st.integers(1, 65536)),
    extended=st.booleans(),
)


@given(apdus)
def test_round_trip(cmd: CommandApdu) -> None:
    ext = cmd.extended or cmd.needs_extended
    raw = cmd.to_bytes(extended=ext)
    back = CommandApdu.parse(raw)
    assert back.data == cmd.data
    assert back.le == cmd.le
    assert (back.cla, back.ins, back.p1, back.p2) == (cmd.cla, cmd.ins, cmd.p1, cmd.p2)


@given(st.binary(max_size=300))
def test_parse_never_raises_anything_but_apdu_error(raw: bytes) -> None:
    with contextlib.suppress(ApduError):
        CommandApdu.parse(raw)
