"""Validation of the hex strings every byte string travels as."""

from __future__ import annotations

import re

_HEX = re.compile(r"^(?:[0-9A-Fa-f]{2})*\Z")


class HexError(ValueError):
    """A value that is not the hex string it should be; the message says why."""


def parse_hex(value: object, *, min_len: int = 0, max_len: int | None = None,
              exact: int | None = None) -> bytes:
    """Bytes from a hex string of either case; lengths are in bytes."""
    if not isinstance(value, str):
        raise HexError("must be a hex string")
    if not _HEX.match(value):
        raise HexError("must be an even number of hex digits (0-9, A-F)")
    data = bytes.fromhex(value)
    if exact is not None and len(data) != exact:
        raise HexError(f"must be exactly {exact} bytes ({2 * exact} hex digits)")
    if len(data) < min_len:
        raise HexError(f"must be at least {min_len} bytes")
    if max_len is not None and len(data) > max_len:
        raise HexError(f"must be at most {max_len} bytes")
    return data


def to_hex(data: bytes) -> str:
    """The upper-case hex form every answer uses."""
    return data.hex().upper()


def norm_hex(value: str) -> str:
    """Upper-case form of an already validated hex string."""
    return value.upper()


def parse_aid(value: object) -> bytes:
    """An application identifier: 5 to 16 bytes."""
    return parse_hex(value, min_len=5, max_len=16)


# AIDs of the platform (API.md section 4).
FIDESMO_APPLET_PREFIX = bytes.fromhex("A00000061700")
FIDESMO_SD_PREFIX = bytes.fromhex("A00000061701")
ISD_AID = bytes.fromhex("A000000151000000")


def app_applet_prefix(app_id: str) -> bytes:
    """Every applet AID of an application starts with this."""
    return FIDESMO_APPLET_PREFIX + bytes.fromhex(app_id)


def app_sd_aid(app_id: str) -> bytes:
    """The Supplementary Security Domain of an application."""
    return FIDESMO_SD_PREFIX + bytes.fromhex(app_id)
