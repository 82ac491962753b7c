"""Encrypted user input: field values only the Service Provider can read.

A Service Description may carry the SP's X.509 certificate (`certificate`, hex
DER); a user-interaction operation with `encrypted: true` then wants every
value AES-256-CBC encrypted (zero IV, PKCS#7) under a fresh ephemeral key, as
hex, and that key RSA-OAEP (SHA-512, MGF1-SHA-512) encrypted under the
certificate's public key, as hex in `ephemeralKey` — the way the public
platform's own client does it (fdsm ServiceDeliverySession: processUIOperation,
encrypt, generateEphemeralKey, encryptSessionKey). The clear values never leave
this module in anything but the caller's own hands.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import MGF1, OAEP
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from app.errors import ProtocolError

KEY_BYTES = 32  # AES-256
ZERO_IV = bytes(16)


def oaep() -> OAEP:
    """RSA/ECB/OAEPWithSHA-512AndMGF1Padding with the parameters fdsm gives explicitly."""
    return OAEP(mgf=MGF1(algorithm=hashes.SHA512()), algorithm=hashes.SHA512(), label=None)


def public_key(certificate_hex: str) -> rsa.RSAPublicKey:
    """The SP's RSA key from its certificate; a clear error when it is not one."""
    try:
        der = bytes.fromhex(certificate_hex)
        cert = x509.load_der_x509_certificate(der)
        key = cert.public_key()
    except ValueError as exc:
        raise ProtocolError(f"the service's certificate cannot be read: {exc}",
                            field="certificate") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ProtocolError("the service's certificate does not hold an RSA key",
                            field="certificate")
    return key


def aes_encrypt(key: bytes, text: str) -> bytes:
    """AES/CBC/PKCS5Padding with a zero IV over the UTF-8 text."""
    padder = padding.PKCS7(128).padder()
    data = padder.update(text.encode("utf-8")) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(ZERO_IV)).encryptor()
    return enc.update(data) + enc.finalize()


def aes_decrypt(key: bytes, blob: bytes) -> str:
    """The inverse of aes_encrypt (what the SP does)."""
    dec = Cipher(algorithms.AES(key), modes.CBC(ZERO_IV)).decryptor()
    data = dec.update(blob) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode("utf-8")


@dataclass(frozen=True)
class Sealed:
    """What goes into the operationResult: hex values and the wrapped key."""

    fields: dict[str, str]
    ephemeral_key: str

    def __repr__(self) -> str:  # nothing clear here, but keep logs short
        return f"Sealed(fields={sorted(self.fields)}, ephemeral_key=...)"


def seal(certificate_hex: str, values: Mapping[str, str]) -> Sealed:
    """Encrypts every value under one fresh ephemeral key (a new one per call)."""
    rsa_key = public_key(certificate_hex)
    key = os.urandom(KEY_BYTES)
    fields = {k: aes_encrypt(key, v).hex().upper() for k, v in values.items()}
    wrapped = rsa_key.encrypt(key, oaep())
    return Sealed(fields, wrapped.hex().upper())


def unseal(private_key: rsa.RSAPrivateKey, fields: Mapping[str, str],
           ephemeral_key_hex: str) -> dict[str, str]:
    """The SP's side: the clear values from a sealed operationResult."""
    key = private_key.decrypt(bytes.fromhex(ephemeral_key_hex), oaep())
    if len(key) != KEY_BYTES:
        raise ValueError("the ephemeral key is not an AES-256 key")
    return {k: aes_decrypt(key, bytes.fromhex(v)) for k, v in fields.items()}
