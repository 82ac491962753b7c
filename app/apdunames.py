"""Names of commands and meanings of status words, for the APDU trace.

The touch point shows testers what the backend's script does on the card:
GlobalPlatform card content management, ISO 7816-4 basics, and MIFARE DESFire
EV1 native commands wrapped in CLA 90 (gp-apdu.md sections 1.3 and 3).
"""

from __future__ import annotations

_ISO_GP: dict[int, str] = {
    0x04: "DEACTIVATE FILE",
    0x0E: "ERASE BINARY",
    0x20: "VERIFY",
    0x24: "CHANGE REFERENCE DATA",
    0x2C: "RESET RETRY COUNTER",
    0x44: "ACTIVATE FILE",
    0x50: "INITIALIZE UPDATE",
    0x70: "MANAGE CHANNEL",
    0x78: "END R-MAC SESSION",
    0x7A: "BEGIN R-MAC SESSION",
    0x82: "EXTERNAL AUTHENTICATE",
    0x84: "GET CHALLENGE",
    0x88: "INTERNAL AUTHENTICATE",
    0xA4: "SELECT",
    0xB0: "READ BINARY",
    0xB2: "READ RECORD",
    0xC0: "GET RESPONSE",
    0xCA: "GET DATA",
    0xCB: "GET DATA",
    0xD6: "UPDATE BINARY",
    0xD8: "PUT KEY",
    0xDC: "UPDATE RECORD",
    0xE2: "STORE DATA",
    0xE4: "DELETE",
    0xE6: "INSTALL",
    0xE8: "LOAD",
    0xF0: "SET STATUS",
    0xF2: "GET STATUS",
}

_INSTALL_FOR = {
    0x02: "for load",
    0x04: "for install",
    0x08: "for make selectable",
    0x0C: "for install and make selectable",
    0x10: "for extradition",
    0x20: "for personalization",
    0x40: "for registry update",
}

_GET_DATA = {
    0x9F7F: "CPLC",
    0x0042: "IIN",
    0x0045: "CIN",
    0x0066: "Card Data",
    0x00E0: "Key Information Template",
    0x00CF: "Key Derivation Data",
    0xBF21: "ISD certificate",
}

_GET_STATUS = {0x80: "ISD", 0x40: "applications", 0x20: "load files",
               0x10: "load files and modules"}

_DESFIRE: dict[int, str] = {
    0x0A: "Authenticate",
    0x0C: "Credit",
    0x1A: "AuthenticateISO",
    0x1C: "LimitedCredit",
    0x3B: "WriteRecord",
    0x3D: "WriteData",
    0x45: "GetKeySettings",
    0x51: "GetCardUID",
    0x54: "ChangeKeySettings",
    0x5A: "SelectApplication",
    0x5C: "SetConfiguration",
    0x5F: "ChangeFileSettings",
    0x60: "GetVersion",
    0x61: "GetISOFileIDs",
    0x64: "GetKeyVersion",
    0x6A: "GetApplicationIDs",
    0x6C: "GetValue",
    0x6D: "GetDFNames",
    0x6E: "GetFreeMemory",
    0x6F: "GetFileIDs",
    0xA7: "AbortTransaction",
    0xAA: "AuthenticateAES",
    0xAF: "AdditionalFrame",
    0xBB: "ReadRecords",
    0xBD: "ReadData",
    0xC0: "CreateCyclicRecordFile",
    0xC1: "CreateLinearRecordFile",
    0xC4: "ChangeKey",
    0xC7: "CommitTransaction",
    0xCA: "CreateApplication",
    0xCB: "CreateBackupDataFile",
    0xCC: "CreateValueFile",
    0xCD: "CreateStdDataFile",
    0xDA: "DeleteApplication",
    0xDC: "Debit",
    0xDF: "DeleteFile",
    0xEB: "ClearRecordFile",
    0xF5: "GetFileSettings",
    0xFC: "FormatPICC",
}

_SW: dict[int, str] = {
    0x9000: "OK",
    0x6200: "warning: no information",
    0x6281: "warning: part of the data may be corrupted",
    0x6282: "warning: end of file reached",
    0x6283: "warning: selected file invalidated (card locked)",
    0x6310: "more data available",
    0x6400: "execution error",
    0x6581: "memory failure",
    0x6700: "wrong length",
    0x6881: "logical channel not supported",
    0x6882: "secure messaging not supported",
    0x6883: "last command of the chain expected",
    0x6884: "command chaining not supported",
    0x6982: "security status not satisfied",
    0x6983: "authentication method blocked",
    0x6984: "reference data not usable",
    0x6985: "conditions of use not satisfied",
    0x6986: "command not allowed",
    0x6987: "secure messaging data objects missing",
    0x6988: "secure messaging data objects incorrect",
    0x6999: "applet selection failed",
    0x6A80: "incorrect data",
    0x6A81: "function not supported",
    0x6A82: "application or file not found",
    0x6A84: "not enough memory",
    0x6A86: "incorrect P1 P2",
    0x6A88: "referenced data not found",
    0x6B00: "wrong P1 P2",
    0x6D00: "instruction not supported",
    0x6E00: "class not supported",
    0x6F00: "no precise diagnosis",
    0x9484: "algorithm not supported",
    0x9485: "invalid key check value",
}

