"""Card content management through a real SCP03 session: load, install, list, delete."""

from __future__ import annotations

from pathlib import Path

import pytest

from cardsim.card import VirtualCard
from tests.helpers.capwriter import build_cap, load_file_data_block
from tests.unit.cardsim.host import (
    SCP03Host,
    apdu,
    delete_cmd,
    h,
    install_cmd,
    install_for_load,
    load_blocks,
    make_selectable_cmd,
    parse_tlvs,
    perso_cmd,
    select_cmd,
)

KEY = h("404142434445464748494A4B4C4D4E4F")
ISD = h("A000000151000000")
PKG = h("A000000617001122330001")
APPLET = h("A00000061700112233000101")
PKG2 = h("A000000617004455660001")
APPLET2 = h("A00000061700445566000101")
SSD = h("A00000061701AABBCCDD")
SD_PKG, SD_MOD = h("A0000001515350"), h("A000000151535041")


def session(card: VirtualCard, level: int = 0x33, aid: bytes = ISD) -> SCP03Host:
    assert card.transmit(select_cmd(aid))[-2:] == h("9000")
    host = SCP03Host(card, KEY, KEY, KEY, level=level)
    host.open()
    return host


def lfdb_of(pkg: bytes, applets: list[bytes], code_size: int = 64) -> bytes:
    return load_file_data_block(build_cap(pkg, applets, code_size=code_size))


def load(
    host: SCP03Host, pkg: bytes, applets: list[bytes], sd: bytes = b"", code_size: int = 64
) -> None:
    assert host.send(install_for_load(pkg, sd)) == (b"\x00", 0x9000)
    blocks = load_blocks(lfdb_of(pkg, applets, code_size))
    for block in blocks[:-1]:
        assert host.send(block) == (b"", 0x9000)
    assert host.send(blocks[-1]) == (b"\x00", 0x9000)


def status(host: SCP03Host, p1: int, criteria: bytes = h("4F00")) -> list[dict[int, list[bytes]]]:
    out: list[dict[int, list[bytes]]] = []
    p2 = 0x02
    while True:
        data, sw = host.send(apdu(f"80F2{p1:02X}{p2:02X}", criteria, le=True))
        assert sw in (0x9000, 0x6310, 0x6A88), hex(sw)
        if sw == 0x6A88:
            return out
        for tag, value in parse_tlvs(data):
            assert tag == 0xE3
            entry: dict[int, list[bytes]] = {}
            for t, v in parse_tlvs(value):
                entry.setdefault(t, []).append(v)
            out.append(entry)
        if sw == 0x9000:
            return out
        p2 = 0x03


def aids(entries: list[dict[int, list[bytes]]]) -> list[bytes]:
    return [e[0x4F][0] for e in entries]


def test_load_install_list_delete(card: VirtualCard) -> None:
    host = session(card)
    load(host, PKG, [APPLET])
    assert host.send(install_cmd(PKG, APPLET, APPLET)) == (b"\x00", 0x9000)
    elfs = status(host, 0x10)
    mine = next(e for e in elfs if e[0x4F][0] == PKG)
    assert mine[0x84] == [APPLET] and mine[0xCC] == [ISD] and mine[0xCE] == [h("0100")]
    apps = status(host, 0x40)
    inst = next(e for e in apps if e[0x4F][0] == APPLET)
    assert inst[0x9F70] == [h("07")] and inst[0xC4] == [PKG] and inst[0xCC] == [ISD]
    assert card.transmit(select_cmd(APPLET)) == h("6F0E840C") + APPLET + h("9000")
    assert card.transmit(h("8001000000")) == h("6D00")  # generic applet: unknown instruction
    host = session(card)
    assert host.send(delete_cmd(PKG, related=True)) == (b"\x00", 0x9000)
    assert PKG not in aids(status(host, 0x20)) and APPLET not in aids(status(host, 0x40))
    assert card.transmit(select_cmd(APPLET)) == h("6A82")


