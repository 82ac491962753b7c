"""The DESFire chip's persistent content as a JSON-able dict inside the card state.

Layout: {"uid", "picc": {"settings", "key_type", "keys": [{"key", "version"}]},
"apps": {AID-hex (wire order): {"settings", "key_type", "iso", "keys": [...],
"files": {"n": {"type": "std", "comm", "access", "size", "data"}}}}}.
"""

from __future__ import annotations

from typing import Any

from cardsim.desfire.crypto import KEY_DES, KEY_LENGTHS

TOTAL_MEMORY = 7936  # an 8 KB EV1 after the OS's own use
MAX_APPS = 28
MAX_FILES = 32
PICC_AID = bytes(3)


def new_picc(cin: bytes) -> dict[str, Any]:
    """Factory state: PICC master key DES 8x00, key settings 0F, no applications."""
    return {
        "uid": ("04" + cin[-6:].rjust(6, b"\x00").hex()).upper(),
        "picc": {
            "settings": 0x0F,
            "key_type": KEY_DES,
            "keys": [{"key": "00" * KEY_LENGTHS[KEY_DES], "version": 0}],
        },
        "apps": {},
    }


def app_cost(app: dict[str, Any]) -> int:
    """Bytes of EEPROM an application takes: a header, its keys and its files (32-byte pages)."""
    cost = 32 + 32 * ((len(app["keys"]) * 24 + 31) // 32)
    for f in app["files"].values():
        cost += 32 + 32 * ((int(f["size"]) + 31) // 32)
    return cost


def free_memory(picc: dict[str, Any]) -> int:
    used = sum(app_cost(a) for a in picc["apps"].values())
    return max(0, TOTAL_MEMORY - used)
