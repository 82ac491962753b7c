"""MIFARE DESFire EV1 emulation: vectors of gp-apdu.md section 3 and full host sessions."""

from __future__ import annotations

from pathlib import Path

import pytest

from cardsim.card import VirtualCard
from cardsim.desfire.crypto import Suite, crc16, crc32, session_key
from tests.unit.cardsim.desfire_host import DesfireHost
from tests.unit.cardsim.host import h, select_cmd

AES_ZERO = bytes(16)
DES_ZERO = bytes(16)
APP = h("010203")


# --- vectors --------------------------------------------------------------------------------


def test_crc32_vector() -> None:
    # proxmark3 client/src/mifare/desfiretest.c TestCRC32, via gp-apdu.md 3.4 (c)
    assert crc32(h("04440F32763180") + b"\x00") == h("99CE1AD4")


def test_crc16_iso14443a_check_value() -> None:
    # ISO/IEC 14443-3 CRC_A of "123456789" is BF05 (transmitted LSB first: 05 BF)
    assert crc16(b"123456789") == h("05BF")


def test_cmac_chaining_vector() -> None:
    # Elmue "DESFire EV1 Communication Examples" GetKeyVersion, via gp-apdu.md 3.4 (a)
    suite = Suite("aes", h("90F7A20191036845EC63DECD544B9931"))
    iv = suite.cmac(bytes(16), h("6400"))
    assert iv == h("257FC538618A944A3A20967B6F314348")
    assert suite.cmac(iv, h("1000")) == h("8A8FA36F55CD210DD8054658AC70D99A")


def test_session_key_layouts() -> None:
    # gp-apdu.md 3.3 (libfreefare mifare_desfire_session_key_new)
    a, b = bytes(range(16)), bytes(range(16, 32))
    assert session_key("aes", AES_ZERO, a, b).key == a[0:4] + b[0:4] + a[12:16] + b[12:16]
    assert session_key("3k3des", bytes(24), a, b).key == (
        a[0:4] + b[0:4] + a[6:10] + b[6:10] + a[12:16] + b[12:16]
    )
    assert session_key("des", h("00112233445566778899AABBCCDDEEFF"), a[:8], b[:8]).key == (
        a[0:4] + b[0:4] + a[4:8] + b[4:8]
    )
    assert session_key("des", DES_ZERO, a[:8], b[:8]).key == (a[0:4] + b[0:4]) * 2


# --- sessions -------------------------------------------------------------------------------


def fresh() -> tuple[VirtualCard, DesfireHost]:
    card = VirtualCard.create()
    return card, DesfireHost(card)


def make_app(host: DesfireHost, aid: bytes = APP, settings: int = 0x0F, keys: int = 0x82) -> None:
    assert host.cmd(0x5A, bytes(3))[1] == 0
    assert host.cmd(0xCA, aid + bytes([settings, keys]))[1] == 0


def test_get_version_frames() -> None:
    card, host = fresh()
    first, status = host.raw(0x60)
    assert status == 0xAF and first[0] == 0x04 and len(first) == 7
    second, status = host.raw(0xAF)
    assert status == 0xAF and len(second) == 7
    third, status = host.raw(0xAF)
    assert status == 0x00 and len(third) == 14
    assert third[:7] == bytes.fromhex(card.state.desfire["uid"])


def test_picc_legacy_auth_with_factory_key_and_app_listing() -> None:
    _card, host = fresh()
    assert host.authenticate(0, "des", DES_ZERO, 0x0A) == 0
    make_app(host)
    assert host.authenticate(0, "des", DES_ZERO, 0x0A) == 0
    assert host.cmd(0x6A) == (APP, 0)
    assert host.cmd(0x45) == (h("0F01"), 0)
    assert host.cmd(0xCA, APP + h("0F82"))[1] == 0xDE  # duplicate
    assert host.cmd(0x5A, h("999999"))[1] == 0xA0  # not found


def test_wrong_key_is_ae() -> None:
    _card, host = fresh()
    assert host.authenticate(0, "des", h("11" * 16), 0x0A) == 0xAE
    assert host.authenticate(0, "aes", AES_ZERO, 0xAA) == 0xAE  # PICC key is DES, not AES
    assert host.authenticate(5, "des", DES_ZERO, 0x0A) == 0x40