def test_isd_status_and_legacy_format(card: VirtualCard) -> None:
    host = session(card, level=0x01)
    isd = status(host, 0x80)
    assert aids(isd) == [ISD] and isd[0][0x9F70] == [h("0F")] and isd[0][0xC5] == [h("9EFE80")]
    data, sw = host.send(h("80F24000024F0000"))
    assert sw == 0x9000
    assert data.startswith(h("0C A00000061702000900010101 07 00".replace(" ", "")))
    data, sw = host.send(h("80F21000024F0000"))
    assert sw == 0x9000 and data.startswith(
        h("07 A0000001515350 01 00 01 08 A000000151535041".replace(" ", ""))
    )


def test_get_status_partial_aid_and_nothing(card: VirtualCard) -> None:
    host = session(card)
    assert aids(status(host, 0x40, h("4F06A00000061702"))) == [h("A00000061702000900010101")]
    assert status(host, 0x40, h("4F03112233")) == []
    assert host.send(h("80F24002024F0000")[:-3] + h("03 4F 01"))[1] == 0x6A80  # truncated TLV


def test_get_status_pages_with_6310(card: VirtualCard) -> None:
    host = session(card)
    applets = [PKG[:-1] + bytes([i]) + h("01") for i in range(12)]
    load(host, PKG, applets)
    for a in applets:
        assert host.send(install_cmd(PKG, a, a))[1] == 0x9000
    first, sw = host.send(h("80F24002024F0000"))
    assert sw == 0x6310 and len(first) <= 256 - 24
    assert set(applets) <= set(aids(status(host, 0x40)))
    # P2=03 without a paged request in progress
    host2 = session(card)
    assert host2.send(h("80F24003024F0000"))[1] == 0x6A86


def test_commands_need_a_secure_channel(card: VirtualCard) -> None:
    card.transmit(select_cmd(ISD))
    for cmd in (
        install_for_load(PKG),
        h("80E8800003C40100"),
        delete_cmd(PKG),
        h("80F24002024F0000"),
        h("80F0408008") + APPLET[:8],
        h("80D8000001 30".replace(" ", "")),
        h("80E2900003DF2000"),
    ):
        assert card.transmit(cmd) == h("6982"), cmd.hex()


def test_load_blocks_out_of_order_loads_nothing(card: VirtualCard, card_path: Path) -> None:
    host = session(card)
    before = card_path.read_bytes()
    assert host.send(install_for_load(PKG))[1] == 0x9000
    blocks = load_blocks(lfdb_of(PKG, [APPLET], code_size=400), size=150)
    assert len(blocks) >= 3
    assert host.send(blocks[0])[1] == 0x9000
    assert host.send(blocks[2])[1] == 0x6A86
    # the load is aborted: continuing with the right block is refused too
    assert host.send(blocks[1])[1] == 0x6985
    assert card_path.read_bytes() == before
    assert PKG not in aids(status(host, 0x20))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b[:3] + b"\x00\x00\x00\x00" + b[7:],  # Header magic broken
        lambda b: b[:-1],  # last component truncated
        lambda b: b"\x02" + b[1:],  # Directory first, no Header
        lambda b: b + b"\x63\x00\x00",  # unknown component tag
    ],
)
def test_broken_lfdb_is_6a80_and_nothing_stored(card: VirtualCard, card_path: Path, mutate) -> None:  # type: ignore[no-untyped-def]
    host = session(card)
    before = card_path.read_bytes()
    assert host.send(install_for_load(PKG))[1] == 0x9000
    blocks = load_blocks(mutate(lfdb_of(PKG, [APPLET])), size=200)
    for block in blocks[:-1]:
        assert host.send(block)[1] == 0x9000
    assert host.send(blocks[-1])[1] == 0x6A80
    assert card_path.read_bytes() == before


