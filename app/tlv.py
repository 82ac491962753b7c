"""A small BER-TLV reader for card answers (FCI, GET DATA).

Cards answer with TLV that is sometimes slightly wrong; `parse` is strict and
raises TlvError, `parse_lenient` keeps every object that parsed before the
first broken one so that identity reading can still use what is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import TlvError


@dataclass(frozen=True)
class Tlv:
    """One BER-TLV object; `children` is filled for constructed tags."""

    tag: int
    value: bytes
    children: tuple[Tlv, ...] = field(default=())

    @property
    def constructed(self) -> bool:
        first = self.tag
        while first > 0xFF:
            first >>= 8
        return bool(first & 0x20)

    def find(self, tag: int) -> Tlv | None:
        """Depth-first search below this object."""
        return find(self.children, tag)


def _read_tag(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise TlvError("TLV truncated: tag expected")
    tag = data[pos]
    pos += 1
    if tag & 0x1F == 0x1F:
        for _ in range(3):
            if pos >= len(data):
                raise TlvError("TLV truncated inside a multi-byte tag")
            b = data[pos]
            tag = (tag << 8) | b
            pos += 1
            if not b & 0x80:
                break
        else:
            raise TlvError("TLV tag longer than 4 bytes")
    return tag, pos


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise TlvError("TLV truncated: length expected")
    first = data[pos]
    pos += 1
    if first < 0x80:
        return first, pos
    n = first & 0x7F
    if n == 0 or n > 3:
        raise TlvError(f"unsupported TLV length form {first:02X}")
    if pos + n > len(data):
        raise TlvError("TLV truncated inside a length")
    return int.from_bytes(data[pos : pos + n], "big"), pos + n


def _parse(data: bytes, lenient: bool, depth: int = 0) -> list[Tlv]:
    if depth > 8:
        raise TlvError("TLV nested too deeply")
    out: list[Tlv] = []
    pos = 0
    while pos < len(data):
        if data[pos] in (0x00, 0xFF):
            # ISO 7816-4 allows 00/FF padding between objects.
            pos += 1
            continue
        try:
            tag, p = _read_tag(data, pos)
            length, p = _read_length(data, p)
            if p + length > len(data):
                raise TlvError(f"TLV {tag:X} claims {length} bytes, {len(data) - p} left")
            value = data[p : p + length]
            obj = Tlv(tag, value)
            if obj.constructed:
                obj = Tlv(tag, value, tuple(_parse(value, lenient, depth + 1)))
        except TlvError:
            if lenient:
                return out
            raise
        out.append(obj)
        pos = p + length
    return out


def parse(data: bytes) -> list[Tlv]:
    """Strict parse: every byte must belong to a well-formed object (or be 00/FF padding)."""
    return _parse(bytes(data), lenient=False)


def parse_lenient(data: bytes) -> list[Tlv]:
    """Objects up to the first malformed one; never raises."""
    try:
        return _parse(bytes(data), lenient=True)
    except TlvError:
        return []


def find(objs: tuple[Tlv, ...] | list[Tlv], tag: int) -> Tlv | None:
    """Depth-first search for `tag` in a parsed list."""
    for obj in objs:
        if obj.tag == tag:
            return obj
        hit = find(obj.children, tag)
        if hit is not None:
            return hit
    return None


def encode(tag: int, value: bytes) -> bytes:
    """BER-TLV encoding of one primitive object (tags up to 3 bytes, lengths up to 65535)."""
    tag_bytes = tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n <= 0xFF:
        length = bytes([0x81, n])
    elif n <= 0xFFFF:
        length = bytes([0x82]) + n.to_bytes(2, "big")
    else:
        raise TlvError("TLV value too long")
    return tag_bytes + length + value
