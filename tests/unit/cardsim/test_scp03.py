"""SCP03 on the card side, checked against the published vectors of gp-apdu.md 2.6."""

from __future__ import annotations

import pytest

from cardsim import scp03
from cardsim.apdu import parse_apdu
from cardsim.card import VirtualCard
from cardsim.profile import CardProfile
from tests.unit.cardsim.host import SCP03Host, h

PYSIM_ENC = h("000102030405060708090a0b0c0d0e0f")
PYSIM_MAC = h("101112131415161718191a1b1c1d1e1f")
PYSIM_DEK = h("202122232425262728292a2b2c2d2e2f")
EID_OBJECT = h("5A10 89882119900000000000000000000005")


def pysim_card() -> VirtualCard:
    """A card holding pySim's AES-128 key set (KVN 30, i=70, KDD all zero) and the EID object."""
    card = VirtualCard.create(
        profile=CardProfile(kdd=bytes(10), keys=(PYSIM_ENC, PYSIM_MAC, PYSIM_DEK))
    )
    host = SCP03Host(card, PYSIM_ENC, PYSIM_MAC, PYSIM_DEK, level=0x03)
    host.open()
    # STORE DATA, last block, BER-TLV: the data object the pySim trace reads back.
    assert host.send(h("80E29000") + bytes([len(EID_OBJECT)]) + EID_OBJECT) == (b"", 0x9000)
    card.power_on()
    return card


def replay_iu(card: VirtualCard, iu_cmd: str, iu_rsp: str) -> None:
    rsp = h(iu_rsp)
    card.fix_card_challenge(rsp[13:21])
    card.set_sequence_counter(int.from_bytes(rsp[29:32], "big"))
    assert card.transmit(h("00A4040000"))[-2:] == h("9000")
    assert card.transmit(h(iu_cmd)) == rsp + h("9000")


# --- KDF and session keys -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("enc", "mac", "host", "card", "s_enc", "s_mac", "s_rmac"),
    [
        # pySim tests/unittests/test_globalplatform.py SCP03_Test_AES128_11, via gp-apdu.md 2.6A
        (
            PYSIM_ENC,
            PYSIM_MAC,
            "b13e5f938fc108c4",
            "3eb51047495b249f",
            "c4e87149f2114da66bb015a567d751f9",
            "8b2635556e987a6b84f43d9ffc197d3f",
            "3f6b2ce3b3abd9a99bd4453afa54cc7b",
        ),
        # kaoh/globalplatform scp03Test.c mutual_auth, via gp-apdu.md 2.6B
        (
            h("F995D0A069335C7DF42E590317FFEA6D"),
            h("58563362EC5A4541ABCD32B34B1EAE7D"),
            "9BD6BF878FB8E991",
            "3C80C2CC87EB3A35",
            "D83EE38C9954C8078987A5E9EE6AB13C",
            "6FF37716E0413065E8DFD08BF1E9EC5E",
            "0254C786E57ACA8982670C1C1A05FF12",
        ),
        # openjavacard SCP03DerivationTest testDeriveSCP03_000010, via gp-apdu.md 2.6C
        (
            h("404142434445464748494A4B4C4D4E4F"),
            h("404142434445464748494A4B4C4D4E4F"),
            "A7F76C713F0A713D",
            "31900058C1C451A2",
            "258a78866f41482bef482dc8ca976ccd",
            "053db6abc7fdf3b63a0d965ee16b0255",
            "eda0b4f2ec0345bfc50f3bc59cfef936",
        ),
    ],
)
def test_session_keys(
    enc: bytes, mac: bytes, host: str, card: str, s_enc: str, s_mac: str, s_rmac: str
) -> None:
    keys = scp03.session_keys(enc, mac, h(host) + h(card))
    assert (keys.enc, keys.mac, keys.rmac) == (h(s_enc), h(s_mac), h(s_rmac))


def test_gppro_fixed_context_session_keys() -> None:
    # GPPro TestPlaintextKeys testSessionKeys_SCP03 (context 00..09), via gp-apdu.md 2.6D
    key = h("404142434445464748494A4B4C4D4E4F")
    keys = scp03.session_keys(key, key, h("00010203040506070809"))
    assert keys.enc == h("6C858E63BABC4028EDC67DC9FDBCB04A")
    assert keys.mac == h("036C5E747D9500229B7C99D225506DDD")
    assert keys.rmac == h("AD97DA99A96DB51B765277D6E988B1D9")


