"""MIFARE DESFire EV1 host side: native commands, authentication, secure messaging.

Native commands travel ISO 7816-wrapped (`90 INS 00 00 Lc data 00`). After an
EV1 authentication (AES 0xAA, ISO 0x1A) one running IV chains every message:
commands are CMACed (sent or not) or enciphered with a DESFire CRC32, and each
answer's CMAC or ciphertext moves the IV on, so the next command depends on
the last answer. Legacy 0x0A authentication is supported for plain traffic
only. Rules follow libfreefare (gp-apdu.md section 3).
"""

from __future__ import annotations

import hmac
import os
import zlib
from dataclasses import dataclass
from typing import Any

from backend_stub.compiler.crypto import BlockCipher

KEY_LENGTHS = {"AES": 16, "3K3DES": 24, "2K3DES": 16, "DES": 8}
STATUS_OK, STATUS_MORE = 0x00, 0xAF
MAX_FRAME_DATA = 47  # keeps each wrapped APDU within the 55 bytes libfreefare allows

CMD_SELECT, CMD_CREATE_APP, CMD_DELETE_APP, CMD_GET_AIDS = 0x5A, 0xCA, 0xDA, 0x6A
CMD_CHANGE_KEY, CMD_CREATE_STD_FILE, CMD_READ, CMD_WRITE = 0xC4, 0xCD, 0xBD, 0x3D
CMD_MORE = 0xAF
AUTH_LEGACY, AUTH_ISO, AUTH_AES = 0x0A, 0x1A, 0xAA

# Bytes after the command code that stay clear in enciphered mode (commands carrying data).
ENC_HEADER = {0x3D: 7, 0x3B: 7, 0x0C: 1, 0xDC: 1, 0x1C: 1, 0x54: 0, 0x5F: 1, 0x5C: 1, 0xC4: 1}
# Commands whose answer data is enciphered in enciphered mode.
ENC_ANSWER = {0xBD, 0xBB, 0x6C}
COMMUNICATION = ("plain", "mac", "enc")


class DesfireError(ValueError):
    """Bad DESFire parameters, a malformed answer or a failed cryptographic check."""


def crc32(data: bytes) -> bytes:
    """DESFire CRC32: reflected EDB88320, init FFFFFFFF, no final XOR, little-endian."""
    return ((zlib.crc32(data) ^ 0xFFFFFFFF) & 0xFFFFFFFF).to_bytes(4, "little")


def rotl(data: bytes) -> bytes:
    return data[1:] + data[:1]


@dataclass(frozen=True)
class DesfireKey:
    """A DESFire key. DES keys are 8 bytes (or 16 with equal halves, normalised to 8)."""

    key_type: str
    key: bytes
    version: int = 0
    legacy: bool = False

    def __post_init__(self) -> None:
        if self.key_type not in KEY_LENGTHS:
            raise DesfireError(f"key type {self.key_type!r} must be one of"
                               f" {', '.join(KEY_LENGTHS)}")
        key = bytes(self.key)
        if self.key_type == "DES" and len(key) == 16 and key[:8] == key[8:]:
            key = key[:8]
        if len(key) != KEY_LENGTHS[self.key_type]:
            raise DesfireError(f"{self.key_type} key must be {KEY_LENGTHS[self.key_type]} bytes,"
                               f" got {len(key)}")
        object.__setattr__(self, "key", key)
        if not 0 <= self.version <= 0xFF:
            raise DesfireError("key version must be a byte")
        if self.legacy and self.key_type not in ("DES", "2K3DES"):
            raise DesfireError("legacy authentication exists only for DES and 2K3DES keys")

    @classmethod
    def default(cls, key_type: str) -> DesfireKey:
        """The factory key of a new application: all zeros."""
        if key_type not in KEY_LENGTHS:
            raise DesfireError(f"unknown key type {key_type!r}")
        return cls(key_type, bytes(KEY_LENGTHS[key_type]))

    @property
    def is_aes(self) -> bool:
        return self.key_type == "AES"

    @property
    def auth_ins(self) -> int:
        if self.legacy:
            return AUTH_LEGACY
        return AUTH_AES if self.is_aes else AUTH_ISO

    @property
    def rnd_len(self) -> int:
        return 16 if self.key_type in ("AES", "3K3DES") else 8

    @property
    def wire_bytes(self) -> bytes:
        """Key as ChangeKey carries it: DES keys are sent doubled to 16 bytes."""
        return self.key * 2 if self.key_type == "DES" else self.key

    def cipher(self) -> BlockCipher:
        return BlockCipher(self.key, self.is_aes)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.key_type, "key": self.key.hex(), "version": self.version,
                "legacy": self.legacy}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DesfireKey:
        return cls(d["type"], bytes.fromhex(d["key"]), int(d.get("version", 0)),
                   bool(d.get("legacy", False)))