_DESFIRE_SW: dict[int, str] = {
    0x00: "OK",
    0x0C: "no changes",
    0x0E: "out of EEPROM",
    0x1C: "illegal command",
    0x1E: "integrity error",
    0x40: "no such key",
    0x7E: "length error",
    0x9D: "permission denied",
    0x9E: "parameter error",
    0xA0: "application not found",
    0xA1: "application integrity error",
    0xAE: "authentication error",
    0xAF: "additional frame",
    0xBE: "boundary error",
    0xC1: "PICC integrity error",
    0xCA: "command aborted",
    0xCD: "PICC disabled",
    0xCE: "count error",
    0xDE: "duplicate",
    0xEE: "EEPROM error",
    0xF0: "file not found",
    0xF1: "file integrity error",
}


def command_name(apdu: bytes) -> str:
    """A readable name for a command APDU ("INSTALL [for load]", "DESFire CreateApplication")."""
    if len(apdu) < 4:
        return "malformed APDU"
    cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
    if cla == 0xFF:
        if ins == 0xCA:
            return "GET UID (reader)" if p1 == 0 else "GET ATS (reader)"
        return "reader pseudo-APDU"
    if cla == 0x90:
        name = _DESFIRE.get(ins)
        return f"DESFire {name}" if name else f"DESFire command {ins:02X}"
    name = _ISO_GP.get(ins)
    if name is None:
        return f"command {cla:02X} {ins:02X}"
    if ins == 0xE6:
        name = f"INSTALL [{_INSTALL_FOR.get(p1 & 0x7E, f'P1={p1:02X}')}]"
    elif ins == 0xE8:
        name = f"LOAD [block {p2}{', last' if p1 & 0x80 else ''}]"
    elif ins == 0xE4:
        name = "DELETE [with related objects]" if p2 & 0x80 else "DELETE"
    elif ins in (0xCA, 0xCB):
        tag = _GET_DATA.get((p1 << 8) | p2)
        if tag:
            name = f"GET DATA [{tag}]"
    elif ins == 0xF2:
        scope = _GET_STATUS.get(p1)
        if scope:
            name = f"GET STATUS [{scope}]"
    elif ins == 0xA4:
        if p1 == 0x04:
            name = "SELECT [next]" if p2 & 0x03 == 0x02 else "SELECT"
        elif p1 in (0x00, 0x01, 0x02, 0x08, 0x09):
            name = "SELECT FILE"
    elif ins == 0xF0:
        name = "SET STATUS [lock]" if p2 & 0x80 and p1 == 0x40 else (
            "SET STATUS [unlock]" if p1 == 0x40 else "SET STATUS")
    elif ins == 0xE2:
        name = f"STORE DATA [block {p2}{', last' if p1 & 0x80 else ''}]"
    # secure messaging: GP proprietary class bit 04, or ISO first interindustry bits 0C
    if (cla & 0x04 and cla & 0x80) or (cla & 0x0C and not cla & 0xE0):
        name += " (secure)"
    return name


def sw_meaning(sw: int) -> str:
    """A readable meaning for a status word (ISO 7816-4, GlobalPlatform, DESFire 91xx)."""
    if sw in _SW:
        return _SW[sw]
    hi, lo = sw >> 8, sw & 0xFF
    if hi == 0x61:
        return f"more data: {lo or 256} bytes"
    if hi == 0x6C:
        return f"wrong Le: the card has {lo or 256} bytes"
    if hi == 0x63 and lo & 0xF0 == 0xC0:
        return f"verification failed, {lo & 0x0F} tries left"
    if hi == 0x91:
        return "DESFire " + _DESFIRE_SW.get(lo, f"status {lo:02X}")
    if hi == 0x62:
        return "warning: state unchanged"
    if hi == 0x63:
        return "warning: state changed"
    if hi == 0x64:
        return "execution error"
    if hi == 0x65:
        return "memory changed, error"
    if hi == 0x67:
        return "wrong length"
    if hi == 0x68:
        return "function in CLA not supported"
    if hi == 0x69:
        return "command not allowed"
    if hi == 0x6A:
        return "wrong parameters"
    return "unknown status"


# Commands whose data carries a secret in clear when sent without secure messaging.
_SECRET_DATA_INS = {0x20, 0x24, 0x2C}


def redact(apdu: bytes) -> bytes | None:
    """A version of `apdu` safe to show, or None when it holds nothing secret.

    PIN commands (VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER) carry
    PINs in clear unless wrapped; everything the backend sends with secrets is
    inside a secure channel, so this is a last line of defence for the trace.
    """
    if len(apdu) > 5 and apdu[0] & 0x80 == 0 and apdu[1] in _SECRET_DATA_INS and not apdu[0] & 0x0C:
        return apdu[:4] + bytes([len(apdu) - 5]) + b"\x2A" * (len(apdu) - 5)
    return None
