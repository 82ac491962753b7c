"""Reading a card's identity the way API.md section 4 and fdsm do it.

Order: (reader UID) -> SELECT ISD -> [FF CA UID on PC/SC] -> GET DATA CPLC,
CIN (45), IIN (42) -> SELECT the platform applet (FCI: 45 CIN, 42 batch id),
else the older batch applet (42 batch id) -> empty SELECT, so no Fidesmo
applet stays selected. Buggy answers are fixed up as fdsm does
(reference/fidesmo-api.md section 6): a trailing 00 is dropped, a 16-byte
`42 03 .. 43 06 ..` answer gets its tag-43 length corrected to 5, and
whatever still does not parse is read leniently up to the first bad object.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from app import tlv
from app.errors import ApduError, TlvError

ISD_SELECT = bytes.fromhex("00A4040000")
GET_CPLC = bytes.fromhex("80CA9F7F00")
GET_CIN = bytes.fromhex("80CA004500")
GET_IIN = bytes.fromhex("80CA004200")
GET_UID = bytes.fromhex("FFCA000000")
PLATFORM_AID = bytes.fromhex("A00000061702000900010101")
BATCH_AID = bytes.fromhex("A000000617020002000002")
SD_PREFIX = bytes.fromhex("A00000061701")

# CPLC prefix (fabricator, IC type, OS id, OS date, OS level) -> platform [fdsm FidesmoCard]
CPLC_PLATFORMS: dict[bytes, str] = {
    bytes.fromhex("47905168479112103800"): "JCOP242R1",
    bytes.fromhex("47905075479120813B00"): "JCOP242R2",
    bytes.fromhex("47906B644700E4D80300"): "JCOP3EMV",
    bytes.fromhex("47900503821163510302"): "JCOP3SECID",
    bytes.fromhex("475000B8475072485431"): "ST31",
    bytes.fromhex("40901889198173220100"): "OPTELIO",
    bytes.fromhex("4790D321470000000000"): "JCOP4",
}

Transmit = Callable[[bytes], Awaitable[bytes]]


class IdentityError(ApduError):
    """The card does not identify itself (no ISD, no CIN): not a card this touch point serves."""


@dataclass
class CardIdentity:
    """Who the card is; `platform_version` comes from the backend (GET devices/{cin})."""

    cin: bytes
    iin: bytes | None = None
    uid: bytes | None = None
    cplc: bytes | None = None
    batch_id: int | None = None
    atr: bytes | None = None
    isd_aid: bytes | None = None
    platform_version: int | None = None
    os_type_version: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cin_hex(self) -> str:
        return self.cin.hex().upper()

    @property
    def printable_cin(self) -> str:
        """First 3 bytes, dash, the rest (fdsm style: 0E4880-0471400A)."""
        h = self.cin_hex
        return f"{h[:6]}-{h[6:]}" if len(h) > 6 else h

    @property
    def platform(self) -> str:
        return detect_platform(self.cplc)

    def card_id(self) -> dict[str, Any]:
        """The `cardId` object of `service/deliver`."""
        return {
            "iin": self.iin.hex().upper() if self.iin else None,
            "cin": self.cin_hex,
            "platformVersion": self.platform_version,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "cin": self.cin_hex,
            "printableCin": self.printable_cin,
            "iin": self.iin.hex().upper() if self.iin else None,
            "uid": self.uid.hex().upper() if self.uid else None,
            "batchId": self.batch_id,
            "cplc": self.cplc.hex().upper() if self.cplc else None,
            "platform": self.platform,
            "platformVersion": self.platform_version,
            "osTypeVersion": self.os_type_version,
            "atr": self.atr.hex().upper() if self.atr else None,
            "isdAid": self.isd_aid.hex().upper() if self.isd_aid else None,
        }


def detect_platform(cplc: bytes | None) -> str:
    if not cplc:
        return "UNKNOWN"
    for prefix, name in CPLC_PLATFORMS.items():
        if cplc[: len(prefix)] == prefix:
            return name
    return "UNKNOWN"


def _valid(data: bytes) -> bool:
    try:
        tlv.parse(data)
        return True
    except TlvError:
        return False


def fixup(data: bytes) -> bytes:
    """fdsm's two fixes for buggy platform/batch applet answers."""
    if _valid(data):
        return data
    if data and data[-1] == 0x00 and _valid(data[:-1]):
        return data[:-1]
    if len(data) == 16 and data[0] == 0x42 and data[1] == 0x03 and data[5] == 0x43 \
            and data[6] == 0x06:
        fixed = bytearray(data)
        fixed[6] = 0x05
        if _valid(bytes(fixed)):
            return bytes(fixed)
    return data


