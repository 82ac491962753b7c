"""Block-cipher primitives for the card side: AES, (3)DES, CMAC, retail MAC, padding.

Everything is built on `cryptography`: its CMAC (also for the chained CMAC DESFire EV1
needs, which starts from a non-zero value), and its CBC for the retail MAC's DES chain.
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC


class PaddingError(ValueError):
    """ISO 7816-4 (80 00..) padding is missing or malformed."""


def _tdes_key(key: bytes) -> bytes:
    # Always hand `cryptography` a 24-byte key: 8- and 16-byte forms are deprecated there.
    if len(key) == 8:
        return key * 3
    if len(key) == 16:
        return key + key[:8]
    if len(key) == 24:
        return key
    raise ValueError(f"a DES/3DES key is 8, 16 or 24 bytes, not {len(key)}")


def _check_blocks(data: bytes, size: int) -> None:
    if len(data) % size:
        raise ValueError(f"data length {len(data)} is not a multiple of {size}")


def aes_ecb_encrypt(key: bytes, data: bytes) -> bytes:
    _check_blocks(data, 16)
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305 - block primitive
    return enc.update(data) + enc.finalize()


def aes_ecb_decrypt(key: bytes, data: bytes) -> bytes:
    _check_blocks(data, 16)
    dec = Cipher(algorithms.AES(key), modes.ECB()).decryptor()  # noqa: S305
    return dec.update(data) + dec.finalize()


def aes_cbc_encrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    _check_blocks(data, 16)
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def aes_cbc_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    _check_blocks(data, 16)
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(data) + dec.finalize()


def tdes_ecb_encrypt(key: bytes, data: bytes) -> bytes:
    """3DES-ECB; an 8-byte key gives single DES (K1=K2=K3)."""
    _check_blocks(data, 8)
    enc = Cipher(TripleDES(_tdes_key(key)), modes.ECB()).encryptor()  # noqa: S305
    return enc.update(data) + enc.finalize()


def tdes_ecb_decrypt(key: bytes, data: bytes) -> bytes:
    _check_blocks(data, 8)
    dec = Cipher(TripleDES(_tdes_key(key)), modes.ECB()).decryptor()  # noqa: S305
    return dec.update(data) + dec.finalize()


def tdes_cbc_encrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    _check_blocks(data, 8)
    enc = Cipher(TripleDES(_tdes_key(key)), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def tdes_cbc_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    _check_blocks(data, 8)
    dec = Cipher(TripleDES(_tdes_key(key)), modes.CBC(iv)).decryptor()
    return dec.update(data) + dec.finalize()


def xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def pad80(data: bytes, block: int) -> bytes:
    """ISO/IEC 9797-1 method 2: always appends 80, then zeros to the block size."""
    data += b"\x80"
    return data + bytes(-len(data) % block)


def unpad80(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80:
        raise PaddingError("no 80 padding marker")
    return stripped[:-1]


def _shift_left(block: bytes) -> bytes:
    n = int.from_bytes(block, "big") << 1
    return (n & ((1 << (8 * len(block))) - 1)).to_bytes(len(block), "big")


BlockFn = Callable[[bytes], bytes]


def cmac_subkeys(encrypt_block: BlockFn, block: int) -> tuple[bytes, bytes]:
    """NIST SP 800-38B subkeys K1, K2 for a cipher with the given block size."""
    rb = 0x87 if block == 16 else 0x1B
    l_val = encrypt_block(bytes(block))
    k1 = _shift_left(l_val)
    if l_val[0] & 0x80:
        k1 = k1[:-1] + bytes([k1[-1] ^ rb])
    k2 = _shift_left(k1)
    if k1[0] & 0x80:
        k2 = k2[:-1] + bytes([k2[-1] ^ rb])
    return k1, k2


def _cmac_last(k1: bytes, k2: bytes, block: int, data: bytes) -> tuple[bytes, bytes]:
    """The message split as CMAC chains it: the body, and the last block with its subkey."""
    if data and len(data) % block == 0:
        return data[:-block], xor(data[-block:], k1)
    cut = len(data) - len(data) % block
    return data[:cut], xor(pad80(data[cut:], block), k2)


def _cmac(cipher: algorithms.AES | TripleDES, block: int, data: bytes, iv: bytes) -> bytes:
    """NIST SP 800-38B CMAC, by `cryptography`'s own CMAC. A non-zero chaining value
    (DESFire EV1) only enters the chain through the first block, so it is XORed into
    that block; a message shorter than a block takes one CBC pass over its padded,
    subkeyed last block instead."""
    if len(data) >= block or iv == bytes(block):
        if len(data) >= block:
            data = xor(data[:block], iv) + data[block:]
        mac = CMAC(cipher)
        mac.update(data)
        return mac.finalize()
    ecb = Cipher(cipher, modes.ECB()).encryptor()  # noqa: S305 - block primitive
    k1, k2 = cmac_subkeys(lambda b: ecb.update(b), block)
    body, last = _cmac_last(k1, k2, block, data)
    enc = Cipher(cipher, modes.CBC(iv)).encryptor()
    return (enc.update(body + last) + enc.finalize())[-block:]


def aes_cmac(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    """AES-CMAC (16 bytes); a non-zero `iv` gives DESFire EV1's chained CMAC."""
    return _cmac(algorithms.AES(key), 16, data, iv)


def tdes_cmac(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    """3DES-CMAC (8 bytes), as DESFire EV1 uses after an ISO (1A) authentication."""
    return _cmac(TripleDES(_tdes_key(key)), 8, data, iv)


def retail_mac(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    """ISO 9797-1 MAC algorithm 3 over data already padded: single DES CBC over all but the
    last block (one pass in the library), 3DES on the last block."""
    _check_blocks(data, 8)
    state = tdes_cbc_encrypt(key[:8], iv, data[:-8])[-8:] if len(data) > 8 else iv
    return tdes_ecb_encrypt(key, xor(state, data[-8:]))


def kcv_aes(key: bytes) -> bytes:
    """GP key check value of an AES key: AES(key, 16 x 01), first 3 bytes."""
    return aes_ecb_encrypt(key, b"\x01" * 16)[:3]


def kcv_des(key: bytes) -> bytes:
    """GP key check value of a 3DES key: 3DES(key, 8 x 00), first 3 bytes."""
    return tdes_ecb_encrypt(key, bytes(8))[:3]