def test_package_aid_must_match_and_hash_is_checked(card: VirtualCard) -> None:
    host = session(card)
    assert host.send(install_for_load(PKG2))[1] == 0x9000
    for block in load_blocks(lfdb_of(PKG, [APPLET]))[:-1]:
        host.send(block)
    assert host.send(load_blocks(lfdb_of(PKG, [APPLET]))[-1])[1] == 0x6A80
    assert host.send(install_for_load(PKG, load_hash=bytes(32)))[1] == 0x9000
    blocks = load_blocks(lfdb_of(PKG, [APPLET]))
    for block in blocks[:-1]:
        host.send(block)
    assert host.send(blocks[-1])[1] == 0x6A80
    import hashlib

    good = hashlib.sha256(lfdb_of(PKG, [APPLET])).digest()
    assert host.send(install_for_load(PKG, load_hash=good))[1] == 0x9000
    for block in blocks[:-1]:
        host.send(block)
    assert host.send(blocks[-1]) == (b"\x00", 0x9000)


def test_install_errors(card: VirtualCard, card_path: Path) -> None:
    host = session(card)
    load(host, PKG, [APPLET])
    before = card_path.read_bytes()
    assert host.send(install_cmd(PKG, APPLET2, APPLET2))[1] == 0x6A88  # module not in the ELF
    assert host.send(install_cmd(PKG2, APPLET, APPLET))[1] == 0x6A88  # no such ELF
    assert host.send(install_cmd(PKG, APPLET, APPLET, privileges=h("0000")))[1] == 0x6A80
    assert host.send(install_cmd(PKG, APPLET, APPLET, params=h("C905AA")))[1] == 0x6A80
    assert card_path.read_bytes() == before
    assert host.send(install_cmd(PKG, APPLET, APPLET))[1] == 0x9000
    assert host.send(install_cmd(PKG, APPLET, APPLET))[1] == 0x6985  # duplicate instance
    assert host.send(install_for_load(PKG))[1] == 0x6985  # duplicate ELF


def test_install_then_make_selectable(card: VirtualCard) -> None:
    host = session(card)
    load(host, PKG, [APPLET])
    assert host.send(install_cmd(PKG, APPLET, APPLET, p1="04"))[1] == 0x9000
    assert next(e for e in status(host, 0x40) if e[0x4F][0] == APPLET)[0x9F70] == [h("03")]
    card.transmit(select_cmd(APPLET))
    assert card.transmit(select_cmd(APPLET)) == h("6A82")
    host = session(card)
    assert host.send(make_selectable_cmd(APPLET))[1] == 0x9000
    assert host.send(make_selectable_cmd(APPLET))[1] == 0x6985
    assert card.transmit(select_cmd(APPLET))[-2:] == h("9000")


def test_delete_rules(card: VirtualCard) -> None:
    host = session(card)
    load(host, PKG, [APPLET])
    host.send(install_cmd(PKG, APPLET, APPLET))
    assert host.send(delete_cmd(PKG))[1] == 0x6985  # ELF still has an instance
    assert host.send(delete_cmd(h("A0000006179999")))[1] == 0x6A88
    assert host.send(delete_cmd(ISD))[1] == 0x6985
    assert host.send(delete_cmd(h("A00000061702000900010101")))[1] == 0x6985  # platform applet
    assert host.send(delete_cmd(SD_PKG, related=True))[1] == 0x6985
    assert host.send(delete_cmd(APPLET))[1] == 0x9000  # instance only
    assert aids(status(host, 0x20)).count(PKG) == 1
    assert host.send(delete_cmd(PKG))[1] == 0x9000


def test_set_status_lock_unlock(card: VirtualCard) -> None:
    host = session(card)
    load(host, PKG, [APPLET])
    host.send(install_cmd(PKG, APPLET, APPLET))
    assert host.send(apdu("80F04080", APPLET)) == (b"", 0x9000)
    assert next(e for e in status(host, 0x40) if e[0x4F][0] == APPLET)[0x9F70] == [h("87")]
    assert card.transmit(select_cmd(APPLET)) == h("6A82")
    host = session(card)
    assert host.send(apdu("80F04000", APPLET)) == (b"", 0x9000)
    assert card.transmit(select_cmd(APPLET))[-2:] == h("9000")
    host = session(card)
    assert host.send(apdu("80F04080", h("A00000061702000900010101")))[1] == 0x6985
    assert host.send(apdu("80F04080", h("A0000006170000000001")))[1] == 0x6A88


