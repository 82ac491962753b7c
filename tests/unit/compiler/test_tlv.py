"""BER-TLV and DGI encoding."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend_stub.compiler import tlv
from backend_stub.compiler.tlv import Tlv, TlvError

h = bytes.fromhex


def test_parse_nested_registry_entry() -> None:
    data = h("E3124F07A00000015153509F700101C5039EFE80")
    [entry] = tlv.parse(data)
    assert entry.tag == 0xE3 and entry.constructed
    kids = entry.children()
    assert [k.tag for k in kids] == [0x4F, 0x9F70, 0xC5]
    assert tlv.find(kids, 0x9F70) == Tlv(0x9F70, b"\x01")
    assert tlv.find(kids, 0xCC) is None


@pytest.mark.parametrize(("n", "prefix"), [
    (0, "00"), (0x7F, "7F"), (0x80, "8180"), (0xFF, "81FF"), (0x100, "820100"),
    (0xFFFF, "82FFFF"), (0x10000, "83010000"),
])
def test_length_forms(n: int, prefix: str) -> None:
    raw = tlv.build(0xC4, bytes(n))
    assert raw[1 : 1 + len(h(prefix))] == h(prefix)
    assert tlv.parse(raw) == [Tlv(0xC4, bytes(n))]


def test_multi_byte_tags() -> None:
    assert tlv.build(0x9F70, b"\x07") == h("9F700107")
    assert tlv.build(0x9F8101, b"") == h("9F810100")
    assert tlv.parse(h("5F2001AA")) == [Tlv(0x5F20, h("AA"))]


@pytest.mark.parametrize("raw", [
    "9F", "9F70", "9F7002AA", "C4", "C481", "C48205", "C40501", "C480", "C484000000010A",
    "00", "FF01AA", "9FFFFFFF7F00",
])
def test_strict_errors(raw: str) -> None:
    with pytest.raises(TlvError):
        tlv.parse(h(raw))


@pytest.mark.parametrize("tag", [0x1F, 0x9F80, 0x100, -1, 0x1FFFFFFFF, 0])
def test_bad_tags_refused(tag: int) -> None:
    with pytest.raises(TlvError):
        tlv.build(tag, b"")


def _tag_strategy() -> st.SearchStrategy[int]:
    one = st.integers(1, 0xFE).filter(lambda b: b & 0x1F != 0x1F)
    two = st.tuples(st.integers(0, 6).map(lambda c: (c << 5) | 0x1F),
                    st.integers(0, 0x7F)).map(lambda t: (t[0] << 8) | t[1])
    three = st.tuples(st.integers(0, 6).map(lambda c: (c << 5) | 0x1F), st.integers(0x81, 0xFF),
                      st.integers(0, 0x7F)).map(lambda t: (t[0] << 16) | (t[1] << 8) | t[2])
    return st.one_of(one, two, three)


@given(st.lists(st.tuples(_tag_strategy(), st.binary(max_size=400)), max_size=5))
def test_build_parse_round_trip(items: list[tuple[int, bytes]]) -> None:
    raw = tlv.build_all(items)
    assert [(t.tag, t.value) for t in tlv.parse(raw)] == items
    assert b"".join(t.encode() for t in tlv.parse(raw)) == raw


@given(st.binary(max_size=200))
def test_parse_random_bytes_only_tlv_error(raw: bytes) -> None:
    try:
        items = tlv.parse(raw)
    except TlvError:
        return
    for item in items:
        if item.constructed:
            with contextlib.suppress(TlvError):
                item.children()


def test_dgi_forms() -> None:
    assert tlv.encode_dgi(0x0101, b"\x01\x02") == h("0101020102")
    long = tlv.encode_dgi(0x8010, bytes(300))
    assert long[:5] == h("8010FF012C")
    assert tlv.parse_dgi(h("0101020102") + long) == [(0x0101, h("0102")), (0x8010, bytes(300))]


@pytest.mark.parametrize("raw", ["01", "0101", "010103AA", "0101FF01", "0101FF0003AA"])
def test_dgi_truncation(raw: str) -> None:
    with pytest.raises(TlvError):
        tlv.parse_dgi(h(raw))


@given(st.binary(max_size=100))
def test_dgi_random_bytes_only_tlv_error(raw: bytes) -> None:
    try:
        items = tlv.parse_dgi(raw)
    except TlvError:
        return
    assert sum(3 + len(v) for _, v in items) <= len(raw)
