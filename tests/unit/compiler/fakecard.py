"""Minimal card-side counterparts for exercising compiled scripts end to end in unit tests.

These are deliberately small: they check the host's MACs and cryptograms the
way a card would (verifying, not generating, the host's side) and record the
plain commands they received, so tests can assert what reached the card. The
byte-exact correctness of the crypto is pinned separately by the published
vectors; cardsim is the independent full card.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

from backend_stub.compiler import scp02, scp03
from backend_stub.compiler.crypto import BlockCipher, pad80, retail_mac, unpad80
from backend_stub.compiler.desfire import DesfireKey, crc32, rotl, session_key
from backend_stub.compiler.keys import StaticKeys

Handler = Callable[[bytes], bytes]


def _cmac(key: bytes, data: bytes) -> bytes:
    c = CMAC(algorithms.AES(key))
    c.update(data)
    return c.finalize()


def _aes(key: bytes, iv: bytes | None, data: bytes, encrypt: bool) -> bytes:
    mode = modes.CBC(iv) if iv is not None else modes.ECB()
    cipher = Cipher(algorithms.AES(key), mode)
    op = cipher.encryptor() if encrypt else cipher.decryptor()
    return op.update(data) + op.finalize()


def ok_handler(apdu: bytes) -> bytes:
    return b"\x90\x00"


class CardFailure(AssertionError):
    """The host sent something a real card would reject."""


class Scp03Card:
    """SCP03 card: IU, EA, C-MAC/C-DEC verification, R-MAC/R-ENC on answers."""

    def __init__(self, static: StaticKeys, *, i: int = 0x70, kdd: bytes = bytes(range(10)),
                 sequence: int = 1, aid: bytes = bytes.fromhex("A000000151000000"),
                 handler: Handler = ok_handler, corrupt_cryptogram: bool = False) -> None:
        self.static = static
        self.i = i
        self.kdd = kdd
        self.sequence = sequence
        self.aid = aid
        self.handler = handler
        self.corrupt = corrupt_cryptogram
        self.received: list[bytes] = []  # plain commands after unwrapping
        self.level = -1
        self.counter = 0
        self.chain = bytes(16)

    def process(self, apdu: bytes) -> bytes:
        cla, ins = apdu[0], apdu[1]
        if ins == 0xA4 and cla == 0x00:
            self.level = -1
            return b"\x90\x00"
        if ins == 0x50:
            return self._initialize_update(apdu)
        if ins == 0x82:
            return self._external_authenticate(apdu)
        if self.level < 0:
            return b"\x69\x82"
        return self._secure(apdu)

    def _initialize_update(self, apdu: bytes) -> bytes:
        self.host_challenge = apdu[5:13]
        seq = self.sequence.to_bytes(3, "big")
        if self.i & 0x10:
            self.card_challenge = scp03.pseudo_random_challenge(self.static.enc, seq, self.aid)
        else:
            self.card_challenge = os.urandom(8)
        self.keys = scp03.session_keys(self.static, self.host_challenge, self.card_challenge)
        crypt = scp03.card_cryptogram(self.keys.mac, self.host_challenge, self.card_challenge)
        if self.corrupt:
            crypt = bytes([crypt[0] ^ 1]) + crypt[1:]
        out = self.kdd + bytes([self.static.kvn, 3, self.i]) + self.card_challenge + crypt
        if self.i & 0x10:
            out += seq
        self.sequence += 1
        return out + b"\x90\x00"

    def _external_authenticate(self, apdu: bytes) -> bytes:
        level = apdu[2]
        expected = scp03.host_cryptogram(self.keys.mac, self.host_challenge, self.card_challenge)
        if apdu[5:13] != expected:
            return b"\x63\x00"
        chain = _cmac(self.keys.mac, bytes(16) + apdu[:13])
        if apdu[13:21] != chain[:8]:
            return b"\x69\x82"
        self.chain = chain
        self.level = level
        self.counter = 0
        return b"\x90\x00"

    def _secure(self, apdu: bytes) -> bytes:
        self.counter += 1
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        le = b""
        data = b""
        if body:
            lc = body[0]
            data = body[1 : 1 + lc]
            le = body[1 + lc :]
        if self.level & 0x01:
            if not cla & 0x04:
                raise CardFailure("secure command without the SM bit")
            mac_in = self.chain + bytes([cla, ins, p1, p2, len(data)]) + data[:-8]
            chain = _cmac(self.keys.mac, mac_in)
            if chain[:8] != data[-8:]:
                raise CardFailure(f"C-MAC mismatch on {apdu.hex()}")
            self.chain = chain
            data = data[:-8]
        if self.level & 0x02 and data:
            icv = _aes(self.keys.enc, None, self.counter.to_bytes(16, "big"), True)
            data = unpad80(_aes(self.keys.enc, icv, data, False))
        plain = bytes([cla & ~0x04 & 0xFF, ins, p1, p2])
        if data:
            plain += bytes([len(data)]) + data
        plain += le
        self.received.append(plain)
        answer = self.handler(plain)
        rdata, sw = answer[:-2], answer[-2:]
        if sw != b"\x90\x00" and sw[0] not in (0x62, 0x63):
            return answer
        if self.level & 0x20 and rdata:
            icv = _aes(self.keys.enc, None, b"\x80" + self.counter.to_bytes(15, "big"), True)
            rdata = _aes(self.keys.enc, icv, pad80(rdata, 16), True)
        if self.level & 0x10:
            rdata += _cmac(self.keys.rmac, self.chain + rdata + sw)[:8]
        return rdata + sw


class Scp02Card:
    """SCP02 card (i=55 behaviour): C-MAC with ICV encryption, C-DEC after MAC."""

    def __init__(self, static: StaticKeys, *, kdd: bytes = bytes(range(10)), sequence: int = 7,
                 handler: Handler = ok_handler) -> None:
        self.static = static
        self.kdd = kdd
        self.seq = sequence.to_bytes(2, "big")
        self.handler = handler
        self.received: list[bytes] = []
        self.level = -1
        self.last_mac = bytes(8)

    def process(self, apdu: bytes) -> bytes:
        ins = apdu[1]
        if ins == 0xA4:
            self.level = -1
            return b"\x90\x00"
        if ins == 0x50:
            self.host_challenge = apdu[5:13]
            self.card_challenge = os.urandom(6)
            self.s_enc = scp02.derive(self.static.enc, scp02.CONST_ENC, self.seq)
            self.s_mac = scp02.derive(self.static.mac, scp02.CONST_CMAC, self.seq)
            crypt = scp02.full_mac(self.s_enc, self.host_challenge + self.seq + self.card_challenge)
            return (self.kdd + bytes([self.static.kvn, 2]) + self.seq + self.card_challenge
                    + crypt + b"\x90\x00")
        if ins == 0x82:
            expected = scp02.full_mac(self.s_enc, self.seq + self.card_challenge
                                      + self.host_challenge)
            if apdu[5:13] != expected:
                return b"\x63\x00"
            mac = retail_mac(self.s_mac, apdu[:13])
            if mac != apdu[13:21]:
                return b"\x69\x82"
            self.last_mac = mac
            self.level = apdu[2]
            return b"\x90\x00"
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        data, le = (body[1 : 1 + body[0]], body[1 + body[0] :]) if body else (b"", b"")
        mac, data = data[-8:], data[:-8]
        if self.level & 0x02 and data:
            data = unpad80(BlockCipher(self.s_enc, False).cbc_decrypt(bytes(8), data))
        icv = BlockCipher(self.s_mac[:8], False).ecb_encrypt(self.last_mac)
        expected = retail_mac(self.s_mac, bytes([cla, ins, p1, p2, len(data) + 8]) + data, icv)
        if expected != mac:
            raise CardFailure(f"SCP02 C-MAC mismatch on {apdu.hex()}")
        self.last_mac = mac
        plain = bytes([cla & ~0x04 & 0xFF, ins, p1, p2])
        if data:
            plain += bytes([len(data)]) + data
        plain += le
        self.received.append(plain)
        return self.handler(plain)


class DesfireCard:
    """DESFire EV1 PICC: applications with keys, authentication, CMAC/enciphered traffic."""

    def __init__(self, picc_key: DesfireKey) -> None:
        self.apps: dict[bytes, dict] = {b"\x00\x00\x00": {"keys": [picc_key], "files": {}}}
        self.selected = b"\x00\x00\x00"
        self.session: dict | None = None
        self.pending: dict | None = None
        self.out_frames: list[bytes] = []
        self.in_cmd = b""
        self.log: list[bytes] = []

    # wire
    def process(self, apdu: bytes) -> bytes:
        if apdu[0] != 0x90:
            return b"\x6e\x00"
        ins = apdu[1]
        data = apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b""
        if ins == 0xAF and self.out_frames:
            frame = self.out_frames.pop(0)
            return frame + (b"\x91\xaf" if self.out_frames else b"\x91\x00")
        if ins == 0xAF and self.pending is None and self.in_cmd:
            self.in_cmd += data
        else:
            self.in_cmd = bytes([ins]) + data
        if self.pending is None and self._needs_more(self.in_cmd):
            return b"\x91\xaf"
        native, self.in_cmd = self.in_cmd, b""
        self.log.append(native)
        out, status = self.execute(native)
        if len(out) > 40 and status == 0:
            chunks = [out[i : i + 40] for i in range(0, len(out), 40)]
            self.out_frames = chunks[1:]
            return chunks[0] + b"\x91\xaf"
        return out + bytes([0x91, status])

    def _needs_more(self, native: bytes) -> bool:
        """WriteData announces its length; wait for the rest of its frames."""
        if native[0] != 0x3D or len(native) < 8 or self.session is None:
            return False
        length = int.from_bytes(native[5:8], "little")
        comm = self.apps[self.selected]["files"].get(native[1], {}).get("comm", 0)
        n = self.session["cipher"].block
        if comm == 3:
            need = 8 + (length + 4 + n - 1) // n * n
        elif comm == 1:
            need = 8 + length + 8
        else:
            need = 8 + length
        return len(native) < need

    # crypto helpers
    def _cmac(self, data: bytes) -> bytes:
        s = self.session
        assert s is not None
        s["iv"] = s["cipher"].cmac(data, s["iv"])
        return s["iv"]

    def _answer(self, data: bytes, status: int = 0) -> tuple[bytes, int]:
        if self.session is None or self.session["legacy"]:
            return data, status
        return data + self._cmac(data + bytes([status]))[:8], status

    def _decrypt(self, ct: bytes) -> bytes:
        s = self.session
        assert s is not None
        plain = s["cipher"].cbc_decrypt(s["iv"], ct)
        s["iv"] = ct[-s["cipher"].block :]
        return plain

    def execute(self, native: bytes) -> tuple[bytes, int]:
        ins, args = native[0], native[1:]
        app = self.apps.get(self.selected)
        if ins == 0x5A:
            aid = args[:3][::-1]
            if aid not in self.apps:
                return b"", 0xA0
            self.selected, self.session = aid, None
            return b"", 0
        if ins in (0xAA, 0x1A, 0x0A):
            key_no = args[0]
            key: DesfireKey = app["keys"][key_no]
            if key.auth_ins != ins:
                return b"", 0xAE
            c = key.cipher()
            rnd_b = os.urandom(key.rnd_len)
            enc = c.ecb_encrypt(rnd_b) if key.legacy else c.cbc_encrypt(bytes(c.block), rnd_b)
            self.pending = {"key": key, "key_no": key_no, "rnd_b": rnd_b, "iv": enc[-c.block :]}
            self.session = None
            return enc, 0xAF
        if ins == 0xAF and self.pending is not None:
            p, self.pending = self.pending, None
            key = p["key"]
            c = key.cipher()
            if key.legacy:
                d1, d2 = args[: c.block], args[c.block :]
                rnd_a = c.ecb_encrypt(d1)
                rnd_b_rot = bytes(x ^ y for x, y in zip(c.ecb_encrypt(d2), d1, strict=True))
                if rnd_b_rot != rotl(p["rnd_b"]):
                    return b"", 0xAE
                answer = c.ecb_encrypt(rotl(rnd_a))
            else:
                plain = c.cbc_decrypt(p["iv"], args)
                n = key.rnd_len
                rnd_a, rnd_b_rot = plain[:n], plain[n:]
                if rnd_b_rot != rotl(p["rnd_b"]):
                    return b"", 0xAE
                answer = c.cbc_encrypt(args[-c.block :], rotl(rnd_a))
            skey = session_key(key, rnd_a, p["rnd_b"])
            cipher = BlockCipher(skey, key.is_aes)
            self.session = {"key_no": p["key_no"], "cipher": cipher, "iv": bytes(cipher.block),
                            "legacy": key.legacy}
            return answer, 0
        if self.session is None:
            return b"", 0xAE
        if ins == 0xCA:
            aid = args[:3][::-1]
            if aid in self.apps:
                self._cmac(native)
                return self._answer(b"", 0xDE)
            n = args[4] & 0x0F
            ktype = "AES" if args[4] & 0x80 else "3K3DES" if args[4] & 0x40 else "DES"
            self.apps[aid] = {"keys": [DesfireKey.default(ktype)] * n, "files": {},
                              "settings": args[3]}
            self._cmac(native)
            return self._answer(b"")
        if ins == 0xDA:
            aid = args[:3][::-1]
            if aid not in self.apps:
                return b"", 0xA0
            del self.apps[aid]
            self._cmac(native)
            return self._answer(b"")
        if ins == 0x6A:
            self._cmac(native)
            ids = b"".join(a[::-1] for a in self.apps if a != b"\x00\x00\x00")
            return self._answer(ids)
        if ins == 0x64:
            self._cmac(native)
            return self._answer(bytes([app["keys"][args[0]].version]))
        if ins == 0xC4:
            return self._change_key(native)
        if ins == 0xCD:
            self._cmac(native)
            app["files"][args[0]] = {"comm": args[1], "data": bytearray(
                int.from_bytes(args[4:7], "little"))}
            return self._answer(b"")
        if ins == 0x3D:
            f = app["files"][args[0]]
            off, length = int.from_bytes(args[1:4], "little"), int.from_bytes(args[4:7], "little")
            header = native[:8]
            if f["comm"] == 3:
                plain = self._decrypt(native[8:])
                body, crc = plain[:length], plain[length : length + 4]
                if crc != crc32(header + body):
                    return b"", 0x1E
            elif f["comm"] == 1:
                body, mac = native[8 : 8 + length], native[8 + length :]
                if self._cmac(header + body)[:8] != mac:
                    return b"", 0x1E
            else:
                body = native[8 : 8 + length]
                self._cmac(native)
            f["data"][off : off + length] = body
            return self._answer(b"")
        if ins == 0xBD:
            f = app["files"][args[0]]
            off, length = int.from_bytes(args[1:4], "little"), int.from_bytes(args[4:7], "little")
            body = bytes(f["data"][off : off + (length or len(f["data"]))])
            self._cmac(native)
            if f["comm"] == 3:
                s = self.session
                plain = body + crc32(body + b"\x00")
                plain += bytes(-len(plain) % s["cipher"].block)
                ct = s["cipher"].cbc_encrypt(s["iv"], plain)
                s["iv"] = ct[-s["cipher"].block :]
                return ct, 0
            return self._answer(body)
        return b"", 0x1C

    def _change_key(self, native: bytes) -> tuple[bytes, int]:
        s = self.session
        assert s is not None
        key_no = native[1]
        app = self.apps[self.selected]
        old: DesfireKey = app["keys"][key_no & 0x0F]
        plain = self._decrypt(native[2:])
        wire_len = len(old.wire_bytes)
        body = plain[:wire_len]
        pos = wire_len
        version = 0
        if old.is_aes:
            version = plain[pos]
            pos += 1
        crc = plain[pos : pos + 4]
        if crc != crc32(native[:2] + plain[:pos]):
            return b"", 0x1E
        same = (key_no & 0x0F) == s["key_no"]
        if not same:
            body = bytes(x ^ y for x, y in zip(body, old.wire_bytes, strict=True))
            if plain[pos + 4 : pos + 8] != crc32(body):
                return b"", 0x1E
        new_key = body[:8] if old.key_type == "DES" else body
        keys = list(app["keys"])
        keys[key_no & 0x0F] = DesfireKey(old.key_type, new_key, version)
        app["keys"] = keys
        if same:
            self.session = None
            return b"", 0
        return self._answer(b"")


def run(script, card, *, restore=None):
    """Drive a script against a card: batch by batch, stopping a batch at an unexpected SW.

    `restore` (e.g. dump -> JSON -> load_script) is applied between batches.
    Returns the (possibly restored) script and the answers of each batch.
    """
    log = []
    batch = script.first_batch()
    while batch:
        answers = []
        for cmd in batch:
            ans = card.process(cmd.apdu)
            answers.append(ans)
            if not cmd.accepts((ans[-2] << 8) | ans[-1]):
                break
        log.append(answers)
        if restore is not None:
            script = restore(script)
        batch = script.next_batch(answers)
    return script, log
