"""ISO 7816-4 command and response APDUs, plus the names used in traces.

Encoding is strict in both directions: a command that cannot be expressed
(Lc over 65535, Le over 65536, a header byte out of range) or bytes that match
none of the four cases raise ApduError, never an IndexError.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SHORT_MAX_LC = 255
SHORT_MAX_LE = 256
EXT_MAX_LC = 65535
EXT_MAX_LE = 65536


class ApduError(ValueError):
    """A command or response APDU is malformed or cannot be encoded."""


@dataclass(frozen=True)
class CommandApdu:
    """A command APDU; `le=None` means no Le field, `le=256` is short Le 00."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None
    extended: bool = field(default=False)

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 0 <= value <= 0xFF:
                raise ApduError(f"{name} must be a byte, got {value!r}")
        if not isinstance(self.data, bytes | bytearray):
            raise ApduError("data must be bytes")
        object.__setattr__(self, "data", bytes(self.data))
        if len(self.data) > EXT_MAX_LC:
            raise ApduError(f"data is {len(self.data)} bytes; at most {EXT_MAX_LC} fit an APDU")
        if self.le is not None and not 0 <= self.le <= EXT_MAX_LE:
            raise ApduError(f"Le {self.le} out of range 0..{EXT_MAX_LE}")
        if self.le == 0:
            raise ApduError("Le 0 is not a length; use None for no Le, 256 for short Le 00")
        long_le = self.le is not None and self.le > SHORT_MAX_LE
        if len(self.data) > SHORT_MAX_LC or long_le:
            object.__setattr__(self, "extended", True)
        elif not self.data and self.le is None:
            object.__setattr__(self, "extended", False)  # case 1 has one encoding

    @property
    def case(self) -> int:
        """ISO 7816-3 case: 1 no data no Le, 2 Le only, 3 data only, 4 both."""
        if self.data:
            return 4 if self.le is not None else 3
        return 2 if self.le is not None else 1

    def encode(self) -> bytes:
        header = bytes([self.cla, self.ins, self.p1, self.p2])
        n = len(self.data)
        if not self.extended:
            out = header
            if n:
                out += bytes([n]) + self.data
            if self.le is not None:
                out += bytes([self.le & 0xFF])
            return out
        le_bytes = b""
        if self.le is not None:
            le_bytes = (self.le & 0xFFFF).to_bytes(2, "big")
        if n:
            return header + b"\x00" + n.to_bytes(2, "big") + self.data + le_bytes
        if self.le is not None:
            return header + b"\x00" + le_bytes
        return header

    @classmethod
    def decode(cls, raw: bytes) -> CommandApdu:
        """Parse any of the seven ISO encodings (1, 2S, 3S, 4S, 2E, 3E, 4E)."""
        if not isinstance(raw, bytes | bytearray):
            raise ApduError("APDU must be bytes")
        raw = bytes(raw)
        if len(raw) < 4:
            raise ApduError(f"APDU of {len(raw)} bytes is shorter than its 4-byte header")
        cla, ins, p1, p2 = raw[0], raw[1], raw[2], raw[3]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256)
        b0 = body[0]
        if b0 != 0:
            if len(body) == 1 + b0:
                return cls(cla, ins, p1, p2, body[1:])
            if len(body) == 2 + b0:
                return cls(cla, ins, p1, p2, body[1:-1], le=body[-1] or 256)
            raise ApduError(f"Lc {b0} does not match the {len(body) - 1} bytes that follow")
        # Extended length.
        if len(body) == 3:
            return cls(cla, ins, p1, p2, le=int.from_bytes(body[1:3], "big") or 65536,
                       extended=True)
        if len(body) < 3:
            raise ApduError("truncated extended length field")
        lc = int.from_bytes(body[1:3], "big")
        if lc == 0:
            raise ApduError("extended Lc of 0")
        if len(body) == 3 + lc:
            return cls(cla, ins, p1, p2, body[3:], extended=True)
        if len(body) == 5 + lc:
            le = int.from_bytes(body[-2:], "big") or 65536
            return cls(cla, ins, p1, p2, body[3:-2], le=le, extended=True)
        raise ApduError(f"extended Lc {lc} does not match the {len(body) - 3} bytes that follow")