def test_ssd_lifecycle(card: VirtualCard) -> None:
    host = session(card)
    assert host.send(install_cmd(SD_PKG, SD_MOD, SSD, privileges=h("80")))[1] == 0x9000
    load(host, PKG, [APPLET], sd=SSD)
    assert host.send(install_cmd(PKG, APPLET, APPLET))[1] == 0x9000
    apps = {e[0x4F][0]: e for e in status(host, 0x40)}
    assert apps[SSD][0xC5][0][0] & 0x80 and apps[SSD][0xCC] == [ISD]
    assert apps[APPLET][0xCC] == [SSD]
    assert next(e for e in status(host, 0x20) if e[0x4F][0] == PKG)[0xCC] == [SSD]
    # the SSD starts with the ISD's keys, opens its own channel and can change them
    ssd_host = session(card, aid=SSD)
    new = h("00112233445566778899AABBCCDDEEFF")
    block = ssd_host.put_key_block(new)
    data, sw = ssd_host.send(apdu("80D83081", b"\x31" + block * 3, le=True))
    assert sw == 0x9000 and data == b"\x31" + (block[-3:]) * 3
    card.transmit(select_cmd(SSD))
    SCP03Host(card, new, new, new, kvn=0x31).open()
    # the SSD lists only what is associated with it
    ssd_view = aids(status(_reopen(card, new), 0x40))
    assert APPLET in ssd_view and h("A00000061702000900010101") not in ssd_view
    # deleting the SSD alone is refused while it has dependants; with P2=80 everything goes
    host = session(card)
    assert host.send(delete_cmd(SSD))[1] == 0x6985
    assert host.send(delete_cmd(SSD, related=True))[1] == 0x9000
    left = aids(status(host, 0x40)) + aids(status(host, 0x20))
    assert SSD not in left and APPLET not in left and PKG not in left


def _reopen(card: VirtualCard, key: bytes) -> SCP03Host:
    card.transmit(select_cmd(SSD))
    host = SCP03Host(card, key, key, key, kvn=0x31, level=0x01)
    host.open()
    return host


def test_put_key_new_set_and_kcv_mismatch(card: VirtualCard, card_path: Path) -> None:
    host = session(card)
    new = h("0F0E0D0C0B0A09080706050403020100")
    block = host.put_key_block(new)
    before = card_path.read_bytes()
    bad = block[:-1] + bytes([block[-1] ^ 1])
    assert host.send(apdu("80D80081", b"\x40" + block + block + bad, le=True))[1] == 0x6A80
    assert card_path.read_bytes() == before
    assert host.send(apdu("80D80081", b"\x40" + block * 3, le=True))[1] == 0x9000
    key_info = host.send(h("80CA00E000"))[0]
    assert h("C00401408810") in key_info and h("C00401308810") in key_info
    card.transmit(select_cmd(ISD))
    SCP03Host(card, new, new, new, kvn=0x40).open()


