"""app.fieldcrypto: encrypted user input exactly as fdsm builds it.

Facts from fidesmo/fdsm library/src/main/java/com/fidesmo/fdsm/ServiceDeliverySession.java
(commit 053cea19): encrypt() = AES/CBC/PKCS5Padding with `new IvParameterSpec(new byte[16])`
over the UTF-8 value; generateEphemeralKey() = a fresh 256-bit AES key; encryptSessionKey() =
RSA/ECB/OAEPWithSHA-512AndMGF1Padding with OAEPParameterSpec("SHA-512", "MGF1",
MGF1ParameterSpec.SHA512, PSource.PSpecified.DEFAULT); values and the key as
HexUtils.bin2hex (martinpaljak/apdu4j core/src/main/java/apdu4j/core/HexUtils.java:
bin2hex -> encodeHexString_imp with UPPER_HEX, i.e. upper case hex).
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.padding import MGF1, OAEP
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from app import fieldcrypto
from app.errors import ProtocolError
from tests.helpers.spcert import self_signed


def test_sealed_values_open_with_the_sps_key_and_the_fdsm_parameters() -> None:
    key, cert = self_signed()
    sealed = fieldcrypto.seal(cert, {"pin": "1234", "name": "Åsa"})
    assert set(sealed.fields) == {"pin", "name"}
    assert sealed.ephemeral_key == sealed.ephemeral_key.upper()
    assert all(v == v.upper() and b"1234" not in bytes.fromhex(v)
               for v in sealed.fields.values())
    # the key is unwrapped with explicitly SHA-512 OAEP and MGF1-SHA-512, no label
    aes = key.decrypt(bytes.fromhex(sealed.ephemeral_key),  # type: ignore[union-attr]
                      OAEP(mgf=MGF1(hashes.SHA512()), algorithm=hashes.SHA512(), label=None))
    assert len(aes) == 32  # AES-256
    dec = Cipher(algorithms.AES(aes), modes.CBC(bytes(16))).decryptor()
    raw = dec.update(bytes.fromhex(sealed.fields["pin"])) + dec.finalize()
    assert raw == b"1234" + bytes([12]) * 12  # zero IV, PKCS#7 padding to one block
    assert fieldcrypto.unseal(key, sealed.fields, sealed.ephemeral_key) == {  # type: ignore[arg-type]
        "pin": "1234", "name": "Åsa"}


def test_every_seal_has_a_fresh_ephemeral_key() -> None:
    _key, cert = self_signed()
    a = fieldcrypto.seal(cert, {"pin": "1234"})
    b = fieldcrypto.seal(cert, {"pin": "1234"})
    assert a.fields["pin"] != b.fields["pin"]
    assert "1234" not in repr(a)


def test_a_certificate_that_is_not_one_or_not_rsa_is_refused_by_name() -> None:
    with pytest.raises(ProtocolError) as bad:
        fieldcrypto.seal("3082", {"pin": "1"})
    assert bad.value.field == "certificate"
    _key, ec_cert = self_signed(ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(ProtocolError, match="RSA"):
        fieldcrypto.seal(ec_cert, {"pin": "1"})
