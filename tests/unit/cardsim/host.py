"""Minimal host side of SCP03/SCP02 for driving the virtual card in tests.

Written from gp-apdu.md 2.1-2.7 with `cryptography` primitives only, sharing no
code with cardsim, so that a bug on the card side cannot hide behind the same
bug here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def cmac_aes(key: bytes, data: bytes) -> bytes:
    c = cmac.CMAC(algorithms.AES(key))
    c.update(data)
    return c.finalize()


def aes(key: bytes, data: bytes, iv: bytes | None = None, decrypt: bool = False) -> bytes:
    mode = modes.CBC(iv) if iv is not None else modes.ECB()
    c = Cipher(algorithms.AES(key), mode)
    op = c.decryptor() if decrypt else c.encryptor()
    return op.update(data) + op.finalize()


def des3(key: bytes, data: bytes, iv: bytes | None = None, decrypt: bool = False) -> bytes:
    key = key + key[:8] if len(key) == 16 else key * 3 if len(key) == 8 else key
    mode = modes.CBC(iv) if iv is not None else modes.ECB()
    c = Cipher(TripleDES(key), mode)
    op = c.decryptor() if decrypt else c.encryptor()
    return op.update(data) + op.finalize()


def pad(data: bytes, block: int) -> bytes:
    data += b"\x80"
    return data + bytes(-len(data) % block)


def unpad(data: bytes) -> bytes:
    data = data.rstrip(b"\x00")
    assert data.endswith(b"\x80")
    return data[:-1]


def sw_of(resp: bytes) -> int:
    return int.from_bytes(resp[-2:], "big")


def scp03_kdf(key: bytes, const: int, context: bytes, bits: int) -> bytes:
    out = b""
    i = 1
    while len(out) * 8 < bits:
        out += cmac_aes(
            key, bytes(11) + bytes([const, 0]) + bits.to_bytes(2, "big") + bytes([i]) + context
        )
        i += 1
    return out[: bits // 8]


class CardLike:
    def transmit(self, apdu: bytes) -> bytes: ...


@dataclass
class SCP03Host:
    """Opens an SCP03 session on the selected SD and wraps/unwraps commands."""

    card: object
    enc: bytes
    mac: bytes
    dek: bytes
    kvn: int = 0
    level: int = 0x33
    host_challenge: bytes | None = None

    def open(self) -> bytes:
        host = self.host_challenge or os.urandom(8)
        resp = self.card.transmit(bytes([0x80, 0x50, self.kvn, 0, 8]) + host + b"\x00")  # type: ignore[attr-defined]
        assert sw_of(resp) == 0x9000, resp.hex()
        iu = resp[:-2]
        card_chal, card_cryptogram = iu[13:21], iu[21:29]
        ctx = host + card_chal
        bits = len(self.enc) * 8
        self.s_enc = scp03_kdf(self.enc, 4, ctx, bits)
        self.s_mac = scp03_kdf(self.mac, 6, ctx, bits)
        self.s_rmac = scp03_kdf(self.mac, 7, ctx, bits)
        assert scp03_kdf(self.s_mac, 0, ctx, 64) == card_cryptogram, "card cryptogram"
        host_cryptogram = scp03_kdf(self.s_mac, 1, ctx, 64)
        self.chain = bytes(16)
        self.counter = 0
        header = bytes([0x84, 0x82, self.level, 0x00, 0x10])
        m = cmac_aes(self.s_mac, self.chain + header + host_cryptogram)
        self.chain = m
        resp = self.card.transmit(header + host_cryptogram + m[:8])  # type: ignore[attr-defined]
        assert sw_of(resp) == 0x9000, resp.hex()
        return iu

    def wrap(self, apdu: bytes) -> bytes:
        if not self.level:
            return apdu
        cla, ins, p1, p2 = apdu[:4]
        data = apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b""
        le = apdu[5 + len(data) :] if len(apdu) > 5 else apdu[4:]
        self.counter += 1
        if self.level & 0x02 and data:
            icv = aes(self.s_enc, self.counter.to_bytes(16, "big"))
            data = aes(self.s_enc, pad(data, 16), icv)
        header = bytes([cla | 0x04, ins, p1, p2, len(data) + 8])
        m = cmac_aes(self.s_mac, self.chain + header + data)
        self.chain = m
        return header + data + m[:8] + le

    def unwrap(self, resp: bytes) -> tuple[bytes, int]:
        data, sw = resp[:-2], sw_of(resp)
        if self.level & 0x10 and (sw == 0x9000 or sw >> 8 in (0x62, 0x63)):
            body, rmac = data[:-8], data[-8:]
            assert cmac_aes(self.s_rmac, self.chain + body + sw.to_bytes(2, "big"))[:8] == rmac, (
                "R-MAC"
            )
            data = body
            if self.level & 0x20 and data:
                icv = aes(self.s_enc, b"\x80" + self.counter.to_bytes(16, "big")[1:])
                data = unpad(aes(self.s_enc, data, icv, decrypt=True))
        return data, sw

    def send(self, apdu: bytes) -> tuple[bytes, int]:
        resp = self.card.transmit(self.wrap(apdu))  # type: ignore[attr-defined]
        while resp[-2] == 0x61:
            resp = resp[:-2] + self.card.transmit(bytes([0, 0xC0, 0, 0, resp[-1]]))  # type: ignore[attr-defined]
        return self.unwrap(resp)

    def put_key_block(self, key: bytes) -> bytes:
        """AES key data block for PUT KEY: 88 len keylen E(DEK, key) 03 KCV."""
        enc = aes(self.dek, key + bytes(-len(key) % 16), bytes(16))
        kcv = aes(key, b"\x01" * 16)[:3]
        body = bytes([len(key)]) + enc
        return bytes([0x88, len(body)]) + body + b"\x03" + kcv


def retail_mac(key: bytes, data: bytes, iv: bytes) -> bytes:
    state = iv
    for i in range(0, len(data) - 8, 8):
        state = des3(key[:8] * 2, bytes(a ^ b for a, b in zip(state, data[i : i + 8], strict=True)))
    return des3(key, bytes(a ^ b for a, b in zip(state, data[-8:], strict=True)))


@dataclass
class SCP02Host:
    card: object
    enc: bytes
    mac: bytes
    dek: bytes
    kvn: int = 0
    level: int = 0x01
    host_challenge: bytes | None = None

    def open(self) -> bytes:
        host = self.host_challenge or os.urandom(8)
        resp = self.card.transmit(bytes([0x80, 0x50, self.kvn, 0, 8]) + host + b"\x00")  # type: ignore[attr-defined]
        assert sw_of(resp) == 0x9000, resp.hex()
        iu = resp[:-2]
        seq, card_chal, card_cryptogram = iu[12:14], iu[14:20], iu[20:28]

        def derive(key: bytes, const: str) -> bytes:
            return des3(key, h(const) + seq + bytes(12), bytes(8))

        self.s_enc, self.s_mac = derive(self.enc, "0182"), derive(self.mac, "0101")
        self.s_dek = derive(self.dek, "0181")
        assert des3(self.s_enc, pad(host + seq + card_chal, 8), bytes(8))[-8:] == card_cryptogram
        host_cryptogram = des3(self.s_enc, pad(seq + card_chal + host, 8), bytes(8))[-8:]
        header = bytes([0x84, 0x82, self.level, 0x00, 0x10])
        self.icv = bytes(8)
        m = retail_mac(self.s_mac, pad(header + host_cryptogram, 8), self.icv)
        self.last = m
        resp = self.card.transmit(header + host_cryptogram + m)  # type: ignore[attr-defined]
        assert sw_of(resp) == 0x9000, resp.hex()
        return iu

    def wrap(self, apdu: bytes) -> bytes:
        cla, ins, p1, p2 = apdu[:4]
        data = apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b""
        le = apdu[5 + len(data) :] if len(apdu) > 5 else apdu[4:]
        header = bytes([cla | 0x04, ins, p1, p2, len(data) + 8])
        icv = des3(self.s_mac[:8] * 2, self.last)
        m = retail_mac(self.s_mac, pad(header + data, 8), icv)
        self.last = m
        if self.level & 0x02 and data:
            data = des3(self.s_enc, pad(data, 8), bytes(8))
        return bytes([cla | 0x04, ins, p1, p2, len(data) + 8]) + data + m + le

    def send(self, apdu: bytes) -> tuple[bytes, int]:
        resp = self.card.transmit(self.wrap(apdu))  # type: ignore[attr-defined]
        return resp[:-2], sw_of(resp)

    def put_key_block(self, key: bytes) -> bytes:
        enc = des3(self.s_dek, key)
        kcv = des3(key, bytes(8))[:3]
        return bytes([0x80, 0x10]) + enc + b"\x03" + kcv


# --- GlobalPlatform command builders (gp-apdu.md 1.3) ------------------------------------------


def lv(data: bytes) -> bytes:
    return bytes([len(data)]) + data


def ber_len(n: int) -> bytes:
    return (
        bytes([n])
        if n < 0x80
        else bytes([0x81, n])
        if n < 0x100
        else bytes([0x82]) + n.to_bytes(2, "big")
    )


def apdu(header: str, data: bytes, le: bool = False) -> bytes:
    return h(header) + bytes([len(data)]) + data + (b"\x00" if le else b"")


def install_for_load(elf: bytes, sd: bytes = b"", load_hash: bytes = b"") -> bytes:
    return apdu("80E60200", lv(elf) + lv(sd) + lv(load_hash) + b"\x00\x00")


def load_blocks(lfdb: bytes, size: int = 200) -> list[bytes]:
    load_file = b"\xc4" + ber_len(len(lfdb)) + lfdb
    chunks = [load_file[i : i + size] for i in range(0, len(load_file), size)]
    return [
        apdu(f"80E8{0x80 if i == len(chunks) - 1 else 0:02X}{i:02X}", c)
        for i, c in enumerate(chunks)
    ]


def install_cmd(
    elf: bytes,
    module: bytes,
    instance: bytes,
    privileges: bytes = b"\x00",
    params: bytes = h("C900"),
    p1: str = "0C",
) -> bytes:
    return apdu(
        f"80E6{p1}00",
        lv(elf)
        + lv(module)
        + lv(instance)
        + lv(privileges)
        + ber_len(len(params))
        + params
        + b"\x00",
    )


def perso_cmd(aid: bytes) -> bytes:
    return apdu("80E62000", b"\x00\x00" + lv(aid) + b"\x00\x00\x00")


def make_selectable_cmd(aid: bytes) -> bytes:
    return apdu("80E60800", b"\x00\x00" + lv(aid) + b"\x00\x00\x00")


def delete_cmd(aid: bytes, related: bool = False) -> bytes:
    return apdu(f"80E400{0x80 if related else 0:02X}", b"\x4f" + lv(aid))


def select_cmd(aid: bytes, p2: int = 0) -> bytes:
    return apdu(f"00A404{p2:02X}", aid, le=True)


def parse_tlvs(data: bytes) -> list[tuple[int, bytes]]:
    """Tiny BER-TLV reader for checking answers."""
    out = []
    i = 0
    while i < len(data):
        tag = data[i]
        i += 1
        if tag & 0x1F == 0x1F:
            tag = (tag << 8) | data[i]
            i += 1
        n = data[i]
        i += 1
        if n == 0x81:
            n, i = data[i], i + 1
        elif n == 0x82:
            n, i = int.from_bytes(data[i : i + 2], "big"), i + 2
        out.append((tag, data[i : i + n]))
        i += n
    return out
