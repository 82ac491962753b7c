"""The detail pane's decoding, checked against bytes worked out by hand.

Layouts: CPLC field order and sizes as GlobalPlatformPro's
library/src/main/java/pro/javacard/gp/CPLC.java (enum Field, 42 bytes);
GET STATUS entries, life cycle and privileges as GP Card Spec 2.3.1 Tables
11-7 and 11-36 (gp-apdu.md 1.3); the FCI is the one real cards answer in
GlobalPlatformPro issue logs (`6F108408A000000151000000A5049F6501FF`).
"""

from __future__ import annotations

from app.apdudecode import (
    SecureContext,
    cla_text,
    command_parts,
    explain,
    hex_dump,
    p1p2_text,
    split_body,
)
from app.tlvexplain import Node, oid_meaning, oid_text


def _flat(nodes: tuple[Node, ...]) -> list[tuple[int, str, str]]:
    return [(d, n.label, n.value) for top in nodes for d, n in top.walk()]


def test_fci_of_the_isd_as_a_tree() -> None:
    e = explain(bytes.fromhex("00A4040008A00000015100000000"),
                bytes.fromhex("6F108408A000000151000000A5049F6501FF9000"))
    assert _flat(e.answer_tree) == [
        (0, "6F FCI template [16]", ""),
        (1, "84 DF name (AID) [8]", "A000000151000000"),
        (1, "A5 proprietary data [4]", ""),
        (2, "9F65 maximum length of command data [1]", "255 bytes"),
        (0, "SW", "9000 OK"),
    ]
    header = {n.label: n.value for n in e.header}
    assert header["CLA"] == "00 interindustry (ISO 7816-4), no secure messaging, logical channel 0"
    assert header["P1"] == "04 by DF name (AID)"
    assert header["P2"] == "00 first or only occurrence, return FCI"
    assert header["Lc"] == "8" and header["Le"] == "256"
    assert _flat(e.command_tree) == [(0, "AID", "A000000151000000")]


CPLC = ("9F7F2A" "4790" "5040" "4791" "2081" "3300" "0000" "01020304" "0A0B" "4812" "0000"
        "0000" "9123" "0000" "0000" "00000000" "0000" "0000" "00000000")


def test_cplc_field_by_field() -> None:
    e = explain(bytes.fromhex("80CA9F7F00"), bytes.fromhex(CPLC + "9000"))
    rows = _flat(e.answer_tree)
    assert rows[0][1] == "9F7F CPLC [42]"
    fields = {label: value for depth, label, value in rows if depth == 1}
    assert len(fields) == 18
    assert fields["IC fabricator"] == "4790"
    assert fields["IC type"] == "5040"
    assert fields["operating system ID"] == "4791"
    assert fields["operating system release date"] == "2081  (year digit 2, day 81)"
    assert fields["IC serial number"] == "01020304"
    assert fields["IC batch identifier"] == "0A0B"
    assert fields["IC module fabricator"] == "4812"
    assert fields["IC embedding date"] == "9123  (year digit 9, day 123)"
    assert fields["IC fabrication date"] == "0000  (no date)"
    assert fields["IC personalization equipment ID"] == "00000000"
    assert {n.label: n.value for n in e.header}["INS"] == "CA GET DATA [CPLC]"


def test_get_status_entries_with_life_cycle_and_privileges() -> None:
    # two E3 entries: the ISD (SECURED; SD, Card Lock+Terminate+Reset+CVM, ...) and an SSD
    answer = bytes.fromhex("E3134F08A0000001510000009F70010FC5039EFE80"
                           "E3104F07A00000015153509F700107C501809000")
    e = explain(bytes.fromhex("80F28002024F0000"), answer)
    rows = _flat(e.answer_tree)
    assert rows[:4] == [
        (0, "E3 GET STATUS entry [19]", ""),
        (1, "4F AID [8]", "A000000151000000"),
        (1, "9F70 life cycle state [1]", "0F SECURED"),
        (1, "C5 privileges [3]",
         "9EFE80 Security Domain, Card Lock, Card Terminate, Card Reset, CVM Management, "
         "Trusted Path, Authorized Management, Token Management, Global Delete, Global Lock, "
         "Global Registry, Final Application, Receipt Generation"),
    ]
    assert rows[4] == (0, "E3 GET STATUS entry [16]", "")
    assert rows[5] == (1, "4F AID [7]", "A0000001515350")
    assert rows[-1] == (0, "SW", "9000 OK")
    p1, p2 = p1p2_text(bytes.fromhex("80F24002024F00"))
    assert (p1, p2) == ("applications and security domains", "tagged (E3) format, first or all")
    # as an application's life cycle (scope 40), 07 reads SELECTABLE
    apps = explain(bytes.fromhex("80F24002024F0000"),
                   bytes.fromhex("E3104F07A00000015153509F700107C501009000"))
    assert (1, "9F70 life cycle state [1]", "07 SELECTABLE") in _flat(apps.answer_tree)


def test_card_recognition_data_oids() -> None:
    # 66 { 73 { 06 1.2.840.114283.1, 60 { 06 GP 2.3.1 }, 64 { 06 SCP03 i=70 } } }
    data = bytes.fromhex("6626" "7324" "06072A864886FC6B01" "600C060A2A864886FC6B02020301"
                         "640B" "06092A864886FC6B040370" "9000")
    e = explain(bytes.fromhex("80CA006600"), data)
    rows = _flat(e.answer_tree)
    assert rows[0] == (0, "66 card data [38]", "")
    assert rows[1] == (1, "73 card recognition data [36]", "")
    assert rows[2] == (2, "06 OID [7]", "1.2.840.114283.1 (GlobalPlatform card recognition data)")
    assert rows[4] == (3, "06 OID [10]", "1.2.840.114283.2.2.3.1 (GlobalPlatform version 2.3.1)")
    assert rows[5] == (2, "64 secure channel protocol [11]", "")
    assert rows[6] == (3, "06 OID [9]", "1.2.840.114283.4.3.112 (SCP03, i=70)")
    assert oid_text(bytes.fromhex("2A864886FC6B040370")) == "1.2.840.114283.4.3.112"
    assert oid_meaning("1.2.840.114283.4.3.112") == "SCP03, i=70"


