"""Command/response APDUs, chaining, and trace names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend_stub.compiler.apdu import (
    ApduError,
    CommandApdu,
    ResponseApdu,
    chain,
    command_name,
    sw_meaning,
)

h = bytes.fromhex


@pytest.mark.parametrize(("raw", "case", "data", "le", "ext"), [
    ("80F22002", 1, "", None, False),
    ("00A4040000", 2, "", 256, False),
    ("80CA9F7F10", 2, "", 16, False),
    ("80E4008007" "4F050102030405", 3, "4F050102030405", None, False),
    ("00A4040008A00000015100000000", 4, "A000000151000000", 256, False),
    ("00B0000000" "0100", 2, "", 256, True),
    ("00B0000000" "0000", 2, "", 65536, True),
    ("80E20000" "000003" "010203", 3, "010203", None, True),
    ("80E20000" "000003" "010203" "0000", 4, "010203", 65536, True),
])
def test_decode_cases(raw: str, case: int, data: str, le: int | None, ext: bool) -> None:
    apdu = CommandApdu.decode(h(raw))
    assert (apdu.case, apdu.data, apdu.le, apdu.extended) == (case, h(data), le, ext)
    assert apdu.encode() == h(raw)


def test_long_data_forces_extended() -> None:
    apdu = CommandApdu(0x80, 0xE8, 0, 0, bytes(300), le=256)
    raw = apdu.encode()
    assert raw[4:7] == h("00012C") and raw[-2:] == h("0100")
    assert CommandApdu.decode(raw) == apdu


@pytest.mark.parametrize("raw", [
    "", "80", "80F220", "80F2200205AABB", "80F2200202AABBCCDD", "80F2200000AA",
    "80F22002000002AABBCCDDEE",
])
def test_decode_rejects_malformed(raw: str) -> None:
    with pytest.raises(ApduError):
        CommandApdu.decode(h(raw))


@pytest.mark.parametrize("kwargs", [
    {"cla": 256}, {"ins": -1}, {"data": bytes(65536)}, {"le": 65537}, {"le": 0},
])
def test_construct_rejects_out_of_range(kwargs: dict) -> None:
    args = {"cla": 0x80, "ins": 0xCA, "p1": 0, "p2": 0} | kwargs
    with pytest.raises(ApduError):
        CommandApdu(**args)


apdus = st.builds(
    CommandApdu,
    cla=st.integers(0, 255), ins=st.integers(0, 255), p1=st.integers(0, 255),
    p2=st.integers(0, 255),
    data=st.one_of(st.binary(max_size=255), st.binary(min_size=256, max_size=600)),
    le=st.one_of(st.none(), st.integers(1, 256), st.integers(257, 65536)),
    extended=st.booleans(),
)


@given(apdus)
def test_encode_decode_round_trip(apdu: CommandApdu) -> None:
    assert CommandApdu.decode(apdu.encode()) == apdu


@given(st.binary(max_size=300))
def test_decode_random_bytes_only_apdu_error(raw: bytes) -> None:
    try:
        apdu = CommandApdu.decode(raw)
    except ApduError:
        return
    assert apdu.encode() == raw


@given(st.binary(max_size=40))
def test_response_decode_random(raw: bytes) -> None:
    try:
        r = ResponseApdu.decode(raw)
    except ApduError:
        assert len(raw) < 2
        return
    assert r.encode() == raw and r.sw == int.from_bytes(raw[-2:], "big")


def test_chaining_sets_cla_bit_on_all_but_last() -> None:
    parts = chain(CommandApdu(0x00, 0xDB, 0x3F, 0xFF, bytes(range(200)) * 3, le=256), 255)
    assert [len(p.data) for p in parts] == [255, 255, 90]
    assert [p.cla for p in parts] == [0x10, 0x10, 0x00]
    assert [p.le for p in parts] == [None, None, 256]
    assert b"".join(p.data for p in parts) == bytes(range(200)) * 3


@pytest.mark.parametrize(("apdu", "name"), [
    ("00A4040000", "SELECT"),
    ("80CA9F7F00", "GET DATA"),
    ("8050300008" "0000000000000000" "00", "INITIALIZE UPDATE"),
    ("848233001000", "EXTERNAL AUTHENTICATE"),
    ("80E6020000", "INSTALL [for load]"),
    ("84E60C0000", "INSTALL [for install and make selectable]"),
    ("80E6200000", "INSTALL [for personalization]"),
    ("80E8800000", "LOAD"),
    ("84E2900000", "STORE DATA"),
    ("84E4008000", "DELETE"),
    ("80F2400200", "GET STATUS"),
    ("80F0408000", "SET STATUS"),
    ("84D8018100", "PUT KEY"),
    ("00C0000000", "GET RESPONSE"),
    ("90CA000005414141" "0F0E00", "DESFire CreateApplication"),
    ("90AA00000100", "DESFire AuthenticateAES"),
    ("90AF000000", "DESFire AdditionalFrame"),
    ("80", "(malformed APDU)"),
])
def test_command_names(apdu: str, name: str) -> None:
    assert command_name(h(apdu)) == name


def test_sw_meanings() -> None:
    assert sw_meaning(0x9000) == "success"
    assert "not found" in sw_meaning(0x6A82)
    assert sw_meaning(0x6110).startswith("16 more")
    assert "duplicate" in sw_meaning(0x91DE)
    assert "additional frame" in sw_meaning(0x91AF)
    assert "3 tries" in sw_meaning(0x63C3)
    assert sw_meaning(0x1234) == "unknown status"
