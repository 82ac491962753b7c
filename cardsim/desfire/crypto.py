"""DESFire EV1 cryptography: CRCs, key-type suites, session keys, chained CMAC.

Per gp-apdu.md section 3: CRC32 is zlib's CRC without the final XOR, appended
little-endian; EV1 CMACs start from the running session IV and the IV becomes
the full CMAC; legacy (0A) sessions use DES "decipher" for the sending side.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from cardsim.crypto import (
    aes_cbc_decrypt,
    aes_cbc_encrypt,
    aes_cmac,
    tdes_cbc_decrypt,
    tdes_cbc_encrypt,
    tdes_cmac,
    tdes_ecb_encrypt,
    xor,
)

KEY_DES, KEY_3K3DES, KEY_AES = "des", "3k3des", "aes"  # "des" covers DES and 2K3DES (16 bytes)
KEY_LENGTHS = {KEY_DES: 16, KEY_3K3DES: 24, KEY_AES: 16}


def crc32(data: bytes) -> bytes:
    """DESFire CRC32: reflected EDB88320, init FFFFFFFF, no final XOR, little-endian."""
    return ((zlib.crc32(data) ^ 0xFFFFFFFF) & 0xFFFFFFFF).to_bytes(4, "little")


def crc16(data: bytes) -> bytes:
    """ISO 14443-3 CRC_A (init 6363, reflected 8408), little-endian; legacy DESFire sessions."""
    crc = 0x6363
    for byte in data:
        byte ^= crc & 0xFF
        byte = (byte ^ (byte << 4)) & 0xFF
        crc = ((crc >> 8) ^ (byte << 8) ^ (byte << 3) ^ (byte >> 4)) & 0xFFFF
    return crc.to_bytes(2, "little")


def rotate_left(data: bytes) -> bytes:
    return data[1:] + data[:1]


@dataclass(frozen=True)
class Suite:
    """A key with its algorithm: block size, CBC both ways, CMAC from an IV."""

    kind: str
    key: bytes

    @property
    def block(self) -> int:
        return 16 if self.kind == KEY_AES else 8

    def encrypt(self, iv: bytes, data: bytes) -> bytes:
        if self.kind == KEY_AES:
            return aes_cbc_encrypt(self.key, iv, data)
        return tdes_cbc_encrypt(self.key, iv, data)

    def decrypt(self, iv: bytes, data: bytes) -> bytes:
        if self.kind == KEY_AES:
            return aes_cbc_decrypt(self.key, iv, data)
        return tdes_cbc_decrypt(self.key, iv, data)

    def cmac(self, iv: bytes, data: bytes) -> bytes:
        if self.kind == KEY_AES:
            return aes_cmac(self.key, data, iv)
        return tdes_cmac(self.key, data, iv)

    def legacy_receive(self, data: bytes) -> bytes:
        """Undoes the host's legacy send mode (CBC built from DES decryption), IV zero."""
        out = b""
        prev = bytes(8)
        for i in range(0, len(data), 8):
            block = data[i : i + 8]
            out += xor(tdes_ecb_encrypt(self.key, block), prev)
            prev = block
        return out

    def legacy_send(self, data: bytes) -> bytes:
        """Card-to-host in legacy mode: plain CBC encryption from a zero IV."""
        return tdes_cbc_encrypt(self.key, bytes(8), data)

    def legacy_mac(self, data: bytes) -> bytes:
        """Legacy 4-byte MAC: CBC-encrypt the zero-padded data, first 4 bytes of the last block."""
        padded = data + bytes(-len(data) % 8) if data else bytes(8)
        return tdes_cbc_encrypt(self.key, bytes(8), padded)[-8:][:4]


def is_single_des(key: bytes) -> bool:
    return len(key) == 16 and key[:8] == key[8:]


def session_key(kind: str, key: bytes, rnd_a: bytes, rnd_b: bytes) -> Suite:
    """Session keys of gp-apdu.md 3.3 (a DES key, K1 = K2, gives a DES session key)."""
    a, b = rnd_a, rnd_b
    if kind == KEY_AES:
        return Suite(KEY_AES, a[0:4] + b[0:4] + a[12:16] + b[12:16])
    if kind == KEY_3K3DES:
        return Suite(KEY_3K3DES, a[0:4] + b[0:4] + a[6:10] + b[6:10] + a[12:16] + b[12:16])
    if is_single_des(key):
        half = a[0:4] + b[0:4]
        return Suite(KEY_DES, half + half)
    return Suite(KEY_DES, a[0:4] + b[0:4] + a[4:8] + b[4:8])