def _session() -> list[tuple[bytes, bytes | None]]:
    """SELECT, INITIALIZE UPDATE answered by SCP03 (byte 11 = 03), EXTERNAL AUTHENTICATE."""
    iu = bytes.fromhex("00000000000000000000" "30" "03" "70" + "11" * 8 + "22" * 8 + "000001"
                       "9000")
    return [(bytes.fromhex("00A4040008A00000015100000000"), bytes.fromhex("9000")),
            (bytes.fromhex("8050300008" + "AA" * 8 + "00"), iu),
            (bytes.fromhex("8482" "33" "0010" + "CC" * 8 + "DD" * 8), bytes.fromhex("9000"))]


def test_secure_context_from_the_commands_before() -> None:
    ex = _session()
    assert SecureContext.before(ex, 1) == SecureContext(None, 0)
    assert SecureContext.before(ex, 2) == SecureContext(3, 0)
    ctx = SecureContext.before(ex, 3)
    assert ctx == SecureContext(3, 0x33)
    assert ctx.text() == "SCP03, C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION"
    # a new SELECT ends it
    assert SecureContext.before([*ex, (bytes.fromhex("00A4040000"), b"\x90\x00")], 4) \
        == SecureContext()
    iu = explain(ex[1][0], ex[1][1])
    assert ("card challenge", "11" * 8) in [(n.label, n.value) for n in iu.answer_tree]
    ea = explain(ex[2][0], ex[2][1], SecureContext.before(ex, 2))
    assert _flat(ea.command_tree) == [(0, "host cryptogram", "CC" * 8), (0, "C-MAC [8]", "DD" * 8)]


def test_wrapped_load_mac_only_and_mac_plus_encryption() -> None:
    # LOAD block 0 (last) with C-MAC: C4 81 D3 <first bytes of the LFDB> then the 8-byte MAC
    block = bytes.fromhex("C481D3" "01000FDECAFFED010204000105010203040501")
    mac = bytes.fromhex("0123456789ABCDEF")
    cmd = bytes.fromhex("84E88000") + bytes([len(block) + 8]) + block + mac + b"\x00"
    mac_only = SecureContext(3, 0x01)
    clear, cipher, got_mac = command_parts(cmd, mac_only)
    assert (clear, cipher, got_mac) == (block, b"", mac)
    e = explain(cmd, bytes.fromhex("9000"), mac_only)
    assert _flat(e.command_tree) == [
        (0, "C4 load file data block [211]", "19 bytes in this block"),
        (0, "C-MAC [8]", "0123456789ABCDEF"),
    ]
    header = {n.label: n.value for n in e.header}
    assert header["CLA"] == "84 proprietary (GlobalPlatform), secure messaging (GP), " \
                            "logical channel 0"
    assert header["P1"] == "80 last block" and header["P2"] == "00 block number 0"
    assert header["INS"] == "E8 LOAD [block 0, last] (secure)"
    # with C-DECRYPTION: everything before the MAC is ciphertext, not decoded
    enc = SecureContext(3, 0x03)
    e = explain(cmd, bytes.fromhex("9000"), enc)
    assert _flat(e.command_tree) == [(0, f"ciphertext [{len(block)}]", block.hex().upper()),
                                     (0, "C-MAC [8]", "0123456789ABCDEF")]
    assert e.session == "SCP03, C-MAC, C-DECRYPTION"


def test_header_fields_and_body_forms() -> None:
    assert cla_text(0x01) == "interindustry (ISO 7816-4), no secure messaging, logical channel 1"
    assert cla_text(0x0C).startswith("interindustry (ISO 7816-4), secure messaging, header "
                                     "authenticated")
    assert cla_text(0x45) == ("interindustry (ISO 7816-4), no secure messaging, "
                              "logical channel 9")
    assert cla_text(0x10).endswith("command chaining: more to come")
    assert split_body(bytes.fromhex("80CA9F7F00")).le == 256
    ext = split_body(bytes.fromhex("80E80000000003AABBCC0000"))
    assert (ext.lc, ext.data, ext.le, ext.extended) == (3, b"\xAA\xBB\xCC", 65536, True)
    assert p1p2_text(bytes.fromhex("80E60C00")) == (
        "for install + for make selectable; last (or only) command", "00 (reserved)")
    assert p1p2_text(bytes.fromhex("80E40080"))[1] == "delete object and related objects"
    inst = explain(bytes.fromhex("80E60C001E050102030405080102030405060708080102030405060708"
                                 "010002C90000"), bytes.fromhex("9000"))
    rows = _flat(inst.command_tree)
    assert rows[0] == (0, "load file AID [5]", "0102030405")
    assert rows[3] == (0, "privileges [1]", "00 none")
    assert rows[4] == (0, "install parameters [2]", "C900")
    assert rows[5] == (1, "C9 application specific parameters [0]", "(empty)")


def test_hex_dump_has_an_ascii_column_and_odd_bytes_never_raise() -> None:
    assert hex_dump(b"GP\x00\x7f") == "0000  47 50 00 7F" + " " * 36 + "  |GP..|"
    assert explain(b"\x00", None).name == "malformed APDU"
    broken = explain(bytes.fromhex("80CA006600"), bytes.fromhex("66FF9000"))
    assert broken.answer_tree[0].label == "not BER-TLV"
