from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cardsim.tlv import TLVError, decode_length, encode_length, parse, parse_lv_fields, tlv
from tests.unit.cardsim.host import h


def test_multibyte_tags_and_lengths() -> None:
    data = tlv(0x9F7F, bytes(42)) + tlv(0xE3, bytes(200)) + tlv(0x4F, b"")
    assert [(t, len(v)) for t, v in parse(data)] == [(0x9F7F, 42), (0xE3, 200), (0x4F, 0)]
    assert data[:3] == h("9F7F2A") and data[45:48] == h("E381C8")


@given(st.integers(0, 0xFFFF))
def test_length_roundtrip(n: int) -> None:
    enc = encode_length(n)
    assert decode_length(enc, 0) == (n, len(enc))


@pytest.mark.parametrize("raw", ["4F05A0000001", "9F", "4F81", "4F8400000001", "5F"])
def test_truncated_raises(raw: str) -> None:
    with pytest.raises(TLVError):
        parse(h(raw))


def test_lv_fields() -> None:
    fields = parse_lv_fields(h("02AABB00 81 01 CC"), 3, ber_fields=(2,))
    assert fields == [h("AABB"), b"", h("CC"), b""]
    with pytest.raises(TLVError):
        parse_lv_fields(h("05AABB"), 1)
