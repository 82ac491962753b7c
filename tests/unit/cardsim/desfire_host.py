"""Host side of DESFire EV1 for tests, from gp-apdu.md section 3, on `cryptography` only."""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass

from tests.unit.cardsim.host import aes, des3


def crc32(data: bytes) -> bytes:
    return ((zlib.crc32(data) ^ 0xFFFFFFFF) & 0xFFFFFFFF).to_bytes(4, "little")


def crc16(data: bytes) -> bytes:
    crc = 0x6363
    for b in data:
        b ^= crc & 0xFF
        b = (b ^ (b << 4)) & 0xFF
        crc = ((crc >> 8) ^ (b << 8) ^ (b << 3) ^ (b >> 4)) & 0xFFFF
    return crc.to_bytes(2, "little")


def xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def rotl(b: bytes) -> bytes:
    return b[1:] + b[:1]


@dataclass
class Cipher:
    kind: str  # "aes" or "des" (3DES of any length)
    key: bytes

    @property
    def bs(self) -> int:
        return 16 if self.kind == "aes" else 8

    def ecb(self, block: bytes, decrypt: bool = False) -> bytes:
        return (aes if self.kind == "aes" else des3)(self.key, block, decrypt=decrypt)

    def cbc(self, iv: bytes, data: bytes, decrypt: bool = False) -> bytes:
        return (aes if self.kind == "aes" else des3)(self.key, data, iv, decrypt=decrypt)

    def cmac(self, iv: bytes, data: bytes) -> bytes:
        bs = self.bs
        rb = 0x87 if bs == 16 else 0x1B

        def dbl(x: bytes) -> bytes:
            n = (int.from_bytes(x, "big") << 1) & ((1 << (8 * bs)) - 1)
            return (n ^ (rb if x[0] & 0x80 else 0)).to_bytes(bs, "big")

        k1 = dbl(self.ecb(bytes(bs)))
        k2 = dbl(k1)
        if data and len(data) % bs == 0:
            blocks = [data[i : i + bs] for i in range(0, len(data), bs)]
            blocks[-1] = xor(blocks[-1], k1)
        else:
            padded = data + b"\x80" + bytes(-(len(data) + 1) % bs)
            blocks = [padded[i : i + bs] for i in range(0, len(padded), bs)]
            blocks[-1] = xor(blocks[-1], k2)
        state = iv
        for blk in blocks:
            state = self.ecb(xor(state, blk))
        return state