# --- ISO 7816-4 wrapping ---

def wrap_native(native: bytes) -> bytes:
    """`INS data` -> `90 INS 00 00 [Lc data] 00`."""
    if not native:
        raise DesfireError("empty native command")
    if len(native) - 1 > 255:
        raise DesfireError("native command data over 255 bytes; split it into frames")
    data = native[1:]
    if data:
        return bytes([0x90, native[0], 0, 0, len(data)]) + data + b"\x00"
    return bytes([0x90, native[0], 0, 0, 0])


def frames(native: bytes, max_data: int = MAX_FRAME_DATA) -> list[bytes]:
    """Split one native command into ISO-wrapped frames; later frames use INS AF."""
    if not native:
        raise DesfireError("empty native command")
    data = native[1:]
    if len(data) <= max_data:
        return [wrap_native(native)]
    parts = [data[i : i + max_data] for i in range(0, len(data), max_data)]
    return [wrap_native(bytes([native[0] if i == 0 else CMD_MORE]) + part)
            for i, part in enumerate(parts)]


def split_answer(raw: bytes) -> tuple[bytes, int]:
    """ISO answer `data 91 xx` -> (data, native status)."""
    if len(raw) < 2 or raw[-2] != 0x91:
        raise DesfireError(f"not a DESFire answer (SW1 must be 91): {raw.hex().upper()}")
    return bytes(raw[:-2]), raw[-1]


# --- native command builders ---

def _aid(aid: bytes) -> bytes:
    if len(aid) != 3:
        raise DesfireError("a DESFire AID is 3 bytes")
    return bytes(aid)


def select_application(aid: bytes) -> bytes:
    """SelectApplication; AIDs are given as displayed and sent little-endian on the wire."""
    return bytes([CMD_SELECT]) + _aid(aid)[::-1]


def create_application(aid: bytes, key_settings: int, n_keys: int, key_type: str) -> bytes:
    if not 1 <= n_keys <= 14:
        raise DesfireError("an application has 1 to 14 keys")
    if not 0 <= key_settings <= 0xFF:
        raise DesfireError("key settings are one byte")
    type_bits = {"AES": 0x80, "3K3DES": 0x40, "2K3DES": 0x00, "DES": 0x00}.get(key_type)
    if type_bits is None:
        raise DesfireError(f"key type {key_type!r} must be AES, 3K3DES, 2K3DES or DES")
    return bytes([CMD_CREATE_APP]) + _aid(aid)[::-1] + bytes([key_settings, type_bits | n_keys])


def delete_application(aid: bytes) -> bytes:
    return bytes([CMD_DELETE_APP]) + _aid(aid)[::-1]


def get_application_ids() -> bytes:
    return bytes([CMD_GET_AIDS])


def parse_application_ids(data: bytes) -> list[bytes]:
    """GetApplicationIDs answer data -> AIDs (as displayed, big-endian)."""
    if len(data) % 3:
        raise DesfireError(f"application id list of {len(data)} bytes is not a multiple of 3")
    return [data[i : i + 3][::-1] for i in range(0, len(data), 3)]


def create_std_data_file(file_no: int, comm: int, access_rights: int, size: int) -> bytes:
    """CreateStdDataFile: fileNo comm access(2, LE) size(3, LE)."""
    if not 0 <= file_no <= 0x1F or comm not in (0, 1, 3):
        raise DesfireError("file number 0..31 and communication 00, 01 or 03")
    if not 0 <= access_rights <= 0xFFFF or not 0 < size < 1 << 24:
        raise DesfireError("access rights are 2 bytes and size 1..16M")
    return (bytes([CMD_CREATE_STD_FILE, file_no, comm]) + access_rights.to_bytes(2, "little")
            + size.to_bytes(3, "little"))


def write_data(file_no: int, offset: int, data: bytes) -> bytes:
    if not 0 <= file_no <= 0x1F or not 0 <= offset < 1 << 24 or not 0 < len(data) < 1 << 24:
        raise DesfireError("bad WriteData file number, offset or length")
    return (bytes([CMD_WRITE, file_no]) + offset.to_bytes(3, "little")
            + len(data).to_bytes(3, "little") + data)


