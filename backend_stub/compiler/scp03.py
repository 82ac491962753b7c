"""SCP03 host side (GlobalPlatform Amendment D v1.1.1), S8 mode.

Session keys come from an SP 800-108 CMAC KDF over both challenges; commands
are encrypted first (C-DEC, counter-derived ICV) and then MACed with a
16-byte chaining value; answers are MAC-checked (R-MAC) then decrypted (R-ENC).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

from backend_stub.compiler.apdu import ApduError, CommandApdu
from backend_stub.compiler.channel import (
    InitUpdateResponse,
    SecureChannel,
    SecureChannelError,
    is_protected_sw,
)
from backend_stub.compiler.crypto import (
    aes_cbc_decrypt,
    aes_cbc_encrypt,
    aes_cmac,
    aes_ecb,
    pad80,
    unpad80,
)
from backend_stub.compiler.keys import StaticKeys, kcv_aes

CARD_CRYPTOGRAM, HOST_CRYPTOGRAM, CARD_CHALLENGE = 0x00, 0x01, 0x02
S_ENC, S_MAC, S_RMAC = 0x04, 0x06, 0x07
LEVELS = (0x00, 0x01, 0x03, 0x11, 0x13, 0x33)
C_MAC, C_DEC, R_MAC, R_ENC = 0x01, 0x02, 0x10, 0x20


def kdf(key: bytes, constant: int, context: bytes, bits: int) -> bytes:
    """SP 800-108 counter-mode KDF with AES-CMAC, layout of Amendment D 4.1.5."""
    out = b""
    counter = 1
    while len(out) * 8 < bits:
        block = bytes(11) + bytes([constant, 0]) + bits.to_bytes(2, "big") + bytes([counter])
        out += aes_cmac(key, block + context)
        counter += 1
    return out[: bits // 8]


@dataclass(frozen=True)
class SessionKeys:
    enc: bytes
    mac: bytes
    rmac: bytes


def session_keys(static: StaticKeys, host_challenge: bytes, card_challenge: bytes) -> SessionKeys:
    context = host_challenge + card_challenge
    bits = len(static.enc) * 8
    return SessionKeys(
        kdf(static.enc, S_ENC, context, bits),
        kdf(static.mac, S_MAC, context, len(static.mac) * 8),
        kdf(static.mac, S_RMAC, context, len(static.mac) * 8),
    )


def card_cryptogram(s_mac: bytes, host_challenge: bytes, card_challenge: bytes) -> bytes:
    return kdf(s_mac, CARD_CRYPTOGRAM, host_challenge + card_challenge, 64)


def host_cryptogram(s_mac: bytes, host_challenge: bytes, card_challenge: bytes) -> bytes:
    return kdf(s_mac, HOST_CRYPTOGRAM, host_challenge + card_challenge, 64)


def pseudo_random_challenge(static_enc: bytes, sequence: bytes, sd_aid: bytes) -> bytes:
    """Card challenge of i=10/70 cards: KDF(Key-ENC, 02, counter || AID, 64)."""
    return kdf(static_enc, CARD_CHALLENGE, sequence + sd_aid, 64)


def check_level(level: int, i: int | None) -> None:
    if level not in LEVELS:
        raise SecureChannelError(f"SCP03 security level {level:02X} not supported; one of"
                                 f" {', '.join(f'{x:02X}' for x in LEVELS)}")
    i = i or 0
    if level & R_MAC and not i & 0x20:
        raise SecureChannelError(f"level {level:02X} needs R-MAC but the card's i={i:02X}"
                                 " has no R-MAC support")
    if level & R_ENC and not i & 0x40:
        raise SecureChannelError(f"level {level:02X} needs R-ENC but the card's i={i:02X}"
                                 " has no R-ENC support")


def _split_short(apdu: bytes) -> tuple[int, int, int, int, bytes, int | None] | None:
    """Fast path for the short case 3/4 commands a script is made of; None for anything else.

    Skips re-validating what gp.py just built (a 250-block LOAD wraps 250 of
    them); odd shapes go through the full decoder.
    """
    n = len(apdu)
    if n < 6 or not apdu[4] or n not in (5 + apdu[4], 6 + apdu[4]):
        return None
    lc = apdu[4]
    le = (apdu[-1] or 256) if n == 6 + lc else None
    return apdu[0], apdu[1], apdu[2], apdu[3], apdu[5:5 + lc], le


class Scp03Channel(SecureChannel):
    scp = 3

    def __init__(self, static: StaticKeys, host_challenge: bytes, iu: InitUpdateResponse,
                 level: int, *, sd_aid: bytes | None = None, check_challenge: bool = False) -> None:
        if len(static.enc) not in (16, 24, 32) or len(static.mac) != len(static.enc):
            raise SecureChannelError("SCP03 needs AES-128/192/256 keys of one length")
        check_level(level, iu.i)
        if check_challenge and iu.i is not None and iu.i & 0x10:
            expected = pseudo_random_challenge(static.enc, iu.sequence, sd_aid or b"")
            if not hmac.compare_digest(expected, iu.card_challenge):
                raise SecureChannelError("pseudo-random card challenge mismatch")
        keys = session_keys(static, host_challenge, iu.card_challenge)
        expected_cc = card_cryptogram(keys.mac, host_challenge, iu.card_challenge)
        if not hmac.compare_digest(expected_cc, iu.card_cryptogram):
            raise SecureChannelError("card cryptogram mismatch")
        self.level = level
        self.keys = keys
        self.static_dek = static.dek
        self.host_cryptogram = host_cryptogram(keys.mac, host_challenge, iu.card_challenge)
        self.chain = bytes(16)
        self.counter = 0
        self.authenticated = False
        # Per wrapped command, what its answer needs: (R-MAC chaining value, counter).
        self.pending: list[tuple[bytes, int]] = []

    def external_authenticate(self) -> bytes:
        if self.authenticated:
            raise SecureChannelError("EXTERNAL AUTHENTICATE already sent")
        header = bytes([0x84, 0x82, self.level, 0x00, 0x10])
        self.chain = aes_cmac(self.keys.mac, self.chain + header + self.host_cryptogram)
        self.authenticated = True
        return header + self.host_cryptogram + self.chain[:8]

    def wrap(self, apdu: bytes) -> bytes:
        if not self.authenticated:
            raise SecureChannelError("wrap before EXTERNAL AUTHENTICATE")
        parts = _split_short(apdu)
        if parts is None:
            try:
                c = CommandApdu.decode(apdu)
            except ApduError as exc:
                raise SecureChannelError(f"cannot wrap a malformed command: {exc}") from None
            parts = (c.cla, c.ins, c.p1, c.p2, c.data, c.le)
        cla0, ins, p1, p2, data, le = parts
        self.counter += 1
        if self.level & C_DEC and data:
            data = self._encrypt(pad80(data, 16))
        if not self.level & C_MAC:
            self.pending.append((self.chain, self.counter))
            return CommandApdu(cla0, ins, p1, p2, data, le).encode()
        cla = cla0 | 0x04
        lc = len(data) + 8
        if lc > 0xFFFF:
            raise SecureChannelError("wrapped command is too long")
        lc_field = bytes([lc]) if lc <= 255 else b"\x00" + lc.to_bytes(2, "big")
        mac_input = self.chain + bytes([cla & 0xFC, ins, p1, p2]) + lc_field + data
        self.chain = self._cmac(mac_input)
        self.pending.append((self.chain, self.counter))
        if lc <= 255 and (le is None or le <= 256):  # short form, the usual case
            le_field = b"" if le is None else bytes([le & 0xFF])
            return bytes([cla, ins, p1, p2, lc]) + data + self.chain[:8] + le_field
        return CommandApdu(cla, ins, p1, p2, data + self.chain[:8], le,
                           extended=True).encode()

    def _cmac(self, data: bytes) -> bytes:
        """C-MAC with S-MAC."""
        return self._keyed("_cmac_base", self.keys.mac, data)

    def _keyed(self, slot: str, key: bytes, data: bytes) -> bytes:
        """AES-CMAC of `data`: a keyed context is set up once per key (kept in `slot`)
        and copied per message, a third of the cost of a fresh one on a 100+ APDU batch."""
        base = getattr(self, slot, None)
        if base is None:
            base = CMAC(algorithms.AES(key))
            setattr(self, slot, base)
        mac = base.copy()
        mac.update(data)
        return mac.finalize()

    def _encrypt(self, padded: bytes) -> bytes:
        """C-DEC of one command: AES-CBC with ICV = AES(S-ENC, counter).

        One CBC stream (IV 0) serves the whole script, which saves two cipher
        set-ups per command on a 250-block LOAD: feeding it counter XOR the
        previous ciphertext block yields AES(counter), the ICV, and the data
        blocks that follow are then chained from that ICV, as the spec wants.
        """
        stream = getattr(self, "_stream", None)
        if stream is None:
            stream = Cipher(algorithms.AES(self.keys.enc), modes.CBC(bytes(16))).encryptor()
            self._stream, self._prev = stream, bytes(16)
        first = (self.counter ^ int.from_bytes(self._prev, "big")).to_bytes(16, "big")
        out = stream.update(first + padded)
        self._prev = out[-16:]
        return out[16:]

    def unwrap(self, response: bytes) -> bytes:
        if len(response) < 2:
            raise SecureChannelError("answer shorter than its status word")
        if not self.pending:
            raise SecureChannelError("answer without a wrapped command")
        chain, counter = self.pending.pop(0)
        data, sw = response[:-2], response[-2:]
        if not is_protected_sw(sw[0], sw[1]):
            return response
        if self.level & R_MAC:
            if len(data) < 8:
                raise SecureChannelError(f"answer {response.hex().upper()} lacks its R-MAC")
            data, mac = data[:-8], data[-8:]
            expected = self._keyed("_rmac_base", self.keys.rmac, chain + data + sw)[:8]
            if not hmac.compare_digest(expected, mac):
                raise SecureChannelError("R-MAC mismatch")
        if self.level & R_ENC and data:
            if len(data) % 16:
                raise SecureChannelError("R-ENC data is not a whole number of AES blocks")
            icv = aes_ecb(self.keys.enc, b"\x80" + counter.to_bytes(15, "big"))
            try:
                data = unpad80(aes_cbc_decrypt(self.keys.enc, icv, data))
            except ValueError:
                raise SecureChannelError("R-ENC padding invalid") from None
        return data + sw

    def encrypt_key(self, key: bytes) -> bytes:
        """AES-CBC with the static Key-DEK and zero ICV; 24-byte keys padded to 32."""
        padded = key + bytes(-len(key) % 16)
        return aes_cbc_encrypt(self.static_dek, bytes(16), padded)

    def key_component(self, key: bytes) -> bytes:
        """PUT KEY key block for one AES key: 88 len keylen cryptogram 03 KCV."""
        enc = self.encrypt_key(key)
        return bytes([0x88, len(enc) + 1, len(key)]) + enc + b"\x03" + kcv_aes(key)

    @property
    def block_overhead(self) -> int:
        if self.level & C_DEC:
            return 24
        return 8 if self.level & C_MAC else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "scp": 3, "level": self.level, "enc": self.keys.enc.hex(), "mac": self.keys.mac.hex(),
            "rmac": self.keys.rmac.hex(), "dek": self.static_dek.hex(), "chain": self.chain.hex(),
            "counter": self.counter, "authenticated": self.authenticated,
            "pending": [[c.hex(), n] for c, n in self.pending],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Scp03Channel:
        self = cls.__new__(cls)
        self.level = int(d["level"])
        self.keys = SessionKeys(bytes.fromhex(d["enc"]), bytes.fromhex(d["mac"]),
                                bytes.fromhex(d["rmac"]))
        self.static_dek = bytes.fromhex(d["dek"])
        self.host_cryptogram = b""
        self.chain = bytes.fromhex(d["chain"])
        self.counter = int(d["counter"])
        self.authenticated = bool(d["authenticated"])
        self.pending = [(bytes.fromhex(c), int(n)) for c, n in d["pending"]]
        return self
