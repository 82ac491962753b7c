"""Static card keys, their per-card diversification and key check values.

The backend holds master keys; each card's static keys are derived from the
Key Diversification Data (first 10 bytes of the INITIALIZE UPDATE answer)
with one of GlobalPlatformPro's templates (gp-apdu.md 1.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from backend_stub.compiler.crypto import aes_cmac, aes_ecb, des3_ecb_encrypt

Diversification = Literal["none", "auto", "kdf3", "emv", "visa2", "visa"]
DIVERSIFICATIONS = ("none", "auto", "kdf3", "emv", "visa2", "visa")
KEY_ENC, KEY_MAC, KEY_DEK = 1, 2, 3
DEFAULT_TEST_KEY = bytes.fromhex("404142434445464748494A4B4C4D4E4F")


class KeyMaterialError(ValueError):
    """Key material is unusable (wrong length, unknown diversification)."""


def kcv_des3(key: bytes) -> bytes:
    """3DES KCV: first 3 bytes of 3DES-ECB(key, 8 x 00)."""
    return des3_ecb_encrypt(key, bytes(8))[:3]


def kcv_aes(key: bytes) -> bytes:
    """AES KCV as GP/GPPro: first 3 bytes of AES(key, 16 x 01)."""
    return aes_ecb(key, b"\x01" * 16)[:3]


def kcv_aes0(key: bytes) -> bytes:
    """AES KCV variant some vendors use: AES(key, 16 x 00)."""
    return aes_ecb(key, bytes(16))[:3]


def _template(kdd: bytes, idx: tuple[int, ...], key_type: int) -> bytes:
    part = bytes(kdd[i] for i in idx)
    return part + bytes([0xF0, key_type]) + part + bytes([0x0F, key_type])


def diversify_emv(master: bytes, kdd: bytes, key_type: int) -> bytes:
    return des3_ecb_encrypt(master, _template(_kdd(kdd), (4, 5, 6, 7, 8, 9), key_type))


def diversify_visa2(master: bytes, kdd: bytes, key_type: int) -> bytes:
    return des3_ecb_encrypt(master, _template(_kdd(kdd), (0, 1, 4, 5, 6, 7), key_type))


def diversify_visa(master: bytes, kdd: bytes, key_type: int) -> bytes:
    return des3_ecb_encrypt(master, _template(_kdd(kdd), (0, 1, 2, 3, 8, 9), key_type))


def diversify_kdf3(master: bytes, kdd: bytes, key_type: int) -> bytes:
    """SCP03 KDF3: CMAC(master, i || 00 00 00 || type || 00 || KDD), i = 1, 2.. to key length."""
    out = b""
    i = 1
    while len(out) < len(master):
        out += aes_cmac(master, bytes([i, 0, 0, 0, key_type, 0]) + _kdd(kdd))
        i += 1
    return out[: len(master)]


def _kdd(kdd: bytes) -> bytes:
    if len(kdd) < 10:
        raise KeyMaterialError(f"key diversification data is {len(kdd)} bytes, need 10")
    return kdd[:10]


@dataclass(frozen=True)
class StaticKeys:
    """One card's static key set (already diversified)."""

    enc: bytes
    mac: bytes
    dek: bytes
    kvn: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"enc": self.enc.hex(), "mac": self.mac.hex(), "dek": self.dek.hex(),
                "kvn": self.kvn}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StaticKeys:
        return cls(bytes.fromhex(d["enc"]), bytes.fromhex(d["mac"]), bytes.fromhex(d["dek"]),
                   int(d["kvn"]))


@dataclass(frozen=True)
class CardKeys:
    """Master keys the backend holds for a family of cards, and how to diversify them."""

    master_enc: bytes
    master_mac: bytes
    master_dek: bytes
    kvn: int = 0
    diversify: Diversification = "none"

    def __post_init__(self) -> None:
        if self.diversify not in DIVERSIFICATIONS:
            raise KeyMaterialError(f"unknown diversification {self.diversify!r};"
                            f" one of {', '.join(DIVERSIFICATIONS)}")
        for name in ("master_enc", "master_mac", "master_dek"):
            if len(getattr(self, name)) not in (16, 24, 32):
                raise KeyMaterialError(f"{name} must be 16, 24 or 32 bytes")
        if not 0 <= self.kvn <= 0xFF:
            raise KeyMaterialError("kvn must be a byte")

    @classmethod
    def single(cls, key: bytes = DEFAULT_TEST_KEY, kvn: int = 0,
               diversify: Diversification = "none") -> CardKeys:
        """ENC = MAC = DEK = `key` (GPPro's -key)."""
        return cls(key, key, key, kvn, diversify)

    def method_for(self, scp: int) -> str:
        if self.diversify != "auto":
            return self.diversify
        return "kdf3" if scp == 3 else "emv"

    def for_card(self, kdd: bytes, scp: int) -> StaticKeys:
        """The card's static keys; "auto" is KDF3 for SCP03 and EMV for SCP02."""
        method = self.method_for(scp)
        fn = {"kdf3": diversify_kdf3, "emv": diversify_emv, "visa2": diversify_visa2,
              "visa": diversify_visa}.get(method)
        if fn is None:
            return StaticKeys(self.master_enc, self.master_mac, self.master_dek, self.kvn)
        if method != "kdf3" and len(self.master_enc) != 16:
            raise KeyMaterialError(f"{method} diversification needs 16-byte 3DES master keys")
        return StaticKeys(fn(self.master_enc, kdd, KEY_ENC), fn(self.master_mac, kdd, KEY_MAC),
                          fn(self.master_dek, kdd, KEY_DEK), self.kvn)

    def to_dict(self) -> dict[str, Any]:
        return {"enc": self.master_enc.hex(), "mac": self.master_mac.hex(),
                "dek": self.master_dek.hex(), "kvn": self.kvn, "diversify": self.diversify}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CardKeys:
        return cls(bytes.fromhex(d["enc"]), bytes.fromhex(d["mac"]), bytes.fromhex(d["dek"]),
                   int(d["kvn"]), d.get("diversify", "none"))