def parse_fci(data: bytes) -> list[tlv.Tlv]:
    """Objects of an answer, after fixups; lenient so a partly broken answer still helps."""
    data = fixup(data)
    try:
        return tlv.parse(data)
    except TlvError:
        return tlv.parse_lenient(data)


def _ok(rsp: bytes) -> tuple[bytes, bool]:
    if len(rsp) < 2:
        return b"", False
    return rsp[:-2], rsp[-2:] == b"\x90\x00"


def _tag_value(data: bytes, tag: int) -> bytes | None:
    obj = tlv.find(parse_fci(data), tag)
    return obj.value if obj is not None else None


def select(aid: bytes) -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x00, len(aid)]) + aid + b"\x00"


async def read_identity(
    transmit: Transmit,
    *,
    uid: bytes | None = None,
    atr: bytes | None = None,
    try_reader_uid: bool = False,
) -> CardIdentity:
    """Runs the probe sequence; raises IdentityError when the card has no CIN at all."""
    cplc = cin = iin = isd_aid = None
    batch_id: int | None = None

    data, ok = _ok(await transmit(ISD_SELECT))
    isd_ok = ok
    if ok:
        isd_aid = _tag_value(data, 0x84)
    if try_reader_uid and uid is None and isd_ok:
        # only after SELECT ISD, so a reader that forwards FF CA to the card gets a sane 6Dxx/6Exx
        data, ok = _ok(await transmit(GET_UID))
        if ok and len(data) in (4, 7, 10):
            uid = data
    if isd_ok:
        data, ok = _ok(await transmit(GET_CPLC))
        if ok and data:
            cplc = data[3:] if data[:3] == b"\x9f\x7f\x2a" else data
        data, ok = _ok(await transmit(GET_CIN))
        if ok and data:
            cin = _tag_value(data, 0x45) or None
        data, ok = _ok(await transmit(GET_IIN))
        if ok and data:
            iin = _tag_value(data, 0x42) or None

    data, ok = _ok(await transmit(select(PLATFORM_AID)))
    if ok:
        value = _tag_value(data, 0x45)
        if value:
            cin = value
        value = _tag_value(data, 0x42)
        if value:
            batch_id = int.from_bytes(value, "big")
    else:
        data, ok = _ok(await transmit(select(BATCH_AID)))
        if ok:
            value = _tag_value(data, 0x42)
            if value:
                batch_id = int.from_bytes(value, "big")
    # leave nothing of ours selected (fdsm does the same before a delivery)
    await transmit(ISD_SELECT)

    if not cin:
        raise IdentityError("the card has no CIN: not a card this touch point can serve "
                            "(no GlobalPlatform ISD or platform applet answered)")
    return CardIdentity(cin=cin, iin=iin, uid=uid, cplc=cplc, batch_id=batch_id, atr=atr,
                        isd_aid=isd_aid)


async def list_sp_domains(transmit: Transmit) -> list[str]:
    """App ids whose security domain is on the card (SELECT by partial AID, then next)."""
    apps: list[str] = []
    p2 = 0x00
    for _ in range(64):
        cmd = bytes([0x00, 0xA4, 0x04, p2, len(SD_PREFIX)]) + SD_PREFIX + b"\x00"
        data, ok = _ok(await transmit(cmd))
        if not ok:
            break
        aid = _tag_value(data, 0x84)
        if aid and len(aid) >= 10:
            apps.append(aid[6:10].hex())
        p2 = 0x02
    await transmit(ISD_SELECT)
    return apps
