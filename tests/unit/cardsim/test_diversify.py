"""Key diversification (gp-apdu.md 1.6) and cards created with per-card keys."""

from __future__ import annotations

import pytest

from cardsim.card import VirtualCard
from cardsim.crypto import kcv_aes, kcv_des
from cardsim.diversify import emv, kdf3, static_keys
from cardsim.profile import CardProfile, ProfileError
from tests.unit.cardsim.host import SCP02Host, SCP03Host, h

MASTER = h("404142434445464748494A4B4C4D4E4F")
KDD = h("00010203040506070809")


def test_kdf3_vectors() -> None:
    # GPPro TestPlaintextKeys KDF3 (KCVs E79C05/D1BD77/3FDE8C), keys via gp-apdu.md 1.6
    enc, mac, dek = static_keys(MASTER, KDD, "kdf3")
    assert enc == h("808BC985A1069AD2A9AC94E0FE7B8843") and kcv_aes(enc) == h("E79C05")
    assert mac == h("65942E0BF4F3F32AEFACBA5671456275") and kcv_aes(mac) == h("D1BD77")
    assert dek == h("6A74F6F6040CCA10D8A3FDC7914FD7CC") and kcv_aes(dek) == h("3FDE8C")


def test_kdf3_external_aes256_vector() -> None:
    # external KDF3 vector quoted in gp-apdu.md 1.6 (AES-256 master)
    master = h("8C72C72CF908411653018807950D82FBAD947562F0828A0B10B8B9606ABF3BCD")
    assert kdf3(master, h("D9B1DE5D0362DEDCE4FB"), 1) == h(
        "9AAC5D0B3601F89438A0D9D0B6B256CFB47E6462DFA5228D3420C4AC7C224781"
    )


def test_emv_vectors() -> None:
    # GPPro TestPlaintextKeys EMV (KCVs C33013/6F4CA6/BB8179), keys via gp-apdu.md 1.6
    assert emv(MASTER, KDD, 1) == h("0EF59FCBF8019B62E62AF6EA20B8BF25")
    assert kcv_des(emv(MASTER, KDD, 2)) == h("6F4CA6")
    assert emv(MASTER, KDD, 3) == h("64021E43C0C7D264A1C7C6D01E1C8761")


def test_kdf3_card_opens_with_derived_keys_only() -> None:
    cin = h("AABBCCDDEEFF0011")
    card = VirtualCard.create(profile=CardProfile(cin=cin, diversify="kdf3"))
    card.transmit(h("00A4040000"))
    kdd = bytes(2) + cin  # documented: the CIN right-aligned in 10 bytes
    enc, mac, dek = static_keys(MASTER, kdd, "kdf3")
    iu = SCP03Host(card, enc, mac, dek).open()
    assert iu[:10] == kdd
    card.transmit(h("00A4040000"))
    with pytest.raises(AssertionError, match="card cryptogram"):
        SCP03Host(card, MASTER, MASTER, MASTER).open()


def test_emv_card_opens_with_derived_keys() -> None:
    cin = h("0102030405060708")
    card = VirtualCard.create(profile=CardProfile(cin=cin, scp=2, diversify="emv"))
    card.transmit(h("00A4040000"))
    enc, mac, dek = static_keys(MASTER, bytes(2) + cin, "emv")
    SCP02Host(card, enc, mac, dek).open()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"scp": 4}, "scp"),
        ({"scp_i": 0x15}, "scp_i"),
        ({"diversify": "emv"}, "diversify"),
        ({"cin": b"\x01"}, "cin"),
        ({"master_key": b"\x01" * 15}, "master_key"),
        ({"scp": 2, "scp_i": 0x70}, "scp_i"),
        ({"kdd": b"\x00"}, "kdd"),
    ],
)
def test_profile_errors_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ProfileError, match=field):
        CardProfile(**kwargs)  # type: ignore[arg-type]
