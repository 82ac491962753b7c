"""DESFire EV1 command processing (ISO 7816-4 wrapped: 90 INS 00 00 [Lc data] [00]).

Answers are `data || 91 status`. Sessions after AuthenticateISO (1A) or
AuthenticateAES (AA) use EV1 secure messaging: a CMAC over every plain
command and answer chained through the running IV, CRC32 inside enciphered
data. Sessions after the legacy Authenticate (0A) use the DESFire native
scheme: 4-byte MACs and CRC16 with DES "decipher" on the sending side.
Any error ends the authentication.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cardsim.apdu import CommandAPDU
from cardsim.context import Context
from cardsim.desfire.crypto import (
    KEY_3K3DES,
    KEY_AES,
    KEY_DES,
    KEY_LENGTHS,
    Suite,
    crc16,
    crc32,
    rotate_left,
    session_key,
)
from cardsim.desfire.model import MAX_APPS, MAX_FILES, PICC_AID, app_cost, free_memory, new_picc
from cardsim.errors import SW_INCORRECT_P1P2, SWError

OK = 0x00
ADDITIONAL_FRAME = 0xAF
NO_CHANGES = 0x0C
OUT_OF_EEPROM = 0x0E
ILLEGAL_COMMAND = 0x1C
INTEGRITY_ERROR = 0x1E
NO_SUCH_KEY = 0x40
LENGTH_ERROR = 0x7E
PERMISSION_DENIED = 0x9D
PARAMETER_ERROR = 0x9E
APPLICATION_NOT_FOUND = 0xA0
AUTHENTICATION_ERROR = 0xAE
BOUNDARY_ERROR = 0xBE
COUNT_ERROR = 0xCE
DUPLICATE_ERROR = 0xDE
FILE_NOT_FOUND = 0xF0

FRAME = 59  # data bytes per answer frame, as a real EV1 sends them
COMM_PLAIN, COMM_MAC, COMM_ENC = 0x00, 0x01, 0x03
FREE = 0xE

MODE_LEGACY, MODE_ISO, MODE_AES = "legacy", "iso", "aes"
# Answer protection: "plain" (EV1: CMAC appended), "mac", "enc", or "none" (nothing added).
OUT_PLAIN, OUT_MAC, OUT_ENC, OUT_NONE = "plain", "mac", "enc", "none"

VERSION_HW = bytes.fromhex("04010101001A05")
VERSION_SW = bytes.fromhex("04010101041A05")


class DesfireError(Exception):
    def __init__(self, status: int, reason: str = "") -> None:
        super().__init__(f"91{status:02X} {reason}".strip())
        self.status = status


@dataclass
class PendingAuth:
    mode: str
    key_no: int
    suite: Suite
    rnd_b: bytes
    iv: bytes


@dataclass
class PendingWrite:
    header: bytes  # fileNo offset length
    wire: bytearray
    expected: int
    comm: int


@dataclass
class Session:
    """Transient DESFire state: selection, authentication, multi-frame exchanges."""

    aid: bytes = PICC_AID
    mode: str | None = None
    key_no: int | None = None
    key: Suite | None = None
    iv: bytes = b""
    pending_auth: PendingAuth | None = None
    pending_write: PendingWrite | None = None
    out_frames: list[bytes] = field(default_factory=list)

    def reset_auth(self) -> None:
        self.mode = self.key_no = self.key = None
        self.iv = b""

    @property
    def ev1(self) -> bool:
        return self.mode in (MODE_ISO, MODE_AES)


@dataclass
class Reply:
    data: bytes = b""
    out: str = OUT_PLAIN
    frame_sizes: tuple[int, ...] = ()


def _le(data: bytes) -> int:
    return int.from_bytes(data, "little")


def _pad_zero(data: bytes, block: int) -> bytes:
    return data + bytes(-len(data) % block)


class Emulator:
    """Processes one command against the persistent dict `picc` and a transient `Session`."""

    def __init__(self, ctx: Context, session: Session) -> None:
        if not ctx.state.desfire:
            ctx.state.desfire.update(new_picc(ctx.state.profile.cin))
            ctx.mark_dirty()
        self.ctx = ctx
        self.picc: dict[str, Any] = ctx.state.desfire
        self.s = session

    # --- helpers ------------------------------------------------------------------------

    @property
    def at_picc(self) -> bool:
        return self.s.aid == PICC_AID

    def _app(self) -> dict[str, Any]:
        app = self.picc["apps"].get(self.s.aid.hex().upper())
        if app is None:
            raise DesfireError(APPLICATION_NOT_FOUND)
        return app

    def _level(self) -> dict[str, Any]:
        return self.picc["picc"] if self.at_picc else self._app()

    def _key(self, key_no: int) -> tuple[str, bytes, int]:
        level = self._level()
        if key_no >= len(level["keys"]):
            raise DesfireError(NO_SUCH_KEY)
        entry = level["keys"][key_no]
        return level["key_type"], bytes.fromhex(entry["key"]), int(entry["version"])

    def _authenticated_with(self, key_no: int) -> bool:
        return self.s.key is not None and self.s.key_no == key_no

    def _cmac_in(self, message: bytes) -> None:
        """EV1: a plain command still advances the IV by its CMAC."""
        if self.s.ev1 and self.s.key is not None:
            self.s.iv = self.s.key.cmac(self.s.iv, message)

    # --- entry --------------------------------------------------------------------------

    def run(self, cmd: int, payload: bytes) -> tuple[bytes, int]:
        s = self.s
        if cmd == ADDITIONAL_FRAME:
            return self._continue(payload)
        s.pending_auth = s.pending_write = None
        s.out_frames = []
        handler = HANDLERS.get(cmd)
        if handler is None:
            raise DesfireError(ILLEGAL_COMMAND, f"command {cmd:02X}")
        if cmd not in RAW_INPUT:
            self._cmac_in(bytes([cmd]) + payload)
        reply = handler(self, cmd, payload)
        if isinstance(reply, tuple):
            return reply
        return self._answer(reply)

    def _answer(self, reply: Reply) -> tuple[bytes, int]:
        data = self._protect(reply.data, reply.out)
        frames: list[bytes] = []
        if reply.frame_sizes:
            pos = 0
            for size in reply.frame_sizes:
                frames.append(data[pos : pos + size])
                pos += size
            frames[-1] += data[pos:]
        else:
            frames = [data[i : i + FRAME] for i in range(0, len(data), FRAME)] or [b""]
        self.s.out_frames = frames[1:]
        return frames[0], (ADDITIONAL_FRAME if len(frames) > 1 else OK)

    def _protect(self, data: bytes, out: str) -> bytes:
        s = self.s
        if out == OUT_NONE or s.key is None:
            return data
        if s.ev1:
            if out == OUT_ENC:
                plain = _pad_zero(data + crc32(data + b"\x00"), s.key.block)
                cipher = s.key.encrypt(s.iv, plain)
                s.iv = cipher[-s.key.block :]
                return cipher
            s.iv = s.key.cmac(s.iv, data + b"\x00")
            return data + s.iv[:8]
        if out == OUT_MAC:
            return data + s.key.legacy_mac(data)
        if out == OUT_ENC:
            return s.key.legacy_send(_pad_zero(data + crc16(data), 8))
        return data

    def _continue(self, payload: bytes) -> tuple[bytes, int]:
        s = self.s
        if s.pending_auth is not None:
            pending, s.pending_auth = s.pending_auth, None
            return self._auth_finish(pending, payload)
        if s.pending_write is not None:
            return self._write_more(payload)
        if s.out_frames:
            if payload:
                s.out_frames = []
                raise DesfireError(LENGTH_ERROR)
            frame = s.out_frames.pop(0)
            return frame, (ADDITIONAL_FRAME if s.out_frames else OK)
        raise DesfireError(ILLEGAL_COMMAND, "no frame expected")

    # --- authentication -----------------------------------------------------------------

    def authenticate(self, cmd: int, payload: bytes) -> tuple[bytes, int]:
        self.s.reset_auth()
        if len(payload) != 1:
            raise DesfireError(LENGTH_ERROR)
        key_type, key, _version = self._key(payload[0])
        mode = {0x0A: MODE_LEGACY, 0x1A: MODE_ISO, 0xAA: MODE_AES}[cmd]
        if (mode == MODE_AES) != (key_type == KEY_AES) or (
            mode == MODE_LEGACY and key_type != KEY_DES
        ):
            raise DesfireError(AUTHENTICATION_ERROR, "authentication command does not fit key type")
        suite = Suite(key_type, key)
        rnd_b = os.urandom(16 if key_type in (KEY_AES, KEY_3K3DES) else 8)
        cipher = (
            suite.legacy_send(rnd_b)
            if mode == MODE_LEGACY
            else suite.encrypt(bytes(suite.block), rnd_b)
        )
        self.s.pending_auth = PendingAuth(mode, payload[0], suite, rnd_b, cipher[-suite.block :])
        return cipher, ADDITIONAL_FRAME

    def _auth_finish(self, p: PendingAuth, payload: bytes) -> tuple[bytes, int]:
        n = len(p.rnd_b)
        if len(payload) != 2 * n:
            raise DesfireError(LENGTH_ERROR)
        if p.mode == MODE_LEGACY:
            plain = p.suite.legacy_receive(payload)
        else:
            plain = p.suite.decrypt(p.iv, payload)
        rnd_a, rnd_b_rot = plain[:n], plain[n:]
        if rnd_b_rot != rotate_left(p.rnd_b):
            raise DesfireError(AUTHENTICATION_ERROR, "RndB' mismatch")
        if p.mode == MODE_LEGACY:
            answer = p.suite.legacy_send(rotate_left(rnd_a))
        else:
            answer = p.suite.encrypt(payload[-p.suite.block :], rotate_left(rnd_a))
        s = self.s
        s.mode, s.key_no = p.mode, p.key_no
        s.key = session_key(p.suite.kind, p.suite.key, rnd_a, p.rnd_b)
        s.iv = bytes(s.key.block)
        return answer, OK

    # --- PICC level ---------------------------------------------------------------------

    def get_version(self, cmd: int, payload: bytes) -> Reply:
        if payload:
            raise DesfireError(LENGTH_ERROR)
        uid = bytes.fromhex(self.picc["uid"])
        tail = uid + self.ctx.state.profile.cin[-5:].rjust(5, b"\x00") + bytes([0x12, 0x24])
        return Reply(VERSION_HW + VERSION_SW + tail, frame_sizes=(7, 7, 14))

    def select_application(self, cmd: int, payload: bytes) -> tuple[bytes, int]:
        self.s.reset_auth()
        if len(payload) != 3:
            raise DesfireError(LENGTH_ERROR)
        if payload != PICC_AID and payload.hex().upper() not in self.picc["apps"]:
            raise DesfireError(APPLICATION_NOT_FOUND)
        self.s.aid = payload
        return b"", OK

    def get_application_ids(self, cmd: int, payload: bytes) -> Reply:
        if payload:
            raise DesfireError(LENGTH_ERROR)
        if not self.at_picc:
            raise DesfireError(PERMISSION_DENIED, "only at PICC level")
        if not self.picc["picc"]["settings"] & 0x02 and not self._authenticated_with(0):
            raise DesfireError(AUTHENTICATION_ERROR)
        data = b"".join(bytes.fromhex(aid) for aid in self.picc["apps"])
        return Reply(data, frame_sizes=tuple(57 for _ in range(0, max(len(data), 1), 57)))

    def create_application(self, cmd: int, payload: bytes) -> Reply:
        if len(payload) not in (5, 7) and not 8 <= len(payload) <= 23:
            raise DesfireError(LENGTH_ERROR)
        if not self.at_picc:
            raise DesfireError(PERMISSION_DENIED, "only at PICC level")
        if not self.picc["picc"]["settings"] & 0x04 and not self._authenticated_with(0):
            raise DesfireError(AUTHENTICATION_ERROR)
        aid, settings, nkeys = payload[:3], payload[3], payload[4]
        count = nkeys & 0x0F
        crypto = nkeys & 0xC0
        if aid == PICC_AID or not 1 <= count <= 14 or crypto == 0xC0 or nkeys & 0x10:
            raise DesfireError(PARAMETER_ERROR)
        if len(payload) > 5 and not nkeys & 0x20:
            raise DesfireError(PARAMETER_ERROR, "ISO file id without the ISO flag")
        key_type = KEY_AES if crypto == 0x80 else KEY_3K3DES if crypto == 0x40 else KEY_DES
        apps = self.picc["apps"]
        if aid.hex().upper() in apps:
            raise DesfireError(DUPLICATE_ERROR)
        if len(apps) >= MAX_APPS:
            raise DesfireError(COUNT_ERROR)
        app = {
            "settings": settings,
            "key_type": key_type,
            "iso": bool(nkeys & 0x20),
            "keys": [{"key": "00" * KEY_LENGTHS[key_type], "version": 0} for _ in range(count)],
            "files": {},
        }
        if app_cost(app) > free_memory(self.picc):
            raise DesfireError(OUT_OF_EEPROM)
        apps[aid.hex().upper()] = app
        self.ctx.mark_dirty()
        return Reply()

    def delete_application(self, cmd: int, payload: bytes) -> Reply:
        if len(payload) != 3:
            raise DesfireError(LENGTH_ERROR)
        key = payload.hex().upper()
        if key not in self.picc["apps"]:
            raise DesfireError(APPLICATION_NOT_FOUND)
        own_master = self.s.aid == payload and self._authenticated_with(0)
        if not ((self.at_picc and self._authenticated_with(0)) or own_master):
            raise DesfireError(AUTHENTICATION_ERROR)
        del self.picc["apps"][key]
        self.ctx.mark_dirty()
        if own_master:
            self.s.aid = PICC_AID
            self.s.reset_auth()
            return Reply(out=OUT_NONE)
        return Reply()

    def free_memory(self, cmd: int, payload: bytes) -> Reply:
        if payload:
            raise DesfireError(LENGTH_ERROR)
        return Reply(free_memory(self.picc).to_bytes(3, "little"))

    # --- keys ---------------------------------------------------------------------------

    def _may_list(self, level: dict[str, Any]) -> None:
        if not level["settings"] & 0x02 and not self._authenticated_with(0):
            raise DesfireError(AUTHENTICATION_ERROR)

    def get_key_settings(self, cmd: int, payload: bytes) -> Reply:
        if payload:
            raise DesfireError(LENGTH_ERROR)
        level = self._level()
        self._may_list(level)
        flag = {KEY_AES: 0x80, KEY_3K3DES: 0x40}.get(level["key_type"], 0)
        return Reply(bytes([level["settings"], len(level["keys"]) | flag]))

    def get_key_version(self, cmd: int, payload: bytes) -> Reply:
        if len(payload) != 1:
            raise DesfireError(LENGTH_ERROR)
        _kind, _key, version = self._key(payload[0] & 0x0F)
        return Reply(bytes([version]))

    def change_key(self, cmd: int, payload: bytes) -> tuple[bytes, int]:
        s = self.s
        if s.key is None or s.key_no is None:
            raise DesfireError(AUTHENTICATION_ERROR)
        if not payload:
            raise DesfireError(LENGTH_ERROR)
        key_byte = payload[0]
        key_no = key_byte & 0x3F if self.at_picc else key_byte
        level = self._level()
        if self.at_picc:
            if key_no != 0:
                raise DesfireError(NO_SUCH_KEY)
            new_type = KEY_AES if key_byte & 0x80 else KEY_3K3DES if key_byte & 0x40 else KEY_DES
        else:
            new_type = level["key_type"]
        if key_no >= len(level["keys"]):
            raise DesfireError(NO_SUCH_KEY)
        self._check_change_right(level, key_no)
        same = key_no == s.key_no
        key_len = KEY_LENGTHS[new_type]
        cryptogram = payload[1:]
        if not cryptogram or len(cryptogram) % s.key.block:
            raise DesfireError(LENGTH_ERROR)
        if s.ev1:
            plain = s.key.decrypt(s.iv, cryptogram)
            s.iv = cryptogram[-s.key.block :]
            crc, crc_len = crc32, 4
        else:
            plain = s.key.legacy_receive(cryptogram)
            crc, crc_len = crc16, 2
        body_len = key_len + (1 if new_type == KEY_AES else 0)
        needed = body_len + crc_len + (0 if same else crc_len)
        if len(plain) < needed or len(plain) - needed >= s.key.block:
            raise DesfireError(LENGTH_ERROR)
        body = plain[:body_len]
        covered = (bytes([0xC4, key_byte]) + body) if s.ev1 else body[:key_len]
        if plain[body_len : body_len + crc_len] != crc(covered) or any(plain[needed:]):
            raise DesfireError(INTEGRITY_ERROR, "CRC of the key cryptogram")
        new_key = body[:key_len]
        if not same:
            _old_type, old_key, _v = self._key(key_no)
            new_key = bytes(
                a ^ b for a, b in zip(new_key, old_key.ljust(key_len, b"\x00"), strict=True)
            )
            if plain[body_len + crc_len : needed] != crc(new_key):
                raise DesfireError(INTEGRITY_ERROR, "CRC of the new key")
        version = body[key_len] if new_type == KEY_AES else 0
        level["keys"][key_no] = {"key": new_key.hex().upper(), "version": version}
        if self.at_picc:
            level["key_type"] = new_type
        self.ctx.mark_dirty()
        if same:
            s.reset_auth()
            return b"", OK
        return self._answer(Reply())

    def _check_change_right(self, level: dict[str, Any], key_no: int) -> None:
        settings = level["settings"]
        auth = self.s.key_no
        if key_no == 0 or self.at_picc:
            if auth != 0 or not settings & 0x01:
                raise DesfireError(PERMISSION_DENIED if auth == 0 else AUTHENTICATION_ERROR)
            return
        change = settings >> 4
        if change == 0xF:
            raise DesfireError(PERMISSION_DENIED, "keys are frozen")
        required = key_no if change == 0xE else change
        if auth != required:
            raise DesfireError(AUTHENTICATION_ERROR)

    # --- files --------------------------------------------------------------------------

    def get_file_ids(self, cmd: int, payload: bytes) -> Reply:
        if payload:
            raise DesfireError(LENGTH_ERROR)
        if self.at_picc:
            return Reply()
        app = self._app()
        self._may_list(app)
        return Reply(bytes(sorted(int(n) for n in app["files"])))

    def create_std_data_file(self, cmd: int, payload: bytes) -> Reply:
        if self.at_picc:
            raise DesfireError(PERMISSION_DENIED, "no files at PICC level")
        app = self._app()
        if len(payload) != (9 if app.get("iso") and len(payload) == 9 else 7):
            raise DesfireError(LENGTH_ERROR)
        if not app["settings"] & 0x04 and not self._authenticated_with(0):
            raise DesfireError(AUTHENTICATION_ERROR)
        file_no = payload[0]
        rest = payload[3:] if len(payload) == 9 else payload[1:]
        comm, access, size = rest[0], _le(rest[1:3]), _le(rest[3:6])
        if file_no >= MAX_FILES or comm not in (COMM_PLAIN, COMM_MAC, COMM_ENC):
            raise DesfireError(PARAMETER_ERROR)
        if str(file_no) in app["files"]:
            raise DesfireError(DUPLICATE_ERROR)
        if 32 + 32 * ((size + 31) // 32) > free_memory(self.picc):
            raise DesfireError(OUT_OF_EEPROM)
        app["files"][str(file_no)] = {
            "type": "std",
            "comm": comm,
            "access": access,
            "size": size,
            "data": "00" * size,
        }
        self.ctx.mark_dirty()
        return Reply()

    def _file(self, file_no: int) -> dict[str, Any]:
        if self.at_picc:
            raise DesfireError(PERMISSION_DENIED, "no files at PICC level")
        f = self._app()["files"].get(str(file_no))
        if f is None:
            raise DesfireError(FILE_NOT_FOUND)
        return f

    def _comm_for(self, f: dict[str, Any], rights: tuple[int, ...]) -> int:
        """Communication mode for an access: the file's mode with a matching key, plain if free."""
        if self.s.key is not None and self.s.key_no in rights:
            return int(f["comm"])
        if FREE in rights:
            return COMM_PLAIN
        raise DesfireError(PERMISSION_DENIED if self.s.key is not None else AUTHENTICATION_ERROR)

    def read_data(self, cmd: int, payload: bytes) -> Reply:
        if len(payload) != 7:
            raise DesfireError(LENGTH_ERROR)
        f = self._file(payload[0])
        access = int(f["access"])
        comm = self._comm_for(f, (access >> 12, (access >> 4) & 0xF))
        offset, length = _le(payload[1:4]), _le(payload[4:7])
        size = int(f["size"])
        if offset > size or (length and offset + length > size) or (not length and offset == size):
            raise DesfireError(BOUNDARY_ERROR)
        data = bytes.fromhex(f["data"])[offset : offset + length if length else size]
        return Reply(data, out={COMM_ENC: OUT_ENC, COMM_MAC: OUT_MAC}.get(comm, OUT_PLAIN))

    def write_data(self, cmd: int, payload: bytes) -> tuple[bytes, int]:
        if len(payload) < 7:
            raise DesfireError(LENGTH_ERROR)
        header = payload[:7]
        f = self._file(header[0])
        access = int(f["access"])
        comm = self._comm_for(f, ((access >> 8) & 0xF, (access >> 4) & 0xF))
        offset, length = _le(header[1:4]), _le(header[4:7])
        if not length:
            raise DesfireError(LENGTH_ERROR)
        if offset + length > int(f["size"]):
            raise DesfireError(BOUNDARY_ERROR)
        expected = self._wire_length(comm, length)
        self.s.pending_write = PendingWrite(header, bytearray(), expected, comm)
        return self._write_more(payload[7:])

    def _wire_length(self, comm: int, length: int) -> int:
        s = self.s
        if comm == COMM_PLAIN or s.key is None:
            return length
        if comm == COMM_MAC:
            return length + (8 if s.ev1 else 4)
        block = s.key.block
        crc_len = 4 if s.ev1 else 2
        return length + crc_len + (-(length + crc_len) % block)

    def _write_more(self, chunk: bytes) -> tuple[bytes, int]:
        pending = self.s.pending_write
        assert pending is not None
        pending.wire += chunk
        if len(pending.wire) < pending.expected:
            return b"", ADDITIONAL_FRAME
        self.s.pending_write = None
        if len(pending.wire) > pending.expected:
            raise DesfireError(LENGTH_ERROR)
        data = self._unprotect_write(pending)
        f = self._file(pending.header[0])
        offset = _le(pending.header[1:4])
        content = bytearray.fromhex(f["data"])
        content[offset : offset + len(data)] = data
        f["data"] = content.hex().upper()
        self.ctx.mark_dirty()
        return self._answer(Reply())

    def _unprotect_write(self, p: PendingWrite) -> bytes:
        s = self.s
        wire = bytes(p.wire)
        length = _le(p.header[4:7])
        message = b"\x3d" + p.header
        if s.key is None or p.comm == COMM_PLAIN:
            self._cmac_in(message + wire)
            return wire
        if p.comm == COMM_MAC:
            data, mac = wire[:length], wire[length:]
            if s.ev1:
                full = s.key.cmac(s.iv, message + data)
                if full[:8] != mac:
                    raise DesfireError(INTEGRITY_ERROR, "MAC")
                s.iv = full
            elif s.key.legacy_mac(data) != mac:
                raise DesfireError(INTEGRITY_ERROR, "MAC")
            return data
        if s.ev1:
            plain = s.key.decrypt(s.iv, wire)
            s.iv = wire[-s.key.block :]
            data, check = plain[:length], plain[length : length + 4]
            ok = check == crc32(message + data) and not any(plain[length + 4 :])
        else:
            plain = s.key.legacy_receive(wire)
            data, check = plain[:length], plain[length : length + 2]
            ok = check == crc16(data) and not any(plain[length + 2 :])
        if not ok:
            raise DesfireError(INTEGRITY_ERROR, "CRC")
        return data


