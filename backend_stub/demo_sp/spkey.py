"""The demo SP's own RSA key and self-signed certificate, for encrypted user input.

Made once per demo SP process and kept in memory only (never written, never
logged): the certificate goes out in the Service Descriptions of its encrypted
services; the private key opens what the touch point sealed with it — the
ephemeral AES-256 key (RSA-OAEP, SHA-512, MGF1-SHA-512) and with that the
values (AES-CBC, zero IV, PKCS#7), as the public platform's client seals them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from cryptography import x509
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import MGF1, OAEP
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.oid import NameOID


class SealError(ValueError):
    """A sealed value that does not open (wrong key, damaged, not hex)."""


class SPKey:
    def __init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Demo Secrets Ltd")])
        now = dt.datetime.now(dt.UTC)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(self._key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(minutes=5))
                .not_valid_after(now + dt.timedelta(days=365))
                .sign(self._key, hashes.SHA256()))
        self.certificate_hex = cert.public_bytes(serialization.Encoding.DER).hex().upper()

    def __repr__(self) -> str:
        return "SPKey(<in memory>)"

    def open(self, fields: Mapping[str, object], ephemeral_key_hex: object) -> dict[str, str]:
        """The clear values of a sealed operation result."""
        try:
            key = self._key.decrypt(bytes.fromhex(str(ephemeral_key_hex)), OAEP(
                mgf=MGF1(hashes.SHA512()), algorithm=hashes.SHA512(), label=None))
            if len(key) != 32:
                raise SealError("the ephemeral key is not an AES-256 key")
            out = {}
            for fid, value in fields.items():
                dec = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).decryptor()
                raw = dec.update(bytes.fromhex(str(value))) + dec.finalize()
                unpad = padding.PKCS7(128).unpadder()
                out[fid] = (unpad.update(raw) + unpad.finalize()).decode("utf-8")
            return out
        except (ValueError, TypeError) as exc:
            raise SealError(f"a sealed value does not open: {type(exc).__name__}") from None
