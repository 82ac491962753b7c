"""SCP03 (GP Amendment D) from the card's side: KDF, cryptograms, command unwrapping,
response wrapping.

Rules follow gp-apdu.md 2.1-2.5: encrypt-then-MAC on commands, an encryption
counter that advances on every secured command, R-MAC chained on the command's
C-MAC, R-ENC with the counter block whose first byte is 80.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cardsim.apdu import CommandAPDU
from cardsim.crypto import (
    PaddingError,
    aes_cbc_decrypt,
    aes_cbc_encrypt,
    aes_cmac,
    aes_ecb_encrypt,
    pad80,
    unpad80,
)
from cardsim.errors import SW_INCORRECT_P1P2, SW_SECURITY_NOT_SATISFIED, SWError

DC_CARD_CRYPTOGRAM = 0x00
DC_HOST_CRYPTOGRAM = 0x01
DC_CARD_CHALLENGE = 0x02
DC_S_ENC = 0x04
DC_S_MAC = 0x06
DC_S_RMAC = 0x07

C_MAC, C_DEC, R_MAC, R_ENC = 0x01, 0x02, 0x10, 0x20
LEVELS = (0x00, 0x01, 0x03, 0x11, 0x13, 0x33)


def kdf(key: bytes, constant: int, context: bytes, bits: int) -> bytes:
    """NIST SP 800-108 counter-mode KDF with AES-CMAC, counter after the L field."""
    out = b""
    counter = 1
    while len(out) * 8 < bits:
        block = (
            bytes(11) + bytes([constant, 0]) + bits.to_bytes(2, "big") + bytes([counter]) + context
        )
        out += aes_cmac(key, block)
        counter += 1
    return out[: bits // 8]


@dataclass(frozen=True)
class SessionKeys:
    enc: bytes
    mac: bytes
    rmac: bytes


def session_keys(static_enc: bytes, static_mac: bytes, context: bytes) -> SessionKeys:
    """S-ENC, S-MAC, S-RMAC for context = host challenge || card challenge."""
    bits = len(static_enc) * 8
    return SessionKeys(
        enc=kdf(static_enc, DC_S_ENC, context, bits),
        mac=kdf(static_mac, DC_S_MAC, context, len(static_mac) * 8),
        rmac=kdf(static_mac, DC_S_RMAC, context, len(static_mac) * 8),
    )


def card_cryptogram(s_mac: bytes, host_challenge: bytes, card_challenge: bytes) -> bytes:
    return kdf(s_mac, DC_CARD_CRYPTOGRAM, host_challenge + card_challenge, 64)


def host_cryptogram(s_mac: bytes, host_challenge: bytes, card_challenge: bytes) -> bytes:
    return kdf(s_mac, DC_HOST_CRYPTOGRAM, host_challenge + card_challenge, 64)


def pseudo_random_challenge(static_enc: bytes, counter: int, invoking_aid: bytes) -> bytes:
    """AMDD 6.2.2.1: card challenge = KDF(Key-ENC, 02, counter(3) || AID, 64)."""
    return kdf(static_enc, DC_CARD_CHALLENGE, counter.to_bytes(3, "big") + invoking_aid, 64)


def _lc_field(apdu: CommandAPDU, length: int) -> bytes:
    return b"\x00" + length.to_bytes(2, "big") if apdu.extended else bytes([length])


@dataclass
class SCP03Session:
    """Card-side state of one SCP03 session, from INITIALIZE UPDATE on."""

    keys: SessionKeys
    host_challenge: bytes
    card_challenge: bytes
    i_param: int
    static_dek: bytes
    level: int = 0
    authenticated: bool = False
    chaining: bytes = field(default_factory=lambda: bytes(16))
    counter: int = 0

    @property
    def card_cryptogram(self) -> bytes:
        return card_cryptogram(self.keys.mac, self.host_challenge, self.card_challenge)

    def external_authenticate(self, apdu: CommandAPDU) -> None:
        """Checks host cryptogram and C-MAC of EXTERNAL AUTHENTICATE; raises SWError."""
        level = apdu.p1
        if level not in LEVELS:
            raise SWError(SW_INCORRECT_P1P2, "unsupported security level")
        if level & R_MAC and not self.i_param & 0x20:
            raise SWError(SW_INCORRECT_P1P2, "R-MAC not supported with this i")
        if len(apdu.data) != 16 or not apdu.cla & 0x04:
            raise SWError(SW_SECURITY_NOT_SATISFIED, "EXTERNAL AUTHENTICATE not secured")
        expected = host_cryptogram(self.keys.mac, self.host_challenge, self.card_challenge)
        if apdu.data[:8] != expected:
            raise SWError(SW_SECURITY_NOT_SATISFIED, "host cryptogram mismatch")
        mac = aes_cmac(self.keys.mac, bytes(16) + apdu.header + _lc_field(apdu, 16) + apdu.data[:8])
        if mac[:8] != apdu.data[8:]:
            raise SWError(SW_SECURITY_NOT_SATISFIED, "C-MAC mismatch")
        self.chaining = mac
        self.level = level
        self.authenticated = True

    def unwrap(self, apdu: CommandAPDU) -> CommandAPDU:
        """Verifies and strips C-MAC, decrypts C-DECRYPTION data; raises SWError(6982)."""
        self.counter += 1
        if not self.level & C_MAC:
            if apdu.cla & 0x04:
                raise SWError(SW_SECURITY_NOT_SATISFIED, "secured command at level 00")
            return apdu
        if not apdu.cla & 0x04 or len(apdu.data) < 8:
            raise SWError(SW_SECURITY_NOT_SATISFIED, "command lacks C-MAC")
        body, mac = apdu.data[:-8], apdu.data[-8:]
        mac_cla = apdu.cla & ~0x03 & 0xFF  # logical channel bits are zero in the MAC input
        full = aes_cmac(
            self.keys.mac,
            self.chaining
            + bytes([mac_cla])
            + apdu.header[1:]
            + _lc_field(apdu, len(apdu.data))
            + body,
        )
        if full[:8] != mac:
            raise SWError(SW_SECURITY_NOT_SATISFIED, "C-MAC mismatch")
        self.chaining = full
        if self.level & C_DEC and body:
            if len(body) % 16:
                raise SWError(SW_SECURITY_NOT_SATISFIED, "ciphertext not a block multiple")
            icv = aes_ecb_encrypt(self.keys.enc, self.counter.to_bytes(16, "big"))
            try:
                body = unpad80(aes_cbc_decrypt(self.keys.enc, icv, body))
            except PaddingError as exc:
                raise SWError(SW_SECURITY_NOT_SATISFIED, "bad C-DEC padding") from exc
        return apdu.with_data(body, cla=apdu.cla & ~0x04 & 0xFF)

    def wrap_response(self, data: bytes, sw: int) -> bytes:
        """Adds R-ENC / R-MAC to a successful answer (error SWs stay bare)."""
        if not self.level & R_MAC or not (sw == 0x9000 or sw >> 8 in (0x62, 0x63)):
            return data
        if self.level & R_ENC and data:
            block = self.counter.to_bytes(16, "big")
            icv = aes_ecb_encrypt(self.keys.enc, b"\x80" + block[1:])
            data = aes_cbc_encrypt(self.keys.enc, icv, pad80(data, 16))
        rmac = aes_cmac(self.keys.rmac, self.chaining + data + sw.to_bytes(2, "big"))
        return data + rmac[:8]

    def response_overhead(self) -> int:
        """Bytes R-MAC/R-ENC may add to an answer, so that GET STATUS pages fit 256."""
        extra = 8 if self.level & R_MAC else 0
        return extra + (16 if self.level & R_ENC else 0)

    def decrypt_key(self, cryptogram: bytes, key_len: int) -> bytes:
        """PUT KEY: AES keys travel encrypted with the static DEK, AES-CBC, IV zero."""
        if len(cryptogram) % 16:
            raise ValueError("key cryptogram not a block multiple")
        return aes_cbc_decrypt(self.static_dek, bytes(16), cryptogram)[:key_len]
