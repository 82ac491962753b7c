"""SCP02 on the card side, against gp-apdu.md 2.7."""

from __future__ import annotations

from cardsim import scp02
from cardsim.card import VirtualCard
from cardsim.profile import CardProfile
from tests.unit.cardsim.host import SCP02Host, h

KIC = h("100102030405060708090a0b0c0d0e0f")
KID = h("101102030405060708090a0b0c0d0e0f")
KIK = h("102102030405060708090a0b0c0d0e0f")
DEFAULT = h("404142434445464748494A4B4C4D4E4F")


def test_gppro_session_keys() -> None:
    # GPPro TestPlaintextKeys SCP02 session keys (static 404142..4F, seq 0000), via gp-apdu.md 2.7
    keys = scp02.session_keys(DEFAULT, DEFAULT, DEFAULT, 0)
    assert keys.enc == h("010B0371D78377B801F2D62AFC671D95")
    assert keys.mac == h("D1C28C601652A4770D67AD82D2D2E1C4")
    assert keys.rmac == h("FFAEC7EC7FAD69F9FBFF093BF2F79C45")
    assert keys.dek == h("E11987EE331B417A5D67D760692F89D4")


def test_pysim_scp02_trace() -> None:
    # pySim test_globalplatform.py SCP02_Test, via gp-apdu.md 2.7. The published answer carries
    # KVN byte 70 although the command asked for key version 20; this card answers with the
    # version it used (20). Every other byte, including the cryptogram, must match.
    card = VirtualCard.create(
        profile=CardProfile(scp=2, scp_i=0x55, kvn=0x20, kdd=bytes(10), keys=(KIC, KID, KIK))
    )
    card.set_sequence_counter(1)
    card.fix_card_challenge(h("6B4524ABEE7C"))
    assert card.transmit(h("00A4040000"))[-2:] == h("9000")
    rsp = card.transmit(h("805020000840A62C37FA6304F800"))
    published = h("00000000000000000000700200016B4524ABEE7CF32EA3838BC148F3")
    assert rsp[-2:] == h("9000") and len(rsp) == 30
    assert rsp[10] == 0x20
    assert rsp[:10] + rsp[11:28] == published[:10] + published[11:]
    assert card.transmit(h("8482010010BA6961667737C5BCEBECE14C7D6A4376")) == h("9000")
    # wrapped 80F22002 (C-MAC with the encrypted ICV); no search criteria means "all"
    rsp = card.transmit(h("84F220020814DB34FA4341DCA8"))
    assert rsp[-2:] == h("9000") and rsp.startswith(h("E3"))


def test_sequence_counter_advances_and_persists(card_path) -> None:  # type: ignore[no-untyped-def]
    card = VirtualCard.create(card_path, profile=CardProfile(scp=2))
    for expected in (1, 2, 3):
        card.transmit(h("00A4040000"))
        iu = SCP02Host(card, DEFAULT, DEFAULT, DEFAULT).open()
        assert iu[11] == 0x02 and int.from_bytes(iu[12:14], "big") == expected
    assert VirtualCard.load(card_path).state.registry.isd.domain.sequence == 4  # type: ignore[union-attr]


def test_i15_gives_random_challenge_and_cdec_works() -> None:
    card = VirtualCard.create(profile=CardProfile(scp=2, scp_i=0x15))
    card.transmit(h("00A4040000"))
    host = SCP02Host(card, DEFAULT, DEFAULT, DEFAULT, level=0x03)
    host.open()
    assert host.send(h("80CA006600"))[1] == 0x9000
    # C-DEC: STORE DATA to the ISD with a BER-TLV object, read back with GET DATA
    _data, sw = host.send(h("80E29000 05 DF20 02 ABCD".replace(" ", "")))
    assert sw == 0x9000
    assert host.send(h("80CADF2000")) == (h("DF2002ABCD"), 0x9000)


def test_bad_mac_ends_scp02_session() -> None:
    card = VirtualCard.create(profile=CardProfile(scp=2))
    card.transmit(h("00A4040000"))
    host = SCP02Host(card, DEFAULT, DEFAULT, DEFAULT)
    host.open()
    wrapped = bytearray(host.wrap(h("80F28002024F0000")))
    wrapped[-2] ^= 0xFF
    assert card.transmit(bytes(wrapped)) == h("6982")
    assert card.transmit(host.wrap(h("80F28002024F0000"))) == h("6982")


def test_card_data_names_scp02() -> None:
    card = VirtualCard.create(profile=CardProfile(scp=2, scp_i=0x15))
    card.transmit(h("00A4040000"))
    rsp = card.transmit(h("80CA006600"))
    assert h("06092A864886FC6B040215") in rsp


def test_put_key_scp02_with_session_dek() -> None:
    card = VirtualCard.create(profile=CardProfile(scp=2))
    card.transmit(h("00A4040000"))
    host = SCP02Host(card, DEFAULT, DEFAULT, DEFAULT)
    host.open()
    new = h("0123456789ABCDEFFEDCBA9876543210")
    block = host.put_key_block(new)
    data, sw = host.send(
        h("80D80081") + bytes([1 + 3 * len(block)]) + b"\x21" + block * 3 + b"\x00"
    )
    assert sw == 0x9000 and data == b"\x21" + block[-3:] * 3
    card.transmit(h("00A4040000"))
    SCP02Host(card, new, new, new, kvn=0x21).open()
