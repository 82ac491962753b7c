from __future__ import annotations

from collections.abc import Callable

import pytest
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import cmac
from hypothesis import given
from hypothesis import strategies as st

from cardsim.crypto import (
    PaddingError,
    aes_cmac,
    aes_ecb_encrypt,
    cmac_subkeys,
    kcv_aes,
    kcv_des,
    pad80,
    retail_mac,
    tdes_cmac,
    unpad80,
)
from tests.unit.cardsim.host import cmac_aes, des3, h

NIST_KEY = h("2b7e151628aed2a6abf7158809cf4f3c")


def test_cmac_subkeys_nist() -> None:
    # libfreefare test/test_mifare_desfire_aes.c (NIST SP800-38B), via gp-apdu.md 3.4 vector (b)
    k1, k2 = cmac_subkeys(lambda b: aes_ecb_encrypt(NIST_KEY, b), 16)
    assert k1 == h("fbeed618357133667c85e08f7236a8de")
    assert k2 == h("f7ddac306ae266ccf90bc11ee46d513b")


def test_cmac_empty_message_nist() -> None:
    # libfreefare test_mifare_desfire_aes.c, via gp-apdu.md 3.4 vector (b)
    assert aes_cmac(NIST_KEY, b"") == h("bb1d6929e95937287fa37d129b756746")


@given(st.binary(max_size=70))
def test_aes_cmac_matches_cryptography(data: bytes) -> None:
    assert aes_cmac(NIST_KEY, data) == cmac_aes(NIST_KEY, data)


@given(st.binary(min_size=24, max_size=24), st.binary(max_size=40))
def test_tdes_cmac_matches_cryptography(key: bytes, data: bytes) -> None:
    c = cmac.CMAC(TripleDES(key))
    c.update(data)
    assert tdes_cmac(key, data) == c.finalize()


def test_kcv_of_default_key() -> None:
    # GPPro KCVs of 404142..4F, via gp-apdu.md 1.1: 3DES 8BAF47, AES 504A77
    key = h("404142434445464748494A4B4C4D4E4F")
    assert kcv_des(key) == h("8BAF47")
    assert kcv_aes(key) == h("504A77")


@given(st.binary(max_size=40), st.sampled_from([8, 16]))
def test_pad_roundtrip(data: bytes, block: int) -> None:
    padded = pad80(data, block)
    assert len(padded) % block == 0 and len(padded) > len(data)
    assert unpad80(padded) == data


def test_unpad_rejects_missing_marker() -> None:
    with pytest.raises(PaddingError):
        unpad80(bytes(16))
    with pytest.raises(PaddingError):
        unpad80(h("0102030400000000"))


def test_retail_mac_equals_full_3des_on_one_block() -> None:
    key = h("404142434445464748494A4B4C4D4E4F")
    block = h("0102030405060708")
    assert retail_mac(key, block) == des3(key, block)


def _per_block_cmac(enc: Callable[[bytes], bytes], block: int, data: bytes, iv: bytes) -> bytes:
    """SP 800-38B written out block by block (the chain cardsim computed before it used the
    library's CMAC and CBC): the reference the fast forms must match byte for byte."""
    from cardsim.crypto import xor

    k1, k2 = cmac_subkeys(enc, block)
    if data and len(data) % block == 0:
        body, last = data[:-block], xor(data[-block:], k1)
    else:
        cut = len(data) - len(data) % block
        body, last = data[:cut], xor(pad80(data[cut:], block), k2)
    state = iv
    for i in range(0, len(body), block):
        state = enc(xor(state, body[i:i + block]))
    return enc(xor(state, last))


@given(st.binary(min_size=16, max_size=16), st.binary(max_size=80),
       st.binary(min_size=16, max_size=16))
def test_chained_aes_cmac_is_the_per_block_chain(key: bytes, data: bytes, iv: bytes) -> None:
    # DESFire EV1 chains the CMAC from the previous one: a non-zero starting value
    ref = _per_block_cmac(lambda b: aes_ecb_encrypt(key, b), 16, data, iv)
    assert aes_cmac(key, data, iv) == ref
    assert aes_cmac(key, data) == _per_block_cmac(lambda b: aes_ecb_encrypt(key, b), 16, data,
                                                  bytes(16))


@given(st.sampled_from([8, 16, 24]).flatmap(lambda n: st.binary(min_size=n, max_size=n)),
       st.binary(max_size=80), st.binary(min_size=8, max_size=8))
def test_chained_tdes_cmac_is_the_per_block_chain(key: bytes, data: bytes, iv: bytes) -> None:
    from cardsim.crypto import tdes_ecb_encrypt

    assert tdes_cmac(key, data, iv) == _per_block_cmac(lambda b: tdes_ecb_encrypt(key, b), 8,
                                                       data, iv)


@given(st.binary(min_size=16, max_size=16), st.integers(1, 10).flatmap(
    lambda n: st.binary(min_size=8 * n, max_size=8 * n)), st.binary(min_size=8, max_size=8))
def test_retail_mac_is_the_per_block_chain(key: bytes, data: bytes, iv: bytes) -> None:
    # ISO 9797-1 MAC algorithm 3: single DES with K1 over every block, then 3DES on the last
    from cardsim.crypto import tdes_ecb_encrypt, xor

    state = iv
    for i in range(0, len(data) - 8, 8):
        state = tdes_ecb_encrypt(key[:8], xor(state, data[i:i + 8]))
    assert retail_mac(key, data, iv) == tdes_ecb_encrypt(key, xor(state, data[-8:]))
