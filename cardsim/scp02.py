"""SCP02 (GP 2.2.1 Appendix E, i=15/55) from the card's side.

MAC first over the clear command, then C-DECRYPTION on the data (the opposite
order to SCP03); C-MAC ICV for each command is the previous C-MAC encrypted
with single DES under the first half of S-MAC.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardsim.apdu import CommandAPDU
from cardsim.crypto import (
    PaddingError,
    pad80,
    retail_mac,
    tdes_cbc_decrypt,
    tdes_cbc_encrypt,
    tdes_ecb_decrypt,
    tdes_ecb_encrypt,
    unpad80,
)
from cardsim.errors import SW_INCORRECT_P1P2, SW_SECURITY_NOT_SATISFIED, SWError

CONST_CMAC = b"\x01\x01"
CONST_RMAC = b"\x01\x02"
CONST_DEK = b"\x01\x81"
CONST_ENC = b"\x01\x82"
C_MAC, C_DEC = 0x01, 0x02
LEVELS = (0x00, 0x01, 0x03)


def session_key(static_key: bytes, constant: bytes, sequence: int) -> bytes:
    """3DES-CBC(static, IV 0, constant || seq(2) || 00*12)."""
    return tdes_cbc_encrypt(
        static_key, bytes(8), constant + sequence.to_bytes(2, "big") + bytes(12)
    )


@dataclass(frozen=True)
class SessionKeys:
    enc: bytes
    mac: bytes
    rmac: bytes
    dek: bytes


def session_keys(enc: bytes, mac: bytes, dek: bytes, sequence: int) -> SessionKeys:
    return SessionKeys(
        enc=session_key(enc, CONST_ENC, sequence),
        mac=session_key(mac, CONST_CMAC, sequence),
        rmac=session_key(mac, CONST_RMAC, sequence),
        dek=session_key(dek, CONST_DEK, sequence),
    )


def full_mac(key: bytes, data: bytes) -> bytes:
    """Full 3DES CBC-MAC (IV 0, 80-padding), the SCP02 cryptogram function."""
    return tdes_cbc_encrypt(key, bytes(8), pad80(data, 8))[-8:]


def card_cryptogram(s_enc: bytes, host: bytes, sequence: int, card: bytes) -> bytes:
    return full_mac(s_enc, host + sequence.to_bytes(2, "big") + card)


def host_cryptogram(s_enc: bytes, host: bytes, sequence: int, card: bytes) -> bytes:
    return full_mac(s_enc, sequence.to_bytes(2, "big") + card + host)


def pseudo_random_challenge(s_mac: bytes, invoking_aid: bytes) -> bytes:
    """i=55: the card challenge is a C-MAC over the invoking AID with the session C-MAC key."""
    return retail_mac(s_mac, pad80(invoking_aid, 8))[:6]


@dataclass
class SCP02Session:
    """Card-side state of one SCP02 session."""

    keys: SessionKeys
    host_challenge: bytes
    card_challenge: bytes
    sequence: int
    i_param: int
    level: int = 0
    authenticated: bool = False
    last_mac: bytes | None = None  # None: next MAC uses a zero ICV (EXTERNAL AUTHENTICATE)

    @property
    def card_cryptogram(self) -> bytes:
        return card_cryptogram(
            self.keys.enc, self.host_challenge, self.sequence, self.card_challenge
        )

    def _icv(self) -> bytes:
        if self.last_mac is None:
            return bytes(8)
        return tdes_ecb_encrypt(self.keys.mac[:8], self.last_mac)

    def _check_mac(self, cla: int, apdu: CommandAPDU, clear: bytes, mac: bytes) -> None:
        header = bytes([cla]) + apdu.header[1:] + bytes([len(clear) + 8])
        computed = retail_mac(self.keys.mac, pad80(header + clear, 8), self._icv())
        if computed != mac:
            raise SWError(SW_SECURITY_NOT_SATISFIED, "C-MAC mismatch")
        self.last_mac = computed

    def external_authenticate(self, apdu: CommandAPDU) -> None:
        if apdu.p1 not in LEVELS:
            raise SWError(SW_INCORRECT_P1P2, "unsupported security level")
        if len(apdu.data) != 16 or not apdu.cla & 0x04:
            raise SWError(SW_SECURITY_NOT_SATISFIED, "EXTERNAL AUTHENTICATE not secured")
        expected = host_cryptogram(
            self.keys.enc, self.host_challenge, self.sequence, self.card_challenge
        )
        if apdu.data[:8] != expected:
            raise SWError(SW_SECURITY_NOT_SATISFIED, "host cryptogram mismatch")
        self.last_mac = None
        self._check_mac(apdu.cla & ~0x03 & 0xFF, apdu, apdu.data[:8], apdu.data[8:])
        self.level = apdu.p1
        self.authenticated = True

    def unwrap(self, apdu: CommandAPDU) -> CommandAPDU:
        if not self.level & C_MAC:
            if apdu.cla & 0x04:
                raise SWError(SW_SECURITY_NOT_SATISFIED, "secured command at level 00")
            return apdu
        if not apdu.cla & 0x04 or len(apdu.data) < 8:
            raise SWError(SW_SECURITY_NOT_SATISFIED, "command lacks C-MAC")
        body, mac = apdu.data[:-8], apdu.data[-8:]
        if self.level & C_DEC and body:
            if len(body) % 8:
                raise SWError(SW_SECURITY_NOT_SATISFIED, "ciphertext not a block multiple")
            try:
                body = unpad80(tdes_cbc_decrypt(self.keys.enc, bytes(8), body))
            except PaddingError as exc:
                raise SWError(SW_SECURITY_NOT_SATISFIED, "bad C-DEC padding") from exc
        self._check_mac(apdu.cla & ~0x03 & 0xFF, apdu, body, mac)
        return apdu.with_data(body, cla=apdu.cla & ~0x04 & 0xFF)

    def wrap_response(self, data: bytes, sw: int) -> bytes:
        return data  # R-MAC needs BEGIN R-MAC SESSION, which this card does not offer

    def response_overhead(self) -> int:
        return 0

    def decrypt_key(self, cryptogram: bytes, key_len: int) -> bytes:
        """PUT KEY: 3DES keys travel 3DES-ECB encrypted with the session DEK."""
        return tdes_ecb_decrypt(self.keys.dek, cryptogram)[:key_len]