def read_data(file_no: int, offset: int = 0, length: int = 0) -> bytes:
    if not 0 <= file_no <= 0x1F or not 0 <= offset < 1 << 24 or not 0 <= length < 1 << 24:
        raise DesfireError("bad ReadData file number, offset or length")
    return (bytes([CMD_READ, file_no]) + offset.to_bytes(3, "little")
            + length.to_bytes(3, "little"))


# --- authentication ---

def session_key(key: DesfireKey, rnd_a: bytes, rnd_b: bytes) -> bytes:
    a, b = rnd_a, rnd_b
    if key.key_type == "AES":
        return a[0:4] + b[0:4] + a[12:16] + b[12:16]
    if key.key_type == "3K3DES":
        return a[0:4] + b[0:4] + a[6:10] + b[6:10] + a[12:16] + b[12:16]
    if key.key_type == "2K3DES":
        return a[0:4] + b[0:4] + a[4:8] + b[4:8]
    return a[0:4] + b[0:4]


class DesfireAuth:
    """Host side of one authentication: command, answer the challenge, check the card."""

    def __init__(self, key: DesfireKey, key_no: int, rnd_a: bytes | None = None) -> None:
        if not 0 <= key_no <= 0x0D:
            raise DesfireError("key number must be 0..13")
        self.key = key
        self.key_no = key_no
        self.rnd_a = rnd_a if rnd_a is not None else os.urandom(key.rnd_len)
        if len(self.rnd_a) != key.rnd_len:
            raise DesfireError(f"RndA must be {key.rnd_len} bytes")
        self.rnd_b = b""
        self.iv = b""

    def command(self) -> bytes:
        return bytes([self.key.auth_ins, self.key_no])

    def answer_challenge(self, enc_rnd_b: bytes) -> bytes:
        """From E(RndB) (answer with status AF) to the native `AF E(RndA || RndB')`."""
        c = self.key.cipher()
        if len(enc_rnd_b) != self.key.rnd_len:
            raise DesfireError(f"challenge must be {self.key.rnd_len} bytes, got {len(enc_rnd_b)}")
        if self.key.legacy:
            self.rnd_b = c.ecb_decrypt(enc_rnd_b)
            d1 = c.ecb_decrypt(self.rnd_a)
            d2 = c.ecb_decrypt(bytes(x ^ y for x, y in zip(d1, rotl(self.rnd_b), strict=True)))
            return bytes([CMD_MORE]) + d1 + d2
        self.rnd_b = c.cbc_decrypt(bytes(c.block), enc_rnd_b)
        token = c.cbc_encrypt(enc_rnd_b[-c.block :], self.rnd_a + rotl(self.rnd_b))
        self.iv = token[-c.block :]
        return bytes([CMD_MORE]) + token

    def finish(self, enc_rnd_a: bytes) -> DesfireSession:
        """Check E(RndA') and derive the session."""
        c = self.key.cipher()
        if len(enc_rnd_a) != self.key.rnd_len:
            raise DesfireError("card's authentication answer has the wrong length")
        legacy = self.key.legacy
        got = c.ecb_decrypt(enc_rnd_a) if legacy else c.cbc_decrypt(self.iv, enc_rnd_a)
        if not hmac.compare_digest(got, rotl(self.rnd_a)):
            raise DesfireError("card failed authentication (RndA' mismatch)")
        skey = session_key(self.key, self.rnd_a, self.rnd_b)
        return DesfireSession(self.key.key_type, skey, self.key_no, self.key.legacy)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key.to_dict(), "key_no": self.key_no, "rnd_a": self.rnd_a.hex(),
                "rnd_b": self.rnd_b.hex(), "iv": self.iv.hex()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DesfireAuth:
        self = cls(DesfireKey.from_dict(d["key"]), int(d["key_no"]), bytes.fromhex(d["rnd_a"]))
        self.rnd_b = bytes.fromhex(d["rnd_b"])
        self.iv = bytes.fromhex(d["iv"])
        return self


# --- secure messaging ---