def test_kaoh_pseudo_random_challenge() -> None:
    # kaoh/globalplatform scp03Test.c: KDF(ENC, 02, 00001E || ISD AID), via gp-apdu.md 2.6B
    enc = h("F995D0A069335C7DF42E590317FFEA6D")
    assert scp03.pseudo_random_challenge(enc, 0x1E, h("A000000151000000")) == h("3C80C2CC87EB3A35")


# --- the card reproduces the published traces -----------------------------------------------


def test_kaoh_card_generates_the_pseudo_random_challenge() -> None:
    # kaoh/globalplatform scp03Test.c mutual_auth (i=70, counter 00001E), via gp-apdu.md 2.6B
    keys = (
        h("F995D0A069335C7DF42E590317FFEA6D"),
        h("58563362EC5A4541ABCD32B34B1EAE7D"),
        h("0A02A6D687406DCFA09DC70B3EDB7E38"),
    )
    card = VirtualCard.create(profile=CardProfile(kdd=bytes(10), keys=keys))
    card.set_sequence_counter(0x1E)
    assert card.transmit(h("00A4040000"))[-2:] == h("9000")
    rsp = card.transmit(h("8050300008 9BD6BF878FB8E991 00"))
    assert rsp == h("00000000000000000000 300370 3C80C2CC87EB3A35 E4EDBA35E629C336 00001E 9000")
    assert card.transmit(h("848203001023EBFEDC579D22CDCDB6A25A5FF7891F")) == h("9000")
    # the counter advanced and was persisted with the card state
    assert card.state.registry.isd.domain is not None
    assert card.state.registry.isd.domain.sequence == 0x1F


def test_kaoh_delete_with_c_decryption() -> None:
    # kaoh/globalplatform scp03Test.c delete_application, counter 1, via gp-apdu.md 2.6B
    enc = h("F995D0A069335C7DF42E590317FFEA6D")
    mac = h("58563362EC5A4541ABCD32B34B1EAE7D")
    host, card = h("B2BDE1A2DC66BD56"), h("C40932A6FEFEAEB2")
    session = scp03.SCP03Session(scp03.session_keys(enc, mac, host + card), host, card, 0x70, b"")
    session.external_authenticate(parse_apdu(h("848203001059D54D932423D29F6313C970875F8C2F")))
    plain = session.unwrap(
        parse_apdu(h("84E40080 18 29F06AEC3180B3EFE91FF662310B945DE0D5FE66AD67A5B6"))
    )
    assert plain.to_bytes() == h("80E40080 0A 4F08A00100015141434C")


def test_pysim_level_11_rmac() -> None:
    # pySim test_globalplatform.py SCP03_Test_AES128_11, via gp-apdu.md 2.6A
    card = pysim_card()
    replay_iu(
        card,
        "8050300008b13e5f938fc108c400",
        "000000000000000000003003703eb51047495b249f66c484c1d2ef1948000002",
    )
    assert card.transmit(h("84821100107d5f5826a993ebc89eea24957fa0b3ce")) == h("9000")
    rsp = card.transmit(h("84e291000ebf3e035c015a558d036518a2829700"))
    assert rsp == h("bf3e125a1089882119900000000000000000000005 971be68992dbbdfa 9000")


def test_pysim_level_03_cdecryption() -> None:
    # pySim test_globalplatform.py SCP03_Test_AES128_03, via gp-apdu.md 2.6A
    card = pysim_card()
    replay_iu(
        card,
        "80503000088e1552d0513c60f300",
        "0000000000000000000030037030760cd2c47c1dd395065fe5ead8a9d7000001",
    )
    assert card.transmit(h("8482030010fd4721a14d9b07003c451d2f8ae6bb21")) == h("9000")
    rsp = card.transmit(h("84e2910018ca9c00f6713d79bc8baa642bdff51c3f6a4082d3bd9ad26c00"))
    assert rsp == h("bf3e125a1089882119900000000000000000000005 9000")


