"""ISO 7816-4 command APDU parsing (short and extended, cases 1-4)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from cardsim.errors import SW_WRONG_LENGTH, SWError


@dataclass(frozen=True)
class CommandAPDU:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    ne: int | None = None  # expected response length; None = no Le field (case 1/3)
    extended: bool = False

    @property
    def header(self) -> bytes:
        return bytes([self.cla, self.ins, self.p1, self.p2])

    def with_data(self, data: bytes, *, cla: int | None = None) -> CommandAPDU:
        return replace(self, data=data, cla=self.cla if cla is None else cla)

    def to_bytes(self) -> bytes:
        """Encodes back to wire form (short unless `extended` or too long for short)."""
        ext = self.extended or len(self.data) > 255 or (self.ne or 0) > 256
        out = self.header
        if self.data:
            out += (b"\x00" + len(self.data).to_bytes(2, "big")) if ext else bytes([len(self.data)])
            out += self.data
        if self.ne is not None:
            if ext:
                le = (self.ne % 65536).to_bytes(2, "big")
                out += le if self.data else b"\x00" + le
            else:
                out += bytes([self.ne % 256])
        return out


def parse_apdu(raw: bytes) -> CommandAPDU:
    """Parses a command APDU; any length inconsistency raises SWError(6700)."""
    n = len(raw)
    if n < 4:
        raise SWError(SW_WRONG_LENGTH, "APDU shorter than a header")
    cla, ins, p1, p2 = raw[0], raw[1], raw[2], raw[3]
    if n == 4:
        return CommandAPDU(cla, ins, p1, p2)
    b1 = raw[4]
    if n == 5:
        return CommandAPDU(cla, ins, p1, p2, ne=b1 or 256)
    if b1 != 0:
        lc = b1
        if n == 5 + lc:
            return CommandAPDU(cla, ins, p1, p2, raw[5:])
        if n == 6 + lc:
            return CommandAPDU(cla, ins, p1, p2, raw[5 : 5 + lc], ne=raw[-1] or 256)
        raise SWError(SW_WRONG_LENGTH, "Lc does not match the APDU length")
    # b1 == 0 with more bytes: extended form.
    if n < 7:
        raise SWError(SW_WRONG_LENGTH, "Lc=0 in short form")
    word = int.from_bytes(raw[5:7], "big")
    if n == 7:
        return CommandAPDU(cla, ins, p1, p2, ne=word or 65536, extended=True)
    lc = word
    if lc == 0:
        raise SWError(SW_WRONG_LENGTH, "extended Lc=0")
    if n == 7 + lc:
        return CommandAPDU(cla, ins, p1, p2, raw[7:], extended=True)
    if n == 9 + lc:
        le = int.from_bytes(raw[-2:], "big")
        return CommandAPDU(cla, ins, p1, p2, raw[7 : 7 + lc], ne=le or 65536, extended=True)
    raise SWError(SW_WRONG_LENGTH, "extended Lc does not match the APDU length")
