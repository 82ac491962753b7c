"""BER-TLV (ISO 7816-4 / X.690 subset) and GlobalPlatform DGI encoding.

Tags are kept as integers of their raw bytes (0x9F70, 0xE3, 0xBF0C), which is
how GP tables name them. Parsing is strict: truncated tags, lengths or values,
indefinite lengths and lengths over 3 bytes raise TlvError.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_TAG_BYTES = 4


class TlvError(ValueError):
    """BER-TLV or DGI bytes are malformed or truncated."""


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes

    @property
    def constructed(self) -> bool:
        return bool(encode_tag(self.tag)[0] & 0x20)

    def children(self) -> list[Tlv]:
        """The nested objects of a constructed tag."""
        return parse(self.value)

    def encode(self) -> bytes:
        return build(self.tag, self.value)


def encode_tag(tag: int) -> bytes:
    if not isinstance(tag, int) or tag < 0 or tag > 0xFFFFFFFF:
        raise TlvError(f"tag {tag!r} out of range")
    raw = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    parsed, end = parse_tag(raw, 0)
    if end != len(raw) or parsed != tag:
        raise TlvError(f"{raw.hex().upper()} is not a well-formed BER tag")
    return raw


def encode_length(n: int) -> bytes:
    if n < 0:
        raise TlvError("negative length")
    if n < 0x80:
        return bytes([n])
    if n <= 0xFF:
        return bytes([0x81, n])
    if n <= 0xFFFF:
        return b"\x82" + n.to_bytes(2, "big")
    if n <= 0xFFFFFF:
        return b"\x83" + n.to_bytes(3, "big")
    raise TlvError(f"length {n} needs more than 3 bytes")


def parse_tag(data: bytes, offset: int) -> tuple[int, int]:
    """Returns (tag, offset after the tag)."""
    if offset >= len(data):
        raise TlvError(f"truncated tag at offset {offset}")
    first = data[offset]
    if first in (0x00, 0xFF):
        # Not a tag: ISO 7816 padding bytes. Rejected in strict parsing.
        raise TlvError(f"byte {first:02X} at offset {offset} is padding, not a tag")
    end = offset + 1
    if first & 0x1F == 0x1F:
        while True:
            if end >= len(data):
                raise TlvError(f"truncated multi-byte tag at offset {offset}")
            b = data[end]
            end += 1
            if end - offset > MAX_TAG_BYTES:
                raise TlvError(f"tag at offset {offset} is longer than {MAX_TAG_BYTES} bytes")
            if not b & 0x80:
                break
    return int.from_bytes(data[offset:end], "big"), end


def parse_length(data: bytes, offset: int) -> tuple[int, int]:
    """Returns (length, offset after the length field)."""
    if offset >= len(data):
        raise TlvError(f"truncated length at offset {offset}")
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    n = first & 0x7F
    if n == 0:
        raise TlvError(f"indefinite length at offset {offset} is not allowed")
    if n > 3:
        raise TlvError(f"length field 0x{first:02X} at offset {offset}: at most 3 length bytes")
    if offset + 1 + n > len(data):
        raise TlvError(f"truncated {n}-byte length at offset {offset}")
    return int.from_bytes(data[offset + 1 : offset + 1 + n], "big"), offset + 1 + n


def parse_one(data: bytes, offset: int = 0) -> tuple[Tlv, int]:
    """One TLV at `offset`; returns it and the offset after it."""
    tag, pos = parse_tag(data, offset)
    length, pos = parse_length(data, pos)
    if pos + length > len(data):
        raise TlvError(
            f"tag {tag:X} at offset {offset} announces {length} bytes, only {len(data) - pos} left"
        )
    return Tlv(tag, bytes(data[pos : pos + length])), pos + length


def parse(data: bytes) -> list[Tlv]:
    """All TLVs in `data`, which must be consumed exactly."""
    if not isinstance(data, bytes | bytearray):
        raise TlvError("TLV data must be bytes")
    out = []
    pos = 0
    while pos < len(data):
        item, pos = parse_one(data, pos)
        out.append(item)
    return out


def build(tag: int, value: bytes) -> bytes:
    return encode_tag(tag) + encode_length(len(value)) + bytes(value)


def build_all(items: Iterable[tuple[int, bytes]]) -> bytes:
    return b"".join(build(tag, value) for tag, value in items)


def find(items: Iterable[Tlv], tag: int) -> Tlv | None:
    """First object with `tag` among `items` (not recursive)."""
    for item in items:
        if item.tag == tag:
            return item
    return None


def find_all(items: Iterable[Tlv], tag: int) -> list[Tlv]:
    return [item for item in items if item.tag == tag]


def is_valid(data: bytes) -> bool:
    try:
        parse(data)
    except TlvError:
        return False
    return bool(data)


# --- DGI (Data Grouping Identifier), GP STORE DATA with P1 b5-b4 = 01 ---

def encode_dgi(dgi: int, value: bytes) -> bytes:
    """DGI tag (2 bytes), then length in 1 byte (<FF) or FF + 2 bytes."""
    if not 0 <= dgi <= 0xFFFF:
        raise TlvError(f"DGI {dgi!r} out of range")
    n = len(value)
    if n < 0xFF:
        return dgi.to_bytes(2, "big") + bytes([n]) + value
    if n <= 0xFFFF:
        return dgi.to_bytes(2, "big") + b"\xff" + n.to_bytes(2, "big") + value
    raise TlvError(f"DGI value of {n} bytes is too long")


def parse_dgi(data: bytes) -> list[tuple[int, bytes]]:
    """Split a DGI stream into (dgi, value) pairs; strict about truncation."""
    out = []
    pos = 0
    while pos < len(data):
        if pos + 3 > len(data):
            raise TlvError(f"truncated DGI header at offset {pos}")
        dgi = int.from_bytes(data[pos : pos + 2], "big")
        n = data[pos + 2]
        pos += 3
        if n == 0xFF:
            if pos + 2 > len(data):
                raise TlvError(f"truncated DGI length at offset {pos}")
            n = int.from_bytes(data[pos : pos + 2], "big")
            pos += 2
        if pos + n > len(data):
            raise TlvError(f"DGI {dgi:04X} announces {n} bytes, only {len(data) - pos} left")
        out.append((dgi, bytes(data[pos : pos + n])))
        pos += n
    return out