def test_pysim_level_33_encrypted_response_byte_for_byte() -> None:
    # pySim test_globalplatform.py SCP03_Test_AES128_33, via gp-apdu.md 2.6A
    card = pysim_card()
    replay_iu(
        card,
        "8050300008fdf38259a1e0de4400",
        "000000000000000000003003703b1aca81e821f219081cdc01c26b372d000003",
    )
    assert card.transmit(h("84823300108c36f96bcc00724a4e13ad591d7da3f0")) == h("9000")
    rsp = card.transmit(h("84e2910018267a85dfe4a98fca6fb0527e0dfecce4914e40401433c87f00"))
    assert rsp == h(
        "f3ba2b1013aa6224f5e1c138d71805c569e5439b47576260b75fc021b25097cb2e68f8a0144975b9 9000"
    )


def test_pysim_level_11_case1_mac_chains_on_previous_command() -> None:
    # pySim SCP03_Test_AES128_11 case-1 wrap of 80F22002 (sent after the wrapped STORE DATA),
    # via gp-apdu.md 2.6A
    card = pysim_card()
    replay_iu(
        card,
        "8050300008b13e5f938fc108c400",
        "000000000000000000003003703eb51047495b249f66c484c1d2ef1948000002",
    )
    assert card.transmit(h("84821100107d5f5826a993ebc89eea24957fa0b3ce")) == h("9000")
    assert card.transmit(h("84e291000ebf3e035c015a558d036518a2829700"))[-2:] == h("9000")
    rsp = card.transmit(h("84f220020863a63f8959827fb2"))
    assert rsp[-2:] == h("9000") and rsp.startswith(h("E3"))  # load files, with an R-MAC


# --- failures -------------------------------------------------------------------------------


def test_wrong_host_cryptogram_is_6982_and_no_session(card: VirtualCard) -> None:
    card.transmit(h("00A4040000"))
    assert card.transmit(h("8050000008 0102030405060708 00"))[-2:] == h("9000")
    assert card.transmit(h("8482010010") + bytes(16)) == h("6982")
    assert card.transmit(h("80F28002024F0000")) == h("6982")


def test_wrong_cmac_ends_session(card: VirtualCard, card_path) -> None:  # type: ignore[no-untyped-def]
    key = h("404142434445464748494A4B4C4D4E4F")
    host = SCP03Host(card, key, key, key, level=0x01)
    card.transmit(h("00A4040000"))
    host.open()
    before = card_path.read_bytes()
    # INSTALL [for install] of an SSD with a corrupted C-MAC: refused, nothing stored
    cmd = h("80E60C00 20 07A0000001515350 08A000000151535041 08A000000151000001 0180 02C900 00")
    wrapped = bytearray(host.wrap(cmd))
    wrapped[-1] ^= 0x01  # corrupt the C-MAC (last byte, no Le)
    assert card.transmit(bytes(wrapped)) == h("6982")
    assert card_path.read_bytes() == before
    wrapped = bytearray(host.wrap(h("80F28002024F0000")))
    assert card.transmit(bytes(wrapped)) == h("6982")
    # the session is gone: even a correctly chained command is refused now
    assert card.transmit(host.wrap(h("80F28002024F0000"))) == h("6982")


def test_unknown_key_version_is_6a88(card: VirtualCard) -> None:
    card.transmit(h("00A4040000"))
    assert card.transmit(h("8050310008 0102030405060708 00")) == h("6A88")


def test_rmac_refused_without_rmac_support() -> None:
    key = h("404142434445464748494A4B4C4D4E4F")
    card = VirtualCard.create(profile=CardProfile(scp_i=0x00))
    card.transmit(h("00A4040000"))
    host = SCP03Host(card, key, key, key, level=0x11)
    with pytest.raises(AssertionError):
        host.open()


@pytest.mark.parametrize(
    ("level", "i_param"),
    [
        (level, i)
        for level in (0x00, 0x01, 0x03, 0x11, 0x13, 0x33)
        for i in (0x70, 0x00, 0x10, 0x60)
        if not (level & 0x10 and not i & 0x20)
    ],
)
def test_every_level_works_end_to_end(level: int, i_param: int) -> None:
    key = h("404142434445464748494A4B4C4D4E4F")
    card = VirtualCard.create(profile=CardProfile(scp_i=i_param))
    card.transmit(h("00A4040000"))
    host = SCP03Host(card, key, key, key, level=level)
    iu = host.open()
    assert iu[11:13] == bytes([0x03, i_param])
    assert len(iu) == (32 if i_param & 0x10 else 29)
    data, sw = host.send(h("80F28002024F0000"))
    assert sw == 0x9000 and data.startswith(h("E3"))