def test_keystore_personalization_flow(card: VirtualCard) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    pkg, applet = h("A000000617007365637201"), h("A00000061700736563720101")
    host = session(card)
    load(host, pkg, [applet])
    assert host.send(install_cmd(pkg, applet, applet))[1] == 0x9000
    card.transmit(select_cmd(applet))
    assert card.transmit(h("8010000000")) == h("6985")
    host = session(card)
    assert host.send(perso_cmd(applet)) == (b"\x00", 0x9000)
    scalar = (12345).to_bytes(32, "big")
    assert host.send(apdu("80E28800", h("010120") + scalar)) == (b"", 0x9000)
    card.transmit(select_cmd(applet))
    rsp = card.transmit(h("8010000000"))
    expected = ec.derive_private_key(12345, ec.SECP256R1()).public_key()
    assert rsp[:-2] == expected.public_numbers().x.to_bytes(32, "big").rjust(
        33, b"\x04"
    ) + expected.public_numbers().y.to_bytes(32, "big")
    sig = card.transmit(h("8020000003616263"))
    assert sig[-2:] == h("9000")
    expected.verify(sig[:-2], b"abc", ec.ECDSA(hashes.SHA256()))
    # DGI 0102: generate on card; multi-block STORE DATA numbering
    host = session(card)
    host.send(perso_cmd(applet))
    assert host.send(apdu("80E20800", h("010200")))[1] == 0x9000
    assert host.send(apdu("80E20802", h("010200")))[1] == 0x6A86  # block 2 before block 1
    host.send(perso_cmd(applet))
    assert host.send(apdu("80E20800", h("010200")))[1] == 0x9000
    assert host.send(apdu("80E28801", h("010200")))[1] == 0x9000
    card.transmit(select_cmd(applet))
    assert card.transmit(h("8010000000"))[:-2] != rsp[:-2]


def test_install_params_reach_the_applet() -> None:
    from typing import ClassVar

    from cardsim.applets import BEHAVIOURS, register
    from cardsim.applets.base import Applet, Response

    @register
    class Echo(Applet):
        package_aid: ClassVar[bytes] = PKG2

        def install(self, params: bytes) -> None:
            self.state["params"] = params.hex()

        def process(self, apdu):  # type: ignore[no-untyped-def]
            return Response(bytes.fromhex(self.state["params"]))

    try:
        card = VirtualCard.create()
        host = session(card)
        load(host, PKG2, [APPLET2])
        assert host.send(install_cmd(PKG2, APPLET2, APPLET2, params=h("C903010203")))[1] == 0x9000
        card.transmit(select_cmd(APPLET2))
        assert card.transmit(h("8000000000")) == h("010203 9000".replace(" ", ""))
    finally:
        BEHAVIOURS.pop(PKG2, None)


def test_extradition(card: VirtualCard) -> None:
    host = session(card)
    host.send(install_cmd(SD_PKG, SD_MOD, SSD, privileges=h("80")))
    load(host, PKG, [APPLET])
    host.send(install_cmd(PKG, APPLET, APPLET))
    data = bytes([len(SSD)]) + SSD + b"\x00" + bytes([len(APPLET)]) + APPLET + b"\x00\x00\x00"
    assert host.send(apdu("80E61000", data)) == (b"\x00", 0x9000)
    assert next(e for e in status(host, 0x40) if e[0x4F][0] == APPLET)[0xCC] == [SSD]


def test_delete_key_set(card: VirtualCard) -> None:
    host = session(card)
    new = h("0F0E0D0C0B0A09080706050403020100")
    assert host.send(apdu("80D80081", b"\x40" + host.put_key_block(new) * 3, le=True))[1] == 0x9000
    assert host.send(apdu("80E40000", h("D20141")))[1] == 0x6A88
    assert host.send(apdu("80E40000", h("D00101")))[1] == 0x6A80
    assert host.send(apdu("80E40000", h("D20140"))) == (b"\x00", 0x9000)
    assert h("C0040140") not in host.send(h("80CA00E000"))[0]
    assert host.send(apdu("80E40000", h("D20130")))[1] == 0x6985  # the last key set stays


def test_get_data_counter_and_kdd(card: VirtualCard) -> None:
    card.transmit(select_cmd(ISD))
    assert card.transmit(h("80CA00CF00")) == h("CF0A 0000 0102030405060708 9000".replace(" ", ""))
    assert card.transmit(h("80CA00C100")) == h("C103000001 9000".replace(" ", ""))
    session(card)
    assert card.transmit(h("80CA00C100")) == h("C103000002 9000".replace(" ", ""))
