"""How a virtual card is made: identity, secure channel protocol, keys.

The profile is stored in the card's state file, so a loaded card behaves as it
was created. Defaults:

- `iin`: BCD issuer id `99990100` (digits 99990100; MII 9 = national/test use).
- `cin`: 8 random bytes.
- `kvn`: 0x30 for SCP03 and 0x20 for SCP02 (the versions the pySim vectors use).
- `scp_i`: 0x70 for SCP03 (pseudo-random challenge, R-MAC, R-ENC), 0x55 for SCP02.
- `diversify`: "none" uses `master_key` as ENC, MAC and DEK; "kdf3" (SCP03) and
  "emv" (SCP02) derive per-card keys from `master_key` and the card's KDD.
- `kdd`: the key diversification data sent in INITIALIZE UPDATE. When None it is
  the CIN right-aligned in 10 bytes (left-padded with 00), so it is unique per
  card and stable across reloads.
- `keys`: explicit static (ENC, MAC, DEK) that override master/diversify; used
  to reproduce published traces whose three keys differ.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

DEFAULT_MASTER = bytes.fromhex("404142434445464748494A4B4C4D4E4F")
DEFAULT_IIN = bytes.fromhex("99990100")
DIVERSIFICATIONS = ("none", "kdf3", "emv")


class ProfileError(ValueError):
    """A card profile field is out of range; the message names the field."""


def _random_cin() -> bytes:
    return os.urandom(8)


@dataclass
class CardProfile:
    iin: bytes = DEFAULT_IIN
    cin: bytes = field(default_factory=_random_cin)
    batch_id: int = 1
    scp: int = 3
    scp_i: int | None = None
    kvn: int | None = None
    master_key: bytes = DEFAULT_MASTER
    diversify: str = "none"
    kdd: bytes | None = None
    keys: tuple[bytes, bytes, bytes] | None = None

    def __post_init__(self) -> None:
        if self.scp not in (2, 3):
            raise ProfileError("scp: must be 2 or 3")
        if self.scp_i is None:
            self.scp_i = 0x70 if self.scp == 3 else 0x55
        if self.kvn is None:
            self.kvn = 0x30 if self.scp == 3 else 0x20
        allowed_i = (0x00, 0x10, 0x20, 0x30, 0x60, 0x70) if self.scp == 3 else (0x15, 0x55)
        if self.scp_i not in allowed_i:
            raise ProfileError(f"scp_i: {self.scp_i:#04x} not supported for SCP0{self.scp}")
        if not 1 <= self.kvn <= 0x7F:
            raise ProfileError("kvn: must be 1..127")
        if not 7 <= len(self.cin) <= 10:
            raise ProfileError("cin: must be 7..10 bytes")
        if not 1 <= len(self.iin) <= 16:
            raise ProfileError("iin: must be 1..16 bytes")
        if not 0 <= self.batch_id <= 0xFFFFFF:
            raise ProfileError("batch_id: must fit 3 bytes")
        if self.diversify not in DIVERSIFICATIONS:
            raise ProfileError(f"diversify: one of {', '.join(DIVERSIFICATIONS)}")
        wrong_pair = (self.diversify, self.scp) in (("kdf3", 2), ("emv", 3))
        if wrong_pair:
            raise ProfileError("diversify: kdf3 goes with SCP03, emv with SCP02")
        key_lengths = (16, 24, 32) if self.scp == 3 else (16,)
        if len(self.master_key) not in key_lengths:
            raise ProfileError(f"master_key: must be {key_lengths} bytes for SCP0{self.scp}")
        if self.kdd is not None and len(self.kdd) != 10:
            raise ProfileError("kdd: must be 10 bytes")
        if self.keys is not None:
            if len(self.keys) != 3 or any(len(k) not in key_lengths for k in self.keys):
                raise ProfileError("keys: three keys (ENC, MAC, DEK) of a valid length")
            self.keys = (bytes(self.keys[0]), bytes(self.keys[1]), bytes(self.keys[2]))

    @property
    def key_diversification_data(self) -> bytes:
        return self.kdd if self.kdd is not None else self.cin[-10:].rjust(10, b"\x00")

    def to_json(self) -> dict[str, Any]:
        return {
            "iin": self.iin.hex().upper(),
            "cin": self.cin.hex().upper(),
            "batch_id": self.batch_id,
            "scp": self.scp,
            "scp_i": self.scp_i,
            "kvn": self.kvn,
            "master_key": self.master_key.hex().upper(),
            "diversify": self.diversify,
            "kdd": self.kdd.hex().upper() if self.kdd is not None else None,
            "keys": [k.hex().upper() for k in self.keys] if self.keys else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CardProfile:
        try:
            keys = data.get("keys")
            return cls(
                iin=bytes.fromhex(data["iin"]),
                cin=bytes.fromhex(data["cin"]),
                batch_id=int(data["batch_id"]),
                scp=int(data["scp"]),
                scp_i=int(data["scp_i"]),
                kvn=int(data["kvn"]),
                master_key=bytes.fromhex(data["master_key"]),
                diversify=str(data["diversify"]),
                kdd=bytes.fromhex(data["kdd"]) if data.get("kdd") else None,
                keys=tuple(bytes.fromhex(k) for k in keys) if keys else None,  # type: ignore[arg-type]
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ProfileError):
                raise
            raise ProfileError(f"profile: {exc}") from exc
