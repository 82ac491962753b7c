"""GlobalPlatform command builders and the GET STATUS registry parser."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend_stub.compiler import gp, tlv
from backend_stub.compiler.cap import CapFile
from backend_stub.compiler.gp import GpError, RegistryEntry
from tests.helpers.capwriter import HEADER, build_cap

h = bytes.fromhex

EMPTY_PKG = h("0102030405")
EMPTY_APPLET = h("0102030405060708")
# Header of a CAP 2.1 file for package 0102030405 v1.0 with applets (JCVM 2.2 6.3 offsets).
EMPTY_HEADER = h("01000F" "DECAFFED" "01" "02" "04" "00" "01" "05" "0102030405")


def empty_cap() -> CapFile:
    """A stand-in for GPPro's tests/Empty_0102030405_8d5ac9e2_2.2.1.cap.

    The original file is not available here, so its 211-byte Load File Data Block is
    rebuilt from the description in gp-apdu.md 1.3: same package and applet AIDs, CAP 2.1
    header, the nine LFDB components, 211 bytes in all. Its hash therefore differs from
    8d5ac9e2..; every command byte that does not depend on the hash is asserted exactly.
    """
    raw = build_cap(EMPTY_PKG, [EMPTY_APPLET], cap_version=(2, 1),
                    replace={HEADER: EMPTY_HEADER}, code_size=69)
    return CapFile.parse(raw)


def test_empty_cap_worked_example() -> None:
    # Worked example of gp-apdu.md 1.3 (GPPro algorithm on Empty_0102030405_8d5ac9e2_2.2.1.cap)
    cap = empty_cap()
    lfdb = cap.load_file_data_block
    assert len(lfdb) == 211
    assert lfdb.startswith(EMPTY_HEADER)
    assert cap.package_aid == EMPTY_PKG and cap.applet_aids == [EMPTY_APPLET]
    assert cap.cap_version == (2, 1)
    # Component tags in GPPro's order: Header 1, Directory 2, Import 4, Applet 3, Class 6,
    # Method 7, StaticField 8, ConstantPool 5, RefLocation 9.
    tags, pos = [], 0
    while pos < len(lfdb):
        tags.append(lfdb[pos])
        pos += 3 + int.from_bytes(lfdb[pos + 1 : pos + 3], "big")
    assert pos == 211 and tags == [1, 2, 4, 3, 6, 7, 8, 5, 9]

    assert gp.install_for_load(EMPTY_PKG) == h(
        "80E60200" "12" "05" "0102030405" "08" "A000000151000000" "00" "00" "00")
    [load] = gp.load_blocks(lfdb, 247)
    assert load == h("80E88000" "D6" "C481D3") + lfdb + h("00")
    assert gp.install_for_install(EMPTY_PKG, EMPTY_APPLET, EMPTY_APPLET) == h(
        "80E60C00" "1E" "05" "0102030405" "08" "0102030405060708" "08" "0102030405060708"
        "01" "00" "02" "C900" "00")
    assert gp.delete(EMPTY_PKG, related=True) == h("80E40080" "07" "4F05" "0102030405")


def test_ssd_creation_matches_issue_306_trace() -> None:
    # GPPro issue #306 trace (gp-apdu.md 1.3): 84E60C00 28 07A0000001515350 08A000000151535041
    # 08A000000151000001 01 80 02 C900 00 <MAC> -- the plain form before wrapping.
    assert gp.install_ssd(h("A000000151000001")) == h(
        "80E60C00" "20" "07A0000001515350" "08A000000151535041" "08A000000151000001"
        "0180" "02C900" "00")
    with pytest.raises(GpError, match="Security Domain privilege"):
        gp.install_ssd(h("A000000151000001"), privileges=b"\x00")


def test_install_for_load_into_ssd_and_with_hash() -> None:
    ssd = h("A000000151000001")
    assert gp.install_for_load(EMPTY_PKG, ssd)[11:20] == h("08") + ssd
    with_hash = gp.install_for_load(EMPTY_PKG, lfdb_hash=bytes(32))
    assert with_hash[4] == len(with_hash) - 5 and h("20") + bytes(32) in with_hash


@pytest.mark.parametrize(("params", "wrapped"), [
    ("", "C900"),
    ("01020304", "C90401020304"),
    ("C90401020304", "C90401020304"),  # already TLV holding C9: kept (GPPro #360)
    ("EF02C800C900", "EF02C800C900"),  # TLV without C9 at the top... contains C9: kept
    ("EF04C8020102", "C906EF04C8020102"),  # valid TLV, no C9: wrapped
    ("C905", "C902C905"),  # not valid TLV: wrapped
])
def test_install_params_wrapping(params: str, wrapped: str) -> None:
    assert gp.wrap_install_params(h(params)) == h(wrapped)


def test_long_install_params_use_ber_length() -> None:
    params = bytes(200)
    cmd = gp.install_for_install(EMPTY_PKG, EMPTY_APPLET, EMPTY_APPLET, params=params)
    assert h("81CB" "C981C8") in cmd


def test_load_blocks_numbering_and_limits() -> None:
    lfdb = bytes(range(256)) * 4
    blocks = gp.load_blocks(lfdb, 231)
    assert [b[2] for b in blocks] == [0, 0, 0, 0, 0x80]
    assert [b[3] for b in blocks] == [0, 1, 2, 3, 4]
    assert all(b[4] == 231 for b in blocks[:-1])
    assert b"".join(b[5:-1] for b in blocks) == gp.load_file(lfdb)
    assert gp.load_file(lfdb)[:4] == h("C4820400")
    with pytest.raises(GpError, match="at most 256"):
        gp.load_blocks(bytes(247 * 256), 247)
    with pytest.raises(GpError):
        gp.load_blocks(lfdb, 0)


def test_block_size_from_overhead_and_card_maximum() -> None:
    assert gp.block_size(255, 8) == 247
    assert gp.block_size(255, 16) == 239
    assert gp.block_size(255, 24) == 231
    assert gp.block_size(1000, 0) == 255
    assert gp.block_size(128, 24) == 104  # 9F65 lowers it, never raises it
    with pytest.raises(GpError):
        gp.block_size(20, 24)


def test_store_data_blocks() -> None:
    dgi = bytes.fromhex("0101") + b"\xff" + (300).to_bytes(2, "big") + bytes(300)
    blocks = gp.store_data_blocks(dgi, "DGI", 239)
    assert [b[2] for b in blocks] == [0x08, 0x88]
    assert [b[3] for b in blocks] == [0, 1]
    assert b"".join(b[5:] for b in blocks) == dgi
    [ber] = gp.store_data_blocks(h("5F2001AA"), "BER")
    assert ber == h("80E2900004" "5F2001AA")
    for data, kind in ((h("0101"), "DGI"), (h("5F20"), "BER"), (h("01"), "XML"), (b"", "BER")):
        with pytest.raises(GpError):
            gp.store_data_blocks(data, kind)


def test_other_builders() -> None:
    assert gp.select() == h("00A4040000")
    assert gp.select(h("A000000151000000")) == h("00A4040008A00000015100000000")
    assert gp.select(h("A0000001"), next_occurrence=True) == h("00A4040204A000000100")
    assert gp.get_data(0x9F7F) == h("80CA9F7F00")
    assert gp.get_status(gp.STATUS_APPS) == h("80F24002024F0000")
    assert gp.get_status(gp.STATUS_ELFS, next_=True) == h("80F22003024F0000")
    assert gp.install_for_personalization(EMPTY_APPLET) == h(
        "80E620000E" "0000" "080102030405060708" "000000")
    assert gp.delete(EMPTY_APPLET) == h("80E400000A4F080102030405060708")
    assert gp.set_status_app(EMPTY_APPLET, lock=True) == h("80F04080080102030405060708")
    assert gp.set_status_app(EMPTY_APPLET, lock=False) == h("80F04000080102030405060708")
    assert gp.put_key(0x31, [b"\x88\x11\x10" + bytes(16) + h("03AABBCC")] * 3)[:5] == h(
        "80D8008146")
    with pytest.raises(GpError):
        gp.get_status(0x41)
    with pytest.raises(GpError):
        gp.delete(h("0102"))
    with pytest.raises(GpError):
        gp.put_key(0, [b"x"])


def _e3(*fields: tuple[int, str]) -> bytes:
    return tlv.build(0xE3, tlv.build_all((t, h(v)) for t, v in fields))


REGISTRY = (
    _e3((0x4F, "A000000151000000"), (0x9F70, "0F"), (0xC5, "9EFE80"), (0xCC, "A000000151000000"))
    + _e3((0x4F, "A000000617"), (0x9F70, "01"), (0xCE, "0100"), (0xC4, "A000000617"),
          (0x84, "A00000061701"))
    + _e3((0x4F, "A0000006170101"), (0x9F70, "87"), (0xC5, "00"))
)


def test_parse_registry() -> None:
    isd, elf, app = gp.parse_registry(REGISTRY)
    assert isd == RegistryEntry(h("A000000151000000"), 0x0F, h("9EFE80"), h("A000000151000000"))
    assert isd.is_security_domain
    assert elf.version == (1, 0) and elf.elf_aid == h("A000000617")
    assert elf.modules == [h("A00000061701")]
    assert app.lifecycle == 0x87 and app.locked and not app.is_security_domain


@pytest.mark.parametrize("raw", [
    "E1024F00", "E3039F7001", "E3039F700101", "E30A4F05A0000006179F7000", "E3024F00",
])
def test_registry_errors(raw: str) -> None:
    with pytest.raises(GpError):
        gp.parse_registry(h(raw))


@given(st.binary(max_size=120))
def test_registry_random_bytes_only_gp_error(raw: bytes) -> None:
    with contextlib.suppress(GpError):
        gp.parse_registry(raw)


@given(st.lists(st.binary(min_size=0, max_size=12), max_size=6))
def test_registry_random_e3_content_only_gp_error(fields: list[bytes]) -> None:
    body = b"".join(bytes([0x4F if i % 2 else 0x9F, len(f)]) + f for i, f in enumerate(fields))
    raw = b"\xe3" + bytes([len(body)]) + body if len(body) < 128 else b""
    with contextlib.suppress(GpError):
        gp.parse_registry(raw)