def test_aes_app_files_in_three_modes() -> None:
    card, host = fresh()
    make_app(host)
    assert host.cmd(0x5A, APP)[1] == 0
    assert host.authenticate(0, "aes", AES_ZERO, 0xAA) == 0
    # key 0 for everything; file 1 plain, 2 MACed, 3 enciphered
    for no, comm in ((1, 0), (2, 1), (3, 3)):
        assert host.cmd(0xCD, bytes([no, comm]) + h("0000") + (100).to_bytes(3, "little"))[1] == 0
    assert host.cmd(0x6F) == (h("010203"), 0)
    payload = bytes(range(100))
    for no, comm in ((1, 0), (2, 1), (3, 3)):
        assert host.write(no, 0, payload, comm) == 0, comm
        assert host.read(no, 0, 100, comm) == (payload, 0), comm
        assert host.read(no, 10, 5, comm) == (payload[10:15], 0), comm
    assert host.read(1, 90, 0, 0) == (payload[90:], 0)  # length 0: up to the end of the file
    assert host.read(1, 90, 20, 0)[1] == 0xBE
    assert host.authenticate(0, "aes", AES_ZERO, 0xAA) == 0
    assert host.cmd(0x6E)[1] == 0
    stored = card.state.desfire["apps"]["010203"]["files"]["3"]["data"]
    assert bytes.fromhex(stored) == payload


def test_free_access_is_plain_without_auth() -> None:
    _card, host = fresh()
    make_app(host)
    host.cmd(0x5A, APP)
    # read E, write E, rw E, change 0: anyone may read and write, in plain
    assert host.cmd(0xCD, h("01 03 0EEE".replace(" ", "")) + (8).to_bytes(3, "little"))[1] == 0
    assert host.write(1, 0, b"ABCDEFGH", 0) == 0
    assert host.read(1, 0, 8, 0) == (b"ABCDEFGH", 0)
    # file 2 needs key 1 for everything
    assert host.cmd(0xCD, h("02 00 1111".replace(" ", "")) + (8).to_bytes(3, "little"))[1] == 0
    assert host.read(2, 0, 8, 0)[1] == 0xAE
    assert host.authenticate(0, "aes", AES_ZERO, 0xAA) == 0
    assert host.read(2, 0, 8, 0)[1] == 0x9D


def test_wrong_mac_is_1e_and_nothing_written(card_path: Path) -> None:
    card = VirtualCard.create(card_path)
    host = DesfireHost(card)
    make_app(host)
    host.cmd(0x5A, APP)
    assert host.authenticate(0, "aes", AES_ZERO, 0xAA) == 0
    assert host.cmd(0xCD, h("0101") + h("0000") + (16).to_bytes(3, "little"))[1] == 0
    before = card_path.read_bytes()
    hdr = h("01 000000 040000".replace(" ", ""))
    rsp = card.transmit(h("903D0000") + bytes([7 + 4 + 8]) + hdr + b"ABCD" + bytes(8) + b"\x00")
    assert rsp == h("911E")
    assert card_path.read_bytes() == before
    # the session is gone: the answer comes without a CMAC
    assert host.raw(0x6F) == (h("01"), 0)


def test_multi_frame_write_in_small_frames() -> None:
    _card, host = fresh()
    make_app(host)
    host.cmd(0x5A, APP)
    assert host.authenticate(0, "aes", AES_ZERO, 0xAA) == 0
    assert host.cmd(0xCD, h("0103") + h("0000") + (200).to_bytes(3, "little"))[1] == 0
    data = bytes(i % 251 for i in range(200))
    assert host.write(1, 0, data, 3, frame=20) == 0
    assert host.read(1, 0, 200, 3) == (data, 0)


def test_iso_auth_3k3des_app() -> None:
    _card, host = fresh()
    make_app(host, keys=0x42)
    host.cmd(0x5A, APP)
    assert host.authenticate(0, "des", bytes(24), 0x1A) == 0
    assert host.cmd(0x45) == (h("0F42"), 0)
    assert host.cmd(0xCD, h("0101") + h("0000") + (32).to_bytes(3, "little"))[1] == 0
    assert host.write(1, 0, b"x" * 32, 1) == 0
    assert host.read(1, 0, 32, 1) == (b"x" * 32, 0)


def test_iso_auth_2k3des_and_legacy_modes() -> None:
    _card, host = fresh()
    make_app(host, keys=0x02)
    host.cmd(0x5A, APP)
    assert host.authenticate(0, "des", DES_ZERO, 0x1A) == 0
    for no, comm in ((1, 1), (2, 3)):
        assert host.cmd(0xCD, bytes([no, comm]) + h("0000") + (20).to_bytes(3, "little"))[1] == 0
        assert host.write(no, 0, b"y" * 20, comm) == 0
        assert host.read(no, 0, 20, comm) == (b"y" * 20, 0)
    # legacy session on the same app: 4-byte MACs and CRC16
    assert host.authenticate(0, "des", DES_ZERO, 0x0A) == 0
    for no, comm in ((1, 1), (2, 3)):
        assert host.write(no, 0, b"z" * 20, comm) == 0, comm
        assert host.read(no, 0, 20, comm) == (b"z" * 20, 0), comm