@dataclass(frozen=True)
class ResponseApdu:
    data: bytes
    sw1: int
    sw2: int

    @property
    def sw(self) -> int:
        return (self.sw1 << 8) | self.sw2

    def encode(self) -> bytes:
        return self.data + bytes([self.sw1, self.sw2])

    @classmethod
    def decode(cls, raw: bytes) -> ResponseApdu:
        if not isinstance(raw, bytes | bytearray) or len(raw) < 2:
            raise ApduError("a response APDU needs at least the two status bytes")
        return cls(bytes(raw[:-2]), raw[-2], raw[-1])


def chain(apdu: CommandApdu, max_data: int = SHORT_MAX_LC) -> list[CommandApdu]:
    """ISO 7816-4 command chaining: split data, CLA bit 0x10 on every part but the last."""
    if max_data < 1:
        raise ApduError("chunk size must be positive")
    if len(apdu.data) <= max_data:
        return [apdu]
    parts = [apdu.data[i : i + max_data] for i in range(0, len(apdu.data), max_data)]
    out = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        out.append(CommandApdu(apdu.cla if last else apdu.cla | 0x10, apdu.ins, apdu.p1, apdu.p2,
                               part, apdu.le if last else None))
    return out


_SW_EXACT = {
    0x9000: "success",
    0x6200: "warning: no information given",
    0x6281: "warning: part of returned data may be corrupted",
    0x6282: "warning: end of file reached before Le bytes",
    0x6283: "warning: selected file invalidated (card locked)",
    0x6284: "warning: FCI not formatted",
    0x6310: "more data available (GET STATUS next)",
    0x6400: "execution error: state of non-volatile memory unchanged",
    0x6438: "imported package not available",
    0x6500: "state of non-volatile memory changed",
    0x6581: "memory failure",
    0x6700: "wrong length",
    0x6881: "logical channel not supported",
    0x6882: "secure messaging not supported",
    0x6883: "last command of the chain expected",
    0x6884: "command chaining not supported",
    0x6982: "security status not satisfied",
    0x6983: "authentication method blocked",
    0x6984: "referenced data invalidated",
    0x6985: "conditions of use not satisfied",
    0x6986: "command not allowed (no current EF)",
    0x6987: "expected secure messaging data objects missing",
    0x6988: "incorrect secure messaging data objects",
    0x6999: "applet selection failed",
    0x6A80: "incorrect parameters in the data field",
    0x6A81: "function not supported",
    0x6A82: "file or application not found",
    0x6A83: "record not found",
    0x6A84: "not enough memory space",
    0x6A86: "incorrect P1 P2",
    0x6A88: "referenced data not found",
    0x6B00: "wrong parameters P1 P2",
    0x6D00: "instruction not supported",
    0x6E00: "class not supported",
    0x6F00: "no precise diagnosis",
    0x9100: "DESFire: operation ok",
    0x910C: "DESFire: no changes",
    0x910E: "DESFire: out of EEPROM",
    0x911C: "DESFire: illegal command code",
    0x911E: "DESFire: integrity error (CRC/MAC)",
    0x9140: "DESFire: no such key",
    0x917E: "DESFire: length error",
    0x919D: "DESFire: permission denied",
    0x919E: "DESFire: parameter error",
    0x91A0: "DESFire: application not found",
    0x91A1: "DESFire: application integrity error",
    0x91AE: "DESFire: authentication error",
    0x91AF: "DESFire: additional frame expected",
    0x91BE: "DESFire: boundary error",
    0x91C1: "DESFire: PICC integrity error",
    0x91CA: "DESFire: command aborted",
    0x91CD: "DESFire: PICC disabled",
    0x91CE: "DESFire: count error",
    0x91DE: "DESFire: duplicate error",
    0x91EE: "DESFire: EEPROM error",
    0x91F0: "DESFire: file not found",
    0x91F1: "DESFire: file integrity error",
    0x9484: "algorithm not supported",
    0x9485: "invalid key check value",
}


