"""Command/response APDU helpers shared by every reader backend.

Readers carry bytes they did not build (the backend compiles the scripts), so
this module only needs to *understand* APDUs well enough to: re-encode an
extended APDU in short form when a card does not take extended lengths, repeat
a command with the Le a card asked for (6Cxx), fetch the rest of an answer
(61xx, GET RESPONSE), and check a status word against the backend's
`expect` patterns ("9000", "61XX").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import ApduError

SW_OK = 0x9000
DEFAULT_EXPECT: tuple[str, ...] = ("9000", "61XX")
_PATTERN = re.compile(r"^[0-9A-FX]{4}$")


@dataclass(frozen=True)
class CommandApdu:
    """A parsed ISO 7816-4 command APDU (cases 1 to 4, short or extended)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # None: no Le field; 0 < le <= 65536 otherwise
    extended: bool = False

    @classmethod
    def parse(cls, apdu: bytes) -> CommandApdu:
        """Parses the four ISO cases; raises ApduError on any inconsistency."""
        apdu = bytes(apdu)
        n = len(apdu)
        if n < 4:
            raise ApduError(f"command APDU too short ({n} bytes)")
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:  # case 2 short
            return cls(cla, ins, p1, p2, b"", body[0] or 256)
        if body[0] != 0:  # short with data
            lc = body[0]
            if len(body) == 1 + lc:
                return cls(cla, ins, p1, p2, body[1:])
            if len(body) == 2 + lc:
                return cls(cla, ins, p1, p2, body[1 : 1 + lc], body[-1] or 256)
            raise ApduError(f"Lc {lc} does not match the {len(body) - 1} bytes that follow")
        # body[0] == 0 and at least 2 bytes: extended form
        if len(body) == 3:  # case 2 extended
            le = int.from_bytes(body[1:3], "big") or 65536
            return cls(cla, ins, p1, p2, b"", le, True)
        if len(body) < 3:
            raise ApduError("truncated extended length field")
        lc = int.from_bytes(body[1:3], "big")
        if lc == 0:
            raise ApduError("extended Lc of 0")
        rest = body[3:]
        if len(rest) == lc:
            return cls(cla, ins, p1, p2, rest, None, True)
        if len(rest) == lc + 2:
            le = int.from_bytes(rest[-2:], "big") or 65536
            return cls(cla, ins, p1, p2, rest[:lc], le, True)
        raise ApduError(f"extended Lc {lc} does not match the {len(rest)} bytes that follow")

    @property
    def needs_extended(self) -> bool:
        """True when the content cannot be expressed in short form."""
        return len(self.data) > 255 or (self.le is not None and self.le > 256)

    def to_bytes(self, *, extended: bool | None = None) -> bytes:
        """Encodes the APDU; `extended` forces a form (None keeps the parsed one)."""
        ext = self.extended if extended is None else extended
        if not ext and self.needs_extended:
            raise ApduError(
                f"{len(self.data)} data bytes / Le {self.le} do not fit a short APDU"
            )
        out = bytearray([self.cla, self.ins, self.p1, self.p2])
        if ext and (self.data or self.le is not None):
            if self.data:
                out += b"\x00" + len(self.data).to_bytes(2, "big") + self.data
                if self.le is not None:
                    out += (self.le % 65536).to_bytes(2, "big")
            elif self.le is not None:
                out += b"\x00" + (self.le % 65536).to_bytes(2, "big")
            return bytes(out)
        if self.data:
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out.append(self.le % 256)
        return bytes(out)

    def with_le(self, le: int) -> CommandApdu:
        """The same command asking for exactly `le` bytes (answer to 6Cxx)."""
        return CommandApdu(self.cla, self.ins, self.p1, self.p2, self.data, le or 256,
                           self.extended)


def get_response(cla: int, le: int) -> bytes:
    """GET RESPONSE on the command's logical channel (ISO 7816-4 7.6.1)."""
    return bytes([cla & 0x03, 0xC0, 0x00, 0x00, le & 0xFF])


def split_response(rapdu: bytes) -> tuple[bytes, int]:
    """(data, sw); raises ApduError when the answer has no status word."""
    if len(rapdu) < 2:
        raise ApduError(f"response APDU of {len(rapdu)} bytes has no status word")
    return bytes(rapdu[:-2]), int.from_bytes(rapdu[-2:], "big")


def validate_pattern(pattern: str) -> str:
    """Upper-cases and checks an expect pattern ("9000", "61XX", "6XXX")."""
    p = pattern.strip().upper()
    if not _PATTERN.match(p):
        raise ApduError(f"bad status word pattern {pattern!r} (4 hex digits or X)")
    return p


def sw_expected(sw: int, patterns: Sequence[str] | None) -> bool:
    """Whether `sw` lets a batch go on: it matches one of `patterns` ("9000", "61XX";
    X is any hex digit); no patterns means DEFAULT_EXPECT. A bad pattern raises
    ApduError. The reader worker asks this once per answer."""
    for mask, value in _masks(tuple(patterns) if patterns else ()):  # noqa: SIM110
        if sw & mask == value:  # (a loop, not any(): no generator per answer)
            return True
    return False


@functools.lru_cache(maxsize=256)
def _masks(patterns: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """Each pattern as (mask, value), `sw & mask == value` exactly when it matches; a
    batch repeats one pattern set, so each set is checked and converted once."""
    out = []
    for pattern in patterns or DEFAULT_EXPECT:
        mask = value = 0
        for ch in validate_pattern(pattern):
            mask = mask << 4 | (0 if ch == "X" else 0xF)
            value = value << 4 | (0 if ch == "X" else int(ch, 16))
        out.append((mask, value))
    return tuple(out)


def parse_hex(text: str, what: str = "value") -> bytes:
    """Hex string (either case, optional spaces) to bytes with an error naming `what`."""
    if not isinstance(text, str):
        raise ApduError(f"{what} must be a hex string, not {type(text).__name__}")
    try:
        return bytes.fromhex(text)  # spaces between bytes are fine
    except ValueError:
        pass
    try:
        return bytes.fromhex("".join(text.split()))  # and inside a byte ("0 0")
    except ValueError:
        raise ApduError(f"{what} is not valid hex: {text[:40]!r}") from None
