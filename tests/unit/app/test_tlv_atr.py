"""app.tlv and app.atr: card answers that are right, and some that are not."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import tlv
from app.atr import parse_atr
from app.errors import TlvError

# FCI of the GP ISD as fdsm's test has it (reference/fidesmo-api.md 6.1)
ISD_FCI = bytes.fromhex("6F108408A000000151000000A5049F6501FF")


def test_nested_fci() -> None:
    objs = tlv.parse(ISD_FCI)
    assert objs[0].tag == 0x6F
    assert tlv.find(objs, 0x84).value == bytes.fromhex("A000000151000000")
    assert tlv.find(objs, 0x9F65).value == b"\xff"


def test_long_lengths_and_padding() -> None:
    value = bytes(range(200))
    encoded = tlv.encode(0x45, value) + b"\x00\x00"
    assert encoded[:3] == b"\x45\x81\xc8"
    assert tlv.parse(encoded)[0].value == value


@pytest.mark.parametrize("bad", ["4507AABB", "9F", "9F7F", "4582", "458401000000"])
def test_strict_parse_rejects_broken_tlv(bad: str) -> None:
    with pytest.raises(TlvError):
        tlv.parse(bytes.fromhex(bad))


def test_lenient_parse_keeps_what_came_before_the_break() -> None:
    # batch applet answer with a wrong tag-43 length (fdsm issue #46 shape)
    data = bytes.fromhex("42030000C7430602396818B74400000000")
    assert tlv.parse_lenient(data)[0].value == bytes.fromhex("0000C7")


@given(st.binary(max_size=200))
def test_lenient_never_raises(data: bytes) -> None:
    tlv.parse_lenient(data)
    with contextlib.suppress(TlvError):
        tlv.parse(data)


def test_atr_of_cardsim_style_t1_card() -> None:
    hist = b"CARDSIM1"
    body = bytes([0x80 | len(hist), 0x80, 0x01]) + hist
    tck = 0
    for b in body:
        tck ^= b
    info = parse_atr(b"\x3b" + body + bytes([tck]))
    assert info.valid
    assert 1 in info.protocols
    assert info.historical == hist
    assert not info.extended_length


def test_atr_card_capabilities_say_extended_length() -> None:
    # historical bytes: category 80, compact TLV 73 with third byte 0x40 set
    hist = bytes.fromhex("8073C08040")
    body = bytes([0x80 | len(hist), 0x80, 0x01]) + hist
    tck = 0
    for b in body:
        tck ^= b
    assert parse_atr(b"\x3b" + body + bytes([tck])).extended_length


def test_contactless_pcsc_atr() -> None:
    assert parse_atr(bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")).contactless
    assert parse_atr(bytes.fromhex("3B80800101")).contactless


@pytest.mark.parametrize("bad", ["", "3B", "00112233", "3BFF"])
def test_malformed_atr_is_flagged_not_raised(bad: str) -> None:
    assert not parse_atr(bytes.fromhex(bad)).valid
