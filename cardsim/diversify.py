"""Static key diversification from a master key and the card's KDD (gp-apdu.md 1.6)."""

from __future__ import annotations

from cardsim.crypto import aes_cmac, tdes_ecb_encrypt

KEY_ENC, KEY_MAC, KEY_DEK = 1, 2, 3


def kdf3(master: bytes, kdd: bytes, key_type: int) -> bytes:
    """SP800-108 CMAC KDF, 8-bit counter first: i || 00 00 00 || k || 00 || KDD."""
    out = b""
    counter = 1
    while len(out) < len(master):
        block = bytes([counter]) + bytes(3) + bytes([key_type, 0]) + kdd
        out += aes_cmac(master, block)
        counter += 1
    return out[: len(master)]


def emv(master: bytes, kdd: bytes, key_type: int) -> bytes:
    """EMV CPS template: KDD[4:10] F0 k || KDD[4:10] 0F k, 3DES-ECB under the master key."""
    block = kdd[4:10] + bytes([0xF0, key_type]) + kdd[4:10] + bytes([0x0F, key_type])
    return tdes_ecb_encrypt(master, block)


def static_keys(master: bytes, kdd: bytes, method: str) -> tuple[bytes, bytes, bytes]:
    """(ENC, MAC, DEK) for `method` in none/kdf3/emv."""
    if method == "none":
        return master, master, master
    fn = kdf3 if method == "kdf3" else emv
    return fn(master, kdd, KEY_ENC), fn(master, kdd, KEY_MAC), fn(master, kdd, KEY_DEK)
