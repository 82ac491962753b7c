"""Load File Data Block parsing (gp-apdu.md 1.5)."""

from __future__ import annotations

import pytest

from cardsim.cap import CapError, parse_lfdb, split_load_file
from tests.helpers.capwriter import build_cap, load_file_data_block
from tests.unit.cardsim.host import h

PKG = h("0102030405")
APPLET = h("0102030405060708")


def test_parse_capwriter_output() -> None:
    lfdb = load_file_data_block(build_cap(PKG, [APPLET, APPLET + b"\x09"], version=(2, 3)))
    info = parse_lfdb(lfdb)
    assert info.package_aid == PKG
    assert info.applet_aids == [APPLET, APPLET + b"\x09"]
    assert info.version == (2, 3)
    assert info.lfdb == lfdb


def test_library_package_has_no_applets() -> None:
    assert parse_lfdb(load_file_data_block(build_cap(PKG, []))).applet_aids == []


def test_split_load_file_with_dap_block() -> None:
    lfdb = load_file_data_block(build_cap(PKG, [APPLET]))
    dap = h("E20C 4F08A000000151000000 C300".replace(" ", ""))[:2] + h("4F08A000000151000000C300")
    load_file = dap[:1] + bytes([len(dap) - 2]) + dap[2:] + b"\xc4\x81" + bytes([len(lfdb)]) + lfdb
    assert split_load_file(load_file) == lfdb


@pytest.mark.parametrize(
    "load_file",
    [h(""), h("C5020000"), h("C40500"), h("C4810500000000000000"), h("E2"), h("C483000000")],
)
def test_bad_load_file_wrapper(load_file: bytes) -> None:
    with pytest.raises(CapError):
        split_load_file(load_file)


@pytest.mark.parametrize(
    ("lfdb", "what"),
    [
        (h("010004DECAFFED"), "short"),
        (h("01000A01020304050607080905"), "magic"),
        (h("020000"), "Header"),
        (h("01000DDECAFFED0001010001 03 010203".replace(" ", "")), "AID"),
        (h("0100"), "truncated"),
    ],
)
def test_bad_lfdb(lfdb: bytes, what: str) -> None:
    with pytest.raises(CapError, match=what):
        parse_lfdb(lfdb)


def test_duplicate_component_and_bad_applet_component() -> None:
    good = load_file_data_block(build_cap(PKG, [APPLET]))
    header_len = 3 + int.from_bytes(good[1:3], "big")
    with pytest.raises(CapError, match="twice"):
        parse_lfdb(good + good[:header_len])
    with pytest.raises(CapError, match="Applet"):
        parse_lfdb(good[:header_len] + h("030003 01 20 00".replace(" ", "")))