def test_change_keys_aes() -> None:
    _card, host = fresh()
    make_app(host, keys=0x83)
    host.cmd(0x5A, APP)
    assert host.authenticate(0, "aes", AES_ZERO, 0xAA) == 0
    k1 = h("00112233445566778899AABBCCDDEEFF")
    assert host.change_key(1, k1, AES_ZERO, 7, same=False) == 0
    assert host.cmd(0x64, h("01")) == (h("07"), 0)
    k0 = h("FFEEDDCCBBAA99887766554433221100")
    assert host.change_key(0, k0, None, 1, same=True) == 0
    assert host.authenticate(0, "aes", AES_ZERO, 0xAA) == 0xAE
    assert host.authenticate(0, "aes", k0, 0xAA) == 0
    assert host.authenticate(1, "aes", k1, 0xAA) == 0


def test_change_key_bad_crc_is_1e() -> None:
    card, host = fresh()
    make_app(host)
    host.cmd(0x5A, APP)
    assert host.authenticate(0, "aes", AES_ZERO, 0xAA) == 0
    rsp = card.transmit(h("90C40000") + bytes([1 + 32]) + h("01") + bytes(32) + b"\x00")
    assert rsp == h("911E")


def test_picc_master_key_to_aes() -> None:
    _card, host = fresh()
    assert host.authenticate(0, "des", DES_ZERO, 0x0A) == 0
    new = h("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF")
    assert host.change_key(0x80, new, None, 0, same=True) == 0
    assert host.authenticate(0, "des", DES_ZERO, 0x0A) == 0xAE
    assert host.authenticate(0, "aes", new, 0xAA) == 0
    assert host.cmd(0x45) == (h("0F81"), 0)


def test_28_applications_then_count_error() -> None:
    _card, host = fresh()
    for i in range(28):
        assert host.cmd(0xCA, bytes([i + 1, 0, 0]) + h("0F01"))[1] == 0, i
    assert host.cmd(0xCA, h("FF0000 0F01".replace(" ", "")))[1] == 0xCE
    ids, status = host.frames(0x6A)
    assert status == 0 and len(ids) == 28 * 3


def test_delete_application_needs_master_key(card_path: Path) -> None:
    card = VirtualCard.create(card_path)
    host = DesfireHost(card)
    make_app(host)
    assert host.cmd(0xDA, APP)[1] == 0xAE
    assert host.authenticate(0, "des", DES_ZERO, 0x0A) == 0
    assert host.cmd(0xDA, APP)[1] == 0
    assert host.cmd(0xDA, APP)[1] == 0xA0
    assert VirtualCard.load(card_path).state.desfire["apps"] == {}


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ("0102030F00", 0x9E),
        ("0102030F0F", 0x9E),
        ("0102030FC1", 0x9E),
        ("0102", 0x7E),
        ("0000000F01", 0x9E),
    ],
)
def test_create_application_parameter_errors(payload: str, status: int) -> None:
    _card, host = fresh()
    assert host.cmd(0xCA, h(payload))[1] == status


def test_reachable_with_an_applet_selected_and_wrapping_errors() -> None:
    card, host = fresh()
    assert card.transmit(select_cmd(h("A00000061702000900010101")))[-2:] == h("9000")
    assert host.cmd(0x6E)[1] == 0
    assert card.transmit(h("906E010000")) == h("6A86")
    assert card.transmit(h("90AF000000")) == h("911C")  # nothing to continue
    assert card.transmit(h("9077000000")) == h("911C")  # unknown native command


def test_out_of_eeprom_is_0e() -> None:
    _card, host = fresh()
    make_app(host)
    host.cmd(0x5A, APP)
    too_big = (8000).to_bytes(3, "little")
    assert host.cmd(0xCD, h("0100EEEE") + too_big)[1] == 0x0E
    assert host.cmd(0xCD, h("0100EEEE") + (1000).to_bytes(3, "little"))[1] == 0
    assert host.cmd(0xCD, h("0100EEEE") + (10).to_bytes(3, "little"))[1] == 0xDE
    assert host.cmd(0xCD, h("2000EEEE") + (10).to_bytes(3, "little"))[1] == 0x9E
