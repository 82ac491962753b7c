from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cardsim.apdu import CommandAPDU, parse_apdu
from cardsim.errors import SWError
from tests.unit.cardsim.host import h


@pytest.mark.parametrize(
    ("raw", "data", "ne", "extended"),
    [
        ("00A40400", b"", None, False),  # case 1
        ("00A4040000", b"", 256, False),  # case 2S, Le=00 -> 256
        ("80CA9F7F10", b"", 16, False),
        ("00A4040002AABB", h("AABB"), None, False),  # case 3S
        ("00A4040002AABB00", h("AABB"), 256, False),  # case 4S
        ("00B0000000FFFF", b"", 65535, True),  # case 2E
        ("00B00000000000", b"", 65536, True),  # case 2E, Le=0000 -> 65536
        ("00D6000000000201020000", h("0102"), 65536, True),  # case 4E
        ("00D60000000002AABB", h("AABB"), None, True),  # case 3E
    ],
)
def test_parse_cases(raw: str, data: bytes, ne: int | None, extended: bool) -> None:
    apdu = parse_apdu(h(raw))
    assert (apdu.data, apdu.ne, apdu.extended) == (data, ne, extended)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "00A404",  # shorter than a header
        "00A4040003AABB",  # Lc larger than the data
        "00A4040001AABBCCDD",  # Lc smaller than the data (and not followed by one Le byte)
        "00A404000000",  # Lc = 0 in short form
        "00A4040000000001",  # extended Lc = 0
        "00D6000000000301",  # extended Lc larger than the data
    ],
)
def test_malformed_is_6700(raw: str) -> None:
    with pytest.raises(SWError) as err:
        parse_apdu(h(raw))
    assert err.value.sw == 0x6700


@given(
    st.integers(0, 255),
    st.integers(0, 255),
    st.binary(max_size=300),
    st.one_of(st.none(), st.integers(1, 65536)),
)
def test_roundtrip(ins: int, p1: int, data: bytes, ne: int | None) -> None:
    apdu = CommandAPDU(0x80, ins, p1, 0, data, ne)
    parsed = parse_apdu(apdu.to_bytes())
    assert parsed.data == data
    assert parsed.ne == ne