def sw_meaning(sw: int) -> str:
    """A short human name for a status word, for traces."""
    if sw in _SW_EXACT:
        return _SW_EXACT[sw]
    sw1, sw2 = sw >> 8, sw & 0xFF
    if sw1 == 0x61:
        return f"{sw2 or 256} more response bytes available"
    if sw1 == 0x6C:
        return f"wrong Le; exact length is {sw2 or 256}"
    if sw1 == 0x63 and sw2 & 0xF0 == 0xC0:
        return f"verification failed, {sw2 & 0x0F} tries left"
    if sw1 == 0x62:
        return "warning: state of non-volatile memory unchanged"
    if sw1 == 0x63:
        return "warning: state of non-volatile memory changed"
    if sw1 == 0x91:
        return f"DESFire status {sw2:02X}"
    return "unknown status"


_INSTALL_P1 = {
    0x02: "INSTALL [for load]",
    0x04: "INSTALL [for install]",
    0x08: "INSTALL [for make selectable]",
    0x0C: "INSTALL [for install and make selectable]",
    0x10: "INSTALL [for extradition]",
    0x20: "INSTALL [for personalization]",
    0x40: "INSTALL [for registry update]",
}

_ISO_INS = {
    0xA4: "SELECT",
    0xCA: "GET DATA",
    0xCB: "GET DATA",
    0x50: "INITIALIZE UPDATE",
    0x82: "EXTERNAL AUTHENTICATE",
    0xE8: "LOAD",
    0xE2: "STORE DATA",
    0xE4: "DELETE",
    0xF2: "GET STATUS",
    0xF0: "SET STATUS",
    0xD8: "PUT KEY",
    0xC0: "GET RESPONSE",
    0x7A: "BEGIN R-MAC SESSION",
    0x78: "END R-MAC SESSION",
    0x70: "MANAGE CHANNEL",
    0xB0: "READ BINARY",
    0xD6: "UPDATE BINARY",
    0xB2: "READ RECORD",
    0x20: "VERIFY",
    0x84: "GET CHALLENGE",
    0x88: "INTERNAL AUTHENTICATE",
}

DESFIRE_COMMANDS = {
    0x60: "GetVersion",
    0x5A: "SelectApplication",
    0x0A: "Authenticate",
    0x1A: "AuthenticateISO",
    0xAA: "AuthenticateAES",
    0xAF: "AdditionalFrame",
    0xCA: "CreateApplication",
    0xDA: "DeleteApplication",
    0x6A: "GetApplicationIDs",
    0x6D: "GetDFNames",
    0xFC: "FormatPICC",
    0x6E: "FreeMemory",
    0x45: "GetKeySettings",
    0x54: "ChangeKeySettings",
    0x64: "GetKeyVersion",
    0xC4: "ChangeKey",
    0x6F: "GetFileIDs",
    0x61: "GetISOFileIDs",
    0xF5: "GetFileSettings",
    0x5F: "ChangeFileSettings",
    0xCD: "CreateStdDataFile",
    0xCB: "CreateBackupDataFile",
    0xCC: "CreateValueFile",
    0xC1: "CreateLinearRecordFile",
    0xC0: "CreateCyclicRecordFile",
    0xDF: "DeleteFile",
    0xBD: "ReadData",
    0x3D: "WriteData",
    0xBB: "ReadRecords",
    0x3B: "WriteRecord",
    0x6C: "GetValue",
    0x0C: "Credit",
    0xDC: "Debit",
    0x1C: "LimitedCredit",
    0xC7: "CommitTransaction",
    0xA7: "AbortTransaction",
    0xEB: "ClearRecordFile",
    0x5C: "SetConfiguration",
    0x51: "GetCardUID",
}


def command_name(apdu: bytes) -> str:
    """The command's name for traces; secure-messaging CLA (84, 04) decodes like the plain one."""
    if len(apdu) < 4:
        return "(malformed APDU)"
    cla, ins, p1 = apdu[0], apdu[1], apdu[2]
    if cla == 0x90:
        return "DESFire " + DESFIRE_COMMANDS.get(ins, f"command {ins:02X}")
    if ins == 0xE6:
        return _INSTALL_P1.get(p1 & 0x7F, f"INSTALL [P1={p1:02X}]")
    return _ISO_INS.get(ins, f"INS {ins:02X}")
