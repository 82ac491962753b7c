"""What an applet behaviour implements; the card keeps `state` in its JSON file.

The card calls `select`, `process` and `store_data` with the instance's state
loaded; any change to `self.state` is saved when the command succeeds and
discarded when it ends with an error status word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cardsim.apdu import CommandAPDU
from cardsim.errors import SW_INS_NOT_SUPPORTED, SW_OK, SWError
from cardsim.tlv import TLVError, tlv

FORMAT_NONE, FORMAT_DGI, FORMAT_BER = "none", "dgi", "ber"


@dataclass(frozen=True)
class CardInfo:
    """Card identity an applet may show (the platform applet does)."""

    iin: bytes
    cin: bytes
    batch_id: int


@dataclass(frozen=True)
class StoreDataBlock:
    """One STORE DATA block forwarded by the security domain (GP 2.3.1 11.11)."""

    p1: int
    block_number: int
    data: bytes

    @property
    def last(self) -> bool:
        return bool(self.p1 & 0x80)

    @property
    def data_format(self) -> str:
        return {0x08: FORMAT_DGI, 0x10: FORMAT_BER}.get(self.p1 & 0x18, FORMAT_NONE)


@dataclass(frozen=True)
class Response:
    data: bytes = b""
    sw: int = SW_OK


def parse_dgis(data: bytes) -> list[tuple[int, bytes]]:
    """DGI records: 2-byte DGI, length 1 byte (or FF + 2 bytes), value."""
    out: list[tuple[int, bytes]] = []
    off = 0
    while off < len(data):
        if off + 3 > len(data):
            raise TLVError("truncated DGI header")
        dgi = int.from_bytes(data[off : off + 2], "big")
        length = data[off + 2]
        off += 3
        if length == 0xFF:
            if off + 2 > len(data):
                raise TLVError("truncated DGI length")
            length = int.from_bytes(data[off : off + 2], "big")
            off += 2
        if off + length > len(data):
            raise TLVError(f"DGI {dgi:04X} truncated")
        out.append((dgi, data[off : off + length]))
        off += length
    return out


class Applet:
    """A card-side applet; subclasses set `package_aid` and override what they support."""

    package_aid: ClassVar[bytes] = b""
    name: ClassVar[str] = "generic"

    def __init__(self, aid: bytes, state: dict[str, Any], card: CardInfo) -> None:
        self.aid = aid
        self.state = state
        self.card = card

    def install(self, params: bytes) -> None:
        """Called once by INSTALL [for install] with the C9 parameters; raise SWError to refuse."""

    def select(self) -> bytes:
        """FCI returned on SELECT: 6F { 84 AID }."""
        return tlv(0x6F, tlv(0x84, self.aid))

    def process(self, apdu: CommandAPDU) -> Response:
        raise SWError(SW_INS_NOT_SUPPORTED)

    def store_data(self, block: StoreDataBlock) -> bytes:
        """Data sent after INSTALL [for personalization]; returns the response data."""
        return b""
