"""SCP02 host side against published vectors (gp-apdu.md 2.7)."""

from __future__ import annotations

import pytest

from backend_stub.compiler.channel import SecureChannelError, channel_from_dict, open_channel
from backend_stub.compiler.crypto import (
    des3_cbc_decrypt,
    des3_ecb_decrypt,
    des3_ecb_encrypt,
    retail_mac,
)
from backend_stub.compiler.keys import CardKeys, kcv_des3
from backend_stub.compiler.scp02 import (
    CONST_CMAC,
    CONST_DEK,
    CONST_ENC,
    CONST_RMAC,
    Scp02Channel,
    derive,
)

h = bytes.fromhex
DEFAULT = h("404142434445464748494A4B4C4D4E4F")

# pySim tests/unittests/test_globalplatform.py SCP02_Test / SCP02_Auth_Test (gp-apdu.md 2.7)
PYSIM_KEYS = CardKeys(h("100102030405060708090a0b0c0d0e0f"), h("101102030405060708090a0b0c0d0e0f"),
                      h("102102030405060708090a0b0c0d0e0f"), kvn=0x20)
PYSIM_HOST = h("40A62C37FA6304F8")
PYSIM_IU = h("00000000000000000000700200016B4524ABEE7CF32EA3838BC148F3")


def _pysim() -> Scp02Channel:
    ch = open_channel(PYSIM_KEYS, PYSIM_HOST, PYSIM_IU, 0x01)
    assert isinstance(ch, Scp02Channel)
    return ch


def test_gppro_session_keys_and_kcvs() -> None:
    # GPPro TestPlaintextKeys (SCP02, seq 0000), keys computed and KCVs asserted: gp-apdu.md 2.7
    seq = h("0000")
    s_enc = derive(DEFAULT, CONST_ENC, seq)
    s_mac = derive(DEFAULT, CONST_CMAC, seq)
    s_rmac = derive(DEFAULT, CONST_RMAC, seq)
    s_dek = derive(DEFAULT, CONST_DEK, seq)
    assert s_enc == h("010B0371D78377B801F2D62AFC671D95")
    assert kcv_des3(s_enc) == h("F2DCDD")
    assert s_mac == h("D1C28C601652A4770D67AD82D2D2E1C4")
    assert kcv_des3(s_mac) == h("5FCC69")
    assert s_rmac == h("FFAEC7EC7FAD69F9FBFF093BF2F79C45")
    assert kcv_des3(s_rmac) == h("9F749A")
    assert s_dek == h("E11987EE331B417A5D67D760692F89D4")
    assert kcv_des3(s_dek) == h("85272E")


def test_pysim_external_authenticate() -> None:
    # pySim SCP02_Auth_Test.test_mutual_auth_success (gp-apdu.md 2.7)
    assert _pysim().external_authenticate() == h("8482010010BA6961667737C5BCEBECE14C7D6A4376")


def test_pysim_mac_cases_with_icv_encryption() -> None:
    # pySim SCP02_Test.test_mac_command: case 1 quoted in gp-apdu.md 2.7, cases 2-4 same file;
    # each command's ICV is the previous C-MAC encrypted with single DES.
    ch = _pysim()
    ch.external_authenticate()
    assert ch.wrap(h("80F22002")) == h("84F220020814DB34FA4341DCA8")
    assert ch.wrap(h("80ca006600")) == h("84CA00660855ED7C5FF069512B00")
    assert ch.wrap(h("80F220020a4f0212345c054f9f70c5")) == \
        h("84F22002124F0212345C054F9F70C58FC1B380C4228AF8")
    assert ch.wrap(h("80f28002024f0000")) == h("84F280020A4F003B95F09317DE6A4E00")


def test_pysim_wrong_cryptogram() -> None:
    # pySim SCP02_Auth_Test.test_mutual_auth_fail_card_cryptogram: last byte changed to FF
    bad = PYSIM_IU[:-1] + b"\xff"
    with pytest.raises(SecureChannelError, match="card cryptogram mismatch"):
        open_channel(PYSIM_KEYS, PYSIM_HOST, bad, 0x01)


def test_cdec_encrypts_after_mac() -> None:
    # GP 2.2.1 E.4.4: the C-MAC covers the modified header (Lc = clear length + 8) and the
    # *clear* data; then the data is 3DES-CBC(S-ENC, IV 0) of the 80-padded clear data.
    enc = open_channel(PYSIM_KEYS, PYSIM_HOST, PYSIM_IU, 0x03)
    assert isinstance(enc, Scp02Channel)
    ea = enc.external_authenticate()
    plain = h("80F220020a4f0212345c054f9f70c5")
    wrapped = enc.wrap(plain)
    assert wrapped[:5] == h("84F2200218")
    icv = des3_ecb_encrypt(enc.s_mac[:8], ea[-8:])
    assert wrapped[-8:] == retail_mac(enc.s_mac, h("84F2200212") + plain[5:], icv)
    assert des3_cbc_decrypt(enc.s_enc, bytes(8), wrapped[5:21]) == plain[5:] + h("800000000000")


def test_level_33_refused() -> None:
    with pytest.raises(SecureChannelError, match="level"):
        open_channel(PYSIM_KEYS, PYSIM_HOST, PYSIM_IU, 0x33)


def test_put_key_component_uses_session_dek() -> None:
    # SCP02 PUT KEY: key encrypted 3DES-ECB with the session DEK (gp-apdu.md 1.3), KCV 3 bytes;
    # KCV of 404142..4F is 8BAF47 (gp-apdu.md 1.1).
    ch = _pysim()
    comp = ch.key_component(DEFAULT)
    assert comp[:2] == h("8010") and comp[18:] == h("038BAF47")
    assert des3_ecb_decrypt(ch.s_dek, comp[2:18]) == DEFAULT


def test_state_round_trip() -> None:
    # pySim SCP02_Test: a restored channel continues the ICV chain.
    ch = _pysim()
    ch.external_authenticate()
    restored = channel_from_dict(ch.to_dict())
    assert restored.wrap(h("80F22002")) == h("84F220020814DB34FA4341DCA8")
