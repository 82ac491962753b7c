"""SCP02 host side (GP Card Specification 2.2.1 Appendix E), i=15/55 behaviour.

Two-key 3DES. Session keys depend on the card's sequence counter; the C-MAC is
a retail MAC over the modified header and the clear data, its ICV being the
previous C-MAC encrypted with single DES; C-DEC encrypts after the MAC.
Only levels 01 and 03 (no R-MAC) are offered.
"""

from __future__ import annotations

import hmac
from typing import Any

from backend_stub.compiler.apdu import ApduError, CommandApdu
from backend_stub.compiler.channel import InitUpdateResponse, SecureChannel, SecureChannelError
from backend_stub.compiler.crypto import (
    DES_BLOCK,
    des3_cbc_encrypt,
    des3_ecb_encrypt,
    pad80,
    retail_mac,
)
from backend_stub.compiler.keys import StaticKeys, kcv_des3

CONST_CMAC, CONST_RMAC, CONST_ENC, CONST_DEK = b"\x01\x01", b"\x01\x02", b"\x01\x82", b"\x01\x81"
LEVELS = (0x01, 0x03)


def derive(key: bytes, constant: bytes, sequence: bytes) -> bytes:
    """Session key = 3DES-CBC(static, IV 0, constant || seq || 00 x 12)."""
    return des3_cbc_encrypt(key, bytes(8), constant + sequence + bytes(12))


def full_mac(key: bytes, data: bytes) -> bytes:
    """Full 3DES CBC-MAC with padding method 2 (used for the cryptograms)."""
    return des3_cbc_encrypt(key, bytes(8), pad80(data, DES_BLOCK))[-8:]


class Scp02Channel(SecureChannel):
    scp = 2

    def __init__(self, static: StaticKeys, host_challenge: bytes, iu: InitUpdateResponse,
                 level: int) -> None:
        if level not in LEVELS:
            raise SecureChannelError(f"SCP02 security level {level:02X} not supported; 01 or 03")
        if any(len(k) != 16 for k in (static.enc, static.mac, static.dek)):
            raise SecureChannelError("SCP02 needs 16-byte two-key 3DES keys")
        seq = iu.sequence
        self.s_enc = derive(static.enc, CONST_ENC, seq)
        self.s_mac = derive(static.mac, CONST_CMAC, seq)
        self.s_rmac = derive(static.mac, CONST_RMAC, seq)
        self.s_dek = derive(static.dek, CONST_DEK, seq)
        expected = full_mac(self.s_enc, host_challenge + seq + iu.card_challenge)
        if not hmac.compare_digest(expected, iu.card_cryptogram):
            raise SecureChannelError("card cryptogram mismatch")
        self.host_cryptogram = full_mac(self.s_enc, seq + iu.card_challenge + host_challenge)
        self.level = level
        self.last_mac = bytes(8)
        self.authenticated = False
        self.pending = 0

    def _mac(self, header_and_data: bytes) -> bytes:
        icv = bytes(8)
        if self.authenticated:
            icv = des3_ecb_encrypt(self.s_mac[:8], self.last_mac)
        self.last_mac = retail_mac(self.s_mac, header_and_data, icv)
        return self.last_mac

    def external_authenticate(self) -> bytes:
        if self.authenticated:
            raise SecureChannelError("EXTERNAL AUTHENTICATE already sent")
        header = bytes([0x84, 0x82, self.level, 0x00, 0x10])
        mac = self._mac(header + self.host_cryptogram)
        self.authenticated = True
        return header + self.host_cryptogram + mac

    def wrap(self, apdu: bytes) -> bytes:
        if not self.authenticated:
            raise SecureChannelError("wrap before EXTERNAL AUTHENTICATE")
        try:
            cmd = CommandApdu.decode(apdu)
        except ApduError as exc:
            raise SecureChannelError(f"cannot wrap a malformed command: {exc}") from None
        if len(cmd.data) + 8 > 255:
            raise SecureChannelError("SCP02 commands are short APDUs: data + MAC over 255 bytes")
        cla = cmd.cla | 0x04
        mac = self._mac(bytes([cla, cmd.ins, cmd.p1, cmd.p2, len(cmd.data) + 8]) + cmd.data)
        data = cmd.data
        if self.level & 0x02 and data:
            data = des3_cbc_encrypt(self.s_enc, bytes(8), pad80(data, DES_BLOCK))
        if len(data) + 8 > 255:
            raise SecureChannelError("SCP02 encrypted command over 255 bytes")
        self.pending += 1
        return CommandApdu(cla, cmd.ins, cmd.p1, cmd.p2, data + mac, cmd.le).encode()

    def unwrap(self, response: bytes) -> bytes:
        if len(response) < 2:
            raise SecureChannelError("answer shorter than its status word")
        if self.pending <= 0:
            raise SecureChannelError("answer without a wrapped command")
        self.pending -= 1
        return response

    def encrypt_key(self, key: bytes) -> bytes:
        """3DES-ECB with the session DEK."""
        if len(key) != 16:
            raise SecureChannelError("SCP02 PUT KEY carries 16-byte 3DES keys")
        return des3_ecb_encrypt(self.s_dek, key)

    def key_component(self, key: bytes) -> bytes:
        """PUT KEY key block for one 3DES key: 80 10 cryptogram 03 KCV."""
        return b"\x80\x10" + self.encrypt_key(key) + b"\x03" + kcv_des3(key)

    @property
    def block_overhead(self) -> int:
        return 16 if self.level & 0x02 else 8

    def to_dict(self) -> dict[str, Any]:
        return {"scp": 2, "level": self.level, "enc": self.s_enc.hex(), "mac": self.s_mac.hex(),
                "rmac": self.s_rmac.hex(), "dek": self.s_dek.hex(),
                "last_mac": self.last_mac.hex(), "authenticated": self.authenticated,
                "pending": self.pending}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Scp02Channel:
        self = cls.__new__(cls)
        self.level = int(d["level"])
        self.s_enc = bytes.fromhex(d["enc"])
        self.s_mac = bytes.fromhex(d["mac"])
        self.s_rmac = bytes.fromhex(d["rmac"])
        self.s_dek = bytes.fromhex(d["dek"])
        self.host_cryptogram = b""
        self.last_mac = bytes.fromhex(d["last_mac"])
        self.authenticated = bool(d["authenticated"])
        self.pending = int(d["pending"])
        return self
