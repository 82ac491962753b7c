"""Block-cipher primitives shared by the secure-channel and DESFire modules.

Thin wrappers over `cryptography`, so that the protocol modules read like the
specifications (ECB block, CBC with an explicit IV, CMAC, ISO 9797-1 padding)
instead of like cipher plumbing.
"""

from __future__ import annotations

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

AES_BLOCK = 16
DES_BLOCK = 8


def _des3_key(key: bytes) -> bytes:
    """3DES key material: 8-byte single DES keys become K1=K2=K3."""
    if len(key) == 8:
        return key * 3
    if len(key) == 16:
        return key + key[:8]  # two-key 3DES as K1 K2 K1
    if len(key) == 24:
        return key
    raise ValueError(f"a DES/3DES key is 8, 16 or 24 bytes, not {len(key)}")


def _check_aes(key: bytes) -> bytes:
    if len(key) not in (16, 24, 32):
        raise ValueError(f"an AES key is 16, 24 or 32 bytes, not {len(key)}")
    return key


def aes_ecb(key: bytes, data: bytes) -> bytes:
    enc = Cipher(algorithms.AES(_check_aes(key)), modes.ECB()).encryptor()  # noqa: S305
    return enc.update(data) + enc.finalize()


def aes_cbc_encrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    enc = Cipher(algorithms.AES(_check_aes(key)), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def aes_cbc_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    dec = Cipher(algorithms.AES(_check_aes(key)), modes.CBC(iv)).decryptor()
    return dec.update(data) + dec.finalize()


def des3_ecb_encrypt(key: bytes, data: bytes) -> bytes:
    enc = Cipher(TripleDES(_des3_key(key)), modes.ECB()).encryptor()  # noqa: S305
    return enc.update(data) + enc.finalize()


def des3_ecb_decrypt(key: bytes, data: bytes) -> bytes:
    dec = Cipher(TripleDES(_des3_key(key)), modes.ECB()).decryptor()  # noqa: S305
    return dec.update(data) + dec.finalize()


def des3_cbc_encrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    enc = Cipher(TripleDES(_des3_key(key)), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def des3_cbc_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    dec = Cipher(TripleDES(_des3_key(key)), modes.CBC(iv)).decryptor()
    return dec.update(data) + dec.finalize()


def aes_cmac(key: bytes, data: bytes) -> bytes:
    """Full 16-byte AES-CMAC (NIST SP 800-38B)."""
    mac = CMAC(algorithms.AES(_check_aes(key)))
    mac.update(data)
    return mac.finalize()


def pad80(data: bytes, block: int) -> bytes:
    """ISO 9797-1 method 2: always append 80, then zeros to a whole block."""
    padded = data + b"\x80"
    return padded + b"\x00" * (-len(padded) % block)


def unpad80(data: bytes) -> bytes:
    """Strip ISO 9797-1 method 2 padding; raises ValueError if it is absent."""
    stripped = data.rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80:
        raise ValueError("missing 80 00.. padding")
    return stripped[:-1]


def xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def retail_mac(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    """ISO 9797-1 MAC algorithm 3 (single DES chain, 3DES on the last block), padding method 2."""
    k1 = key[:8]
    padded = pad80(data, DES_BLOCK)
    state = iv
    if len(padded) > DES_BLOCK:
        state = des3_cbc_encrypt(k1, iv, padded[:-DES_BLOCK])[-DES_BLOCK:]
    return des3_cbc_encrypt(key, state, padded[-DES_BLOCK:])


def _shift_left(block: bytes) -> bytes:
    value = int.from_bytes(block, "big") << 1
    return (value & ((1 << (8 * len(block))) - 1)).to_bytes(len(block), "big")


def cmac_subkeys(encrypt_block: bytes) -> tuple[bytes, bytes]:
    """K1, K2 from L = E_K(0^n) (SP 800-38B 6.1); `encrypt_block` is L."""
    rb = 0x87 if len(encrypt_block) == AES_BLOCK else 0x1B
    k1 = _shift_left(encrypt_block)
    if encrypt_block[0] & 0x80:
        k1 = k1[:-1] + bytes([k1[-1] ^ rb])
    k2 = _shift_left(k1)
    if k1[0] & 0x80:
        k2 = k2[:-1] + bytes([k2[-1] ^ rb])
    return k1, k2


class BlockCipher:
    """AES or (3)DES under one interface, for protocols that work with either (DESFire)."""

    def __init__(self, key: bytes, aes: bool) -> None:
        self.key = _check_aes(key) if aes else _des3_key(key)
        self.aes = aes
        self.block = AES_BLOCK if aes else DES_BLOCK

    def ecb_encrypt(self, data: bytes) -> bytes:
        return aes_ecb(self.key, data) if self.aes else des3_ecb_encrypt(self.key, data)

    def ecb_decrypt(self, data: bytes) -> bytes:
        if self.aes:
            dec = Cipher(algorithms.AES(self.key), modes.ECB()).decryptor()  # noqa: S305
            return dec.update(data) + dec.finalize()
        return des3_ecb_decrypt(self.key, data)

    def cbc_encrypt(self, iv: bytes, data: bytes) -> bytes:
        if self.aes:
            return aes_cbc_encrypt(self.key, iv, data)
        return des3_cbc_encrypt(self.key, iv, data)

    def cbc_decrypt(self, iv: bytes, data: bytes) -> bytes:
        if self.aes:
            return aes_cbc_decrypt(self.key, iv, data)
        return des3_cbc_decrypt(self.key, iv, data)

    def subkeys(self) -> tuple[bytes, bytes]:
        return cmac_subkeys(self.ecb_encrypt(bytes(self.block)))

    def cmac(self, data: bytes, iv: bytes | None = None) -> bytes:
        """CMAC whose CBC chain starts from `iv` (DESFire EV1 running IV); zero IV = plain CMAC."""
        k1, k2 = self.subkeys()
        n = self.block
        if data and len(data) % n == 0:
            last = xor(data[-n:], k1)
            body = data[:-n]
        else:
            rest = len(data) % n
            tail = data[len(data) - rest:] if rest else b""
            last = xor(pad80(tail, n), k2)
            body = data[: len(data) - rest]
        start = iv if iv is not None else bytes(n)
        return self.cbc_encrypt(start, body + last)[-n:]
