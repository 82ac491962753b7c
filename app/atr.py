"""Just enough ATR parsing to decide two things: protocols and extended-length support.

ISO 7816-3 8.2: TS T0 (TAi TBi TCi TDi)* historical-bytes [TCK]. Card
capabilities (ISO 7816-4 8.1.1.2.7, compact TLV tag 7x in the historical
bytes after the category indicator 80) tell whether the card takes extended
Lc/Le (third software-function byte, bit 0x40). PC/SC synthesizes ATRs
`3B 8n 80 01 ...` for contactless cards (PC/SC part 3), which we flag too.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AtrInfo:
    """What the touch point cares about in an ATR."""

    raw: bytes
    protocols: tuple[int, ...] = field(default=(0,))
    historical: bytes = b""
    extended_length: bool = False
    contactless: bool = False
    valid: bool = True


def parse_atr(atr: bytes) -> AtrInfo:
    """Never raises: a malformed ATR yields `valid=False` and conservative defaults."""
    atr = bytes(atr)
    if len(atr) < 2 or atr[0] not in (0x3B, 0x3F):
        return AtrInfo(atr, valid=False)
    t0 = atr[1]
    k = t0 & 0x0F
    y = t0 >> 4
    pos = 2
    protocols: list[int] = []
    try:
        while True:
            for bit in (0x1, 0x2, 0x4):  # TA, TB, TC
                if y & bit:
                    pos += 1
            if y & 0x8:
                td = atr[pos]
                pos += 1
                protocols.append(td & 0x0F)
                y = td >> 4
            else:
                break
        if pos + k > len(atr):
            return AtrInfo(atr, valid=False)
        hist = atr[pos : pos + k]
    except IndexError:
        return AtrInfo(atr, valid=False)
    protos = tuple(dict.fromkeys(p for p in protocols if p != 15)) or (0,)
    contactless = (len(hist) >= 2 and hist[0] == 0x80 and hist[1] == 0x4F) or (
        len(atr) >= 4 and atr[1] & 0xF0 == 0x80 and atr[2] == 0x80 and atr[3] == 0x01
    )
    return AtrInfo(atr, protos, hist, _extended_from_historical(hist), contactless)


def _extended_from_historical(hist: bytes) -> bool:
    if not hist or hist[0] != 0x80:
        return False
    pos = 1
    while pos < len(hist):
        tag, length = hist[pos] >> 4, hist[pos] & 0x0F
        value = hist[pos + 1 : pos + 1 + length]
        if len(value) < length:
            return False
        if tag == 0x7 and length >= 3:
            return bool(value[2] & 0x40)
        pos += 1 + length
    return False