class DesfireSession:
    """An authenticated session: session key plus the running IV."""

    def __init__(self, key_type: str, key: bytes, key_no: int, legacy: bool = False,
                 iv: bytes | None = None) -> None:
        self.key_type = key_type
        self.key = key
        self.key_no = key_no
        self.legacy = legacy
        self.cipher = BlockCipher(key, key_type == "AES")
        self.iv = iv if iv is not None else bytes(self.cipher.block)

    def cmac(self, data: bytes) -> bytes:
        """CMAC from the running IV; the IV becomes the full CMAC."""
        self.iv = self.cipher.cmac(data, self.iv)
        return self.iv

    def wrap(self, native: bytes, communication: str) -> bytes:
        """Secure one native command; the result may need splitting into frames."""
        if communication not in COMMUNICATION:
            raise DesfireError(f"communication {communication!r} must be plain, mac or enc")
        if not native:
            raise DesfireError("empty native command")
        if self.legacy:
            if communication != "plain":
                raise DesfireError("after legacy authentication only plain communication works")
            return native
        header = ENC_HEADER.get(native[0])
        carries_data = header is not None and len(native) > 1 + header
        if communication == "enc" and carries_data and header is not None:
            clear = native[: 1 + header]
            plain = native[1 + header :] + crc32(native)
            return clear + self._encrypt(plain)
        mac = self.cmac(native)
        if communication == "mac" and carries_data:
            return native + mac[:8]
        return native

    def _encrypt(self, plain: bytes) -> bytes:
        n = self.cipher.block
        padded = plain + bytes(-len(plain) % n)
        ct = self.cipher.cbc_encrypt(self.iv, padded)
        self.iv = ct[-n:]
        return ct

    def unwrap(self, command: int, data: bytes, status: int, communication: str,
               expected_len: int | None = None) -> bytes:
        """Check (CMAC) or decipher an answer; returns the plain data."""
        if status not in (STATUS_OK,):
            return data
        if self.legacy:
            return data
        if communication == "enc" and command in ENC_ANSWER:
            return self._decrypt_answer(data, status, expected_len)
        if len(data) < 8:
            raise DesfireError("authenticated answer lacks its 8-byte CMAC")
        body, mac = data[:-8], data[-8:]
        expected = self.cipher.cmac(body + bytes([status]), self.iv)
        if not hmac.compare_digest(expected[:8], mac):
            raise DesfireError("answer CMAC mismatch")
        self.iv = expected
        return body

    def _decrypt_answer(self, data: bytes, status: int, expected_len: int | None) -> bytes:
        n = self.cipher.block
        if not data or len(data) % n:
            raise DesfireError("enciphered answer is not a whole number of blocks")
        plain = self.cipher.cbc_decrypt(self.iv, data)
        self.iv = data[-n:]
        candidates = [expected_len] if expected_len else range(len(plain) - 4, -1, -1)
        for size in candidates:
            if size is None or size < 0 or size + 4 > len(plain):
                continue
            body, crc, rest = plain[:size], plain[size : size + 4], plain[size + 4 :]
            if rest.strip(b"\x00") == b"" and crc == crc32(body + bytes([status])):
                return body
        raise DesfireError("enciphered answer CRC mismatch")

    def change_key(self, key_no: int, new: DesfireKey, old: DesfireKey | None = None) -> bytes:
        """ChangeKey (EV1): cryptogram over new key [XOR old], version, CRC32(s), enciphered.

        `old` is needed only when changing a key other than the authenticated one.
        """
        if self.legacy:
            raise DesfireError("ChangeKey after legacy authentication is not supported")
        if not 0 <= key_no <= 0xFF:
            raise DesfireError("key number must be a byte")
        same = (key_no & 0x0F) == (self.key_no & 0x0F)
        body = new.wire_bytes
        if not same:
            if old is None:
                raise DesfireError("changing another key needs its current value")
            old_bytes = old.wire_bytes
            if len(old_bytes) < len(body):
                old_bytes = old_bytes + old_bytes[: len(body) - len(old_bytes)]
            body = bytes(x ^ y for x, y in zip(body, old_bytes[: len(body)], strict=True))
        if new.is_aes:
            body += bytes([new.version])
        header = bytes([CMD_CHANGE_KEY, key_no])
        plain = body + crc32(header + body)
        if not same:
            plain += crc32(new.wire_bytes)
        return header + self._encrypt(plain)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.key_type, "key": self.key.hex(), "key_no": self.key_no,
                "legacy": self.legacy, "iv": self.iv.hex()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DesfireSession:
        return cls(d["type"], bytes.fromhex(d["key"]), int(d["key_no"]), bool(d["legacy"]),
                   bytes.fromhex(d["iv"]))