class DesfireHost:
    def __init__(self, card: object) -> None:
        self.card = card
        self.session: Cipher | None = None
        self.mode: str | None = None
        self.iv = b""

    def raw(self, ins: int, data: bytes = b"") -> tuple[bytes, int]:
        apdu = bytes([0x90, ins, 0, 0]) + (bytes([len(data)]) + data if data else b"") + b"\x00"
        rsp = self.card.transmit(apdu)  # type: ignore[attr-defined]
        assert rsp[-2] == 0x91, rsp.hex()
        return rsp[:-2], rsp[-1]

    def frames(self, ins: int, data: bytes = b"") -> tuple[bytes, int]:
        out, status = self.raw(ins, data)
        while status == 0xAF:
            more, status = self.raw(0xAF)
            out += more
        return out, status

    # --- authentication ---
    def authenticate(self, key_no: int, kind: str, key: bytes, ins: int) -> int:
        c = Cipher("aes" if kind == "aes" else "des", key)
        ek, status = self.raw(ins, bytes([key_no]))
        if status != 0xAF:
            return status
        n = len(ek)
        rnd_a = os.urandom(n)
        if ins == 0x0A:
            rnd_b = c.ecb(ek, decrypt=True)
            c1 = c.ecb(rnd_a, decrypt=True)
            c2 = c.ecb(xor(rotl(rnd_b), c1), decrypt=True)
            token = c1 + c2
        else:
            rnd_b = c.cbc(bytes(c.bs), ek, decrypt=True)
            token = c.cbc(ek[-c.bs :], rnd_a + rotl(rnd_b))
        rsp, status = self.raw(0xAF, token)
        if status != 0x00:
            return status
        if ins == 0x0A:
            assert c.ecb(rsp, decrypt=True) == rotl(rnd_a)
        else:
            assert c.cbc(token[-c.bs :], rsp, decrypt=True) == rotl(rnd_a)
        a, b = rnd_a, rnd_b
        if kind == "aes":
            sk = Cipher("aes", a[0:4] + b[0:4] + a[12:16] + b[12:16])
        elif n == 16:
            sk = Cipher("des", a[0:4] + b[0:4] + a[6:10] + b[6:10] + a[12:16] + b[12:16])
        elif key[:8] == key[8:16]:
            sk = Cipher("des", (a[0:4] + b[0:4]) * 2)
        else:
            sk = Cipher("des", a[0:4] + b[0:4] + a[4:8] + b[4:8])
        self.session, self.mode = sk, ("legacy" if ins == 0x0A else "ev1")
        self.iv = bytes(sk.bs)
        return 0

    # --- EV1 secure messaging ---
    def _check_cmac(self, data: bytes, status: int) -> bytes:
        if self.mode != "ev1" or status not in (0x00,):
            return data
        assert self.session is not None
        body, mac = data[:-8], data[-8:]
        self.iv = self.session.cmac(self.iv, body + bytes([status]))
        assert self.iv[:8] == mac, "response CMAC"
        return body

    def cmd(self, ins: int, data: bytes = b"") -> tuple[bytes, int]:
        """A plain command: EV1 CMACs both ways."""
        if self.mode == "ev1":
            assert self.session is not None
            self.iv = self.session.cmac(self.iv, bytes([ins]) + data)
        out, status = self.frames(ins, data)
        if status != 0:
            self.session = self.mode = None
            return out, status
        return self._check_cmac(out, status), status

    def write(self, file_no: int, offset: int, data: bytes, comm: int, frame: int = 40) -> int:
        hdr = bytes([file_no]) + offset.to_bytes(3, "little") + len(data).to_bytes(3, "little")
        msg = b"\x3d" + hdr
        s = self.session
        if s is None or comm == 0:
            if self.mode == "ev1" and s is not None:
                self.iv = s.cmac(self.iv, msg + data)
            wire = data
        elif comm == 1:
            if self.mode == "ev1":
                self.iv = s.cmac(self.iv, msg + data)
                wire = data + self.iv[:8]
            else:
                padded = data + bytes(-len(data) % 8)
                wire = data + s.cbc(bytes(8), padded)[-8:][:4]
        elif self.mode == "ev1":
            plain = data + crc32(msg + data)
            plain += bytes(-len(plain) % s.bs)
            wire = s.cbc(self.iv, plain)
            self.iv = wire[-s.bs :]
        else:
            plain = data + crc16(data)
            plain += bytes(-len(plain) % 8)
            wire, prev = b"", bytes(8)
            for i in range(0, len(plain), 8):
                prev = s.ecb(xor(plain[i : i + 8], prev), decrypt=True)
                wire += prev
        payload = hdr + wire
        first, rest = payload[:frame], payload[frame:]
        out, status = self.raw(0x3D, first)
        while status == 0xAF and rest:
            chunk, rest = rest[:frame], rest[frame:]
            out, status = self.raw(0xAF, chunk)
        if status != 0:
            self.session = self.mode = None
            return status
        self._check_cmac(out, status)
        return status

    def read(self, file_no: int, offset: int, length: int, comm: int) -> tuple[bytes, int]:
        hdr = bytes([file_no]) + offset.to_bytes(3, "little") + length.to_bytes(3, "little")
        s = self.session
        if self.mode == "ev1" and s is not None:
            self.iv = s.cmac(self.iv, b"\xbd" + hdr)
        out, status = self.frames(0xBD, hdr)
        if status != 0:
            self.session = self.mode = None
            return out, status
        if s is None:
            return out, status
        if comm == 3:
            if self.mode == "ev1":
                plain = s.cbc(self.iv, out, decrypt=True)
                self.iv = out[-s.bs :]
                data = plain[:length]
                assert plain[length : length + 4] == crc32(data + b"\x00"), "response CRC32"
            else:
                plain = s.cbc(bytes(8), out, decrypt=True)
                data = plain[:length]
                assert plain[length : length + 2] == crc16(data), "response CRC16"
            return data, status
        if self.mode == "ev1":
            return self._check_cmac(out, status), status
        if comm == 1:
            data, mac = out[:-4], out[-4:]
            assert s.cbc(bytes(8), data + bytes(-len(data) % 8))[-8:][:4] == mac
            return data, status
        return out, status

    def change_key(
        self, key_no: int, new: bytes, old: bytes | None, version: int | None, same: bool
    ) -> int:
        s = self.session
        assert s is not None
        body = new if same or old is None else xor(new, old)
        if version is not None:
            body += bytes([version])
        if self.mode == "ev1":
            plain = body + crc32(bytes([0xC4, key_no]) + body)
            if not same:
                plain += crc32(new)
            plain += bytes(-len(plain) % s.bs)
            ct = s.cbc(self.iv, plain)
            self.iv = ct[-s.bs :]
        else:
            plain = body + crc16(body[: len(new)])  # libfreefare: CRC16 over the key bytes only
            if not same:
                plain += crc16(new)
            plain += bytes(-len(plain) % 8)
            ct, prev = b"", bytes(8)
            for i in range(0, len(plain), 8):
                prev = s.ecb(xor(plain[i : i + 8], prev), decrypt=True)
                ct += prev
        out, status = self.raw(0xC4, bytes([key_no]) + ct)
        if status == 0 and not same:
            self._check_cmac(out, status)
        if same or status:
            self.session = self.mode = None
        return status
