"""BER-TLV as GlobalPlatform uses it: tags of 1-3 bytes, lengths of 1-3 bytes."""

from __future__ import annotations


class TLVError(ValueError):
    """The bytes are not well-formed BER-TLV."""


def encode_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    if n <= 0xFF:
        return bytes([0x81, n])
    if n <= 0xFFFF:
        return bytes([0x82]) + n.to_bytes(2, "big")
    raise TLVError(f"length {n} too large")


def decode_length(buf: bytes, off: int) -> tuple[int, int]:
    """Returns (length, offset after the length field)."""
    if off >= len(buf):
        raise TLVError("missing length")
    first = buf[off]
    if first < 0x80:
        return first, off + 1
    count = first & 0x7F
    if count == 0 or count > 3 or off + 1 + count > len(buf):
        raise TLVError("bad length field")
    return int.from_bytes(buf[off + 1 : off + 1 + count], "big"), off + 1 + count


def encode_tag(tag: int) -> bytes:
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def tlv(tag: int, value: bytes) -> bytes:
    return encode_tag(tag) + encode_length(len(value)) + value


def read_tag(buf: bytes, off: int) -> tuple[int, int]:
    if off >= len(buf):
        raise TLVError("missing tag")
    start = off
    off += 1
    if buf[start] & 0x1F == 0x1F:
        while True:
            if off >= len(buf) or off - start > 3:
                raise TLVError("bad multi-byte tag")
            off += 1
            if not buf[off - 1] & 0x80:
                break
    return int.from_bytes(buf[start:off], "big"), off


def parse(buf: bytes) -> list[tuple[int, bytes]]:
    """All top-level TLVs, in order; raises TLVError on any truncation."""
    out: list[tuple[int, bytes]] = []
    off = 0
    while off < len(buf):
        tag, off = read_tag(buf, off)
        length, off = decode_length(buf, off)
        if off + length > len(buf):
            raise TLVError(f"value of tag {tag:X} truncated")
        out.append((tag, buf[off : off + length]))
        off += length
    return out


def find(buf: bytes, tag: int) -> bytes | None:
    """Value of the first top-level `tag`, or None."""
    for t, v in parse(buf):
        if t == tag:
            return v
    return None


def parse_lv_fields(buf: bytes, count: int, *, ber_fields: tuple[int, ...] = ()) -> list[bytes]:
    """`count` length-value fields (lengths are one byte, or BER for the indexes in ber_fields).

    Returns the fields and, as one extra element, whatever trails them.
    """
    fields: list[bytes] = []
    off = 0
    for i in range(count):
        if i in ber_fields:
            length, off = decode_length(buf, off)
        else:
            if off >= len(buf):
                raise TLVError(f"field {i} missing")
            length, off = buf[off], off + 1
        if off + length > len(buf):
            raise TLVError(f"field {i} truncated")
        fields.append(buf[off : off + length])
        off += length
    fields.append(buf[off:])
    return fields