Handler = Callable[[Emulator, int, bytes], "Reply | tuple[bytes, int]"]
HANDLERS: dict[int, Handler] = {
    0x0A: Emulator.authenticate,
    0x1A: Emulator.authenticate,
    0xAA: Emulator.authenticate,
    0x60: Emulator.get_version,
    0x5A: Emulator.select_application,
    0x6A: Emulator.get_application_ids,
    0xCA: Emulator.create_application,
    0xDA: Emulator.delete_application,
    0x6E: Emulator.free_memory,
    0x45: Emulator.get_key_settings,
    0x64: Emulator.get_key_version,
    0xC4: Emulator.change_key,
    0x6F: Emulator.get_file_ids,
    0xCD: Emulator.create_std_data_file,
    0xBD: Emulator.read_data,
    0x3D: Emulator.write_data,
}
# Commands whose input is not CMAC'd as a whole on arrival (they protect their own data).
RAW_INPUT = {0x0A, 0x1A, 0xAA, 0x5A, 0xC4, 0x3D}


def process(ctx: Context, apdu: CommandAPDU) -> tuple[bytes, int]:
    """ISO wrapper: 90 INS 00 00 [Lc data] [Le] -> data || 91 status."""
    if apdu.p1 or apdu.p2:
        raise SWError(SW_INCORRECT_P1P2, "DESFire wrapping needs P1 = P2 = 00")
    session = ctx.t.desfire
    if not isinstance(session, Session):
        session = ctx.t.desfire = Session()
    emulator = Emulator(ctx, session)
    try:
        data, status = emulator.run(apdu.ins, apdu.data)
    except DesfireError as exc:
        session.reset_auth()
        session.pending_auth = session.pending_write = None
        session.out_frames = []
        data, status = b"", exc.status
    return data, 0x9100 | status


__all__ = ["NO_CHANGES", "DesfireError", "Session", "process"]
