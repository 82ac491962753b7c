"""Demo "key store" applet (package A000000617007365637201, applet A00000061700736563720101).

APDUs:
- STORE DATA (through the security domain after INSTALL [for personalization], DGI format):
  DGI 0101 with a 32-byte P-256 private scalar stores that key;
  DGI 0102 with an empty value generates a fresh key pair on the card.
- `80 10 00 00 00` GET PUBLIC KEY: the 65-byte uncompressed point 04||X||Y.
- `80 20 00 00 Lc data [00]` SIGN: ECDSA-SHA256 over data, DER-encoded signature.
- Both answer 6985 while no key is stored; bad scalars give 6A80.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cardsim.apdu import CommandAPDU
from cardsim.applets.base import FORMAT_BER, Applet, Response, StoreDataBlock, parse_dgis
from cardsim.errors import (
    SW_CLA_NOT_SUPPORTED,
    SW_CONDITIONS_NOT_SATISFIED,
    SW_INCORRECT_P1P2,
    SW_INS_NOT_SUPPORTED,
    SW_WRONG_DATA,
    SW_WRONG_LENGTH,
    SWError,
)
from cardsim.tlv import TLVError

PACKAGE_AID = bytes.fromhex("A000000617007365637201")
APPLET_AID = bytes.fromhex("A00000061700736563720101")
DGI_PRIVATE_KEY = 0x0101
DGI_GENERATE = 0x0102
INS_PUBLIC_KEY = 0x10
INS_SIGN = 0x20
_ORDER = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)


class KeyStoreApplet(Applet):
    package_aid = PACKAGE_AID
    name = "keystore"

    def _key(self) -> ec.EllipticCurvePrivateKey:
        d = self.state.get("d")
        if not d:
            raise SWError(SW_CONDITIONS_NOT_SATISFIED, "no key stored")
        return ec.derive_private_key(int(d, 16), ec.SECP256R1())

    def store_data(self, block: StoreDataBlock) -> bytes:
        if block.data_format == FORMAT_BER:
            raise SWError(SW_WRONG_DATA, "key store takes DGI data")
        try:
            records = parse_dgis(block.data)
        except TLVError as exc:
            raise SWError(SW_WRONG_DATA, str(exc)) from exc
        for dgi, value in records:
            if dgi == DGI_PRIVATE_KEY:
                if len(value) != 32 or not 1 <= int.from_bytes(value, "big") < _ORDER:
                    raise SWError(SW_WRONG_DATA, "private scalar must be 32 bytes in [1, n-1]")
                self.state["d"] = value.hex().upper()
            elif dgi == DGI_GENERATE:
                if value:
                    raise SWError(SW_WRONG_DATA, "DGI 0102 takes no value")
                key = ec.generate_private_key(ec.SECP256R1())
                self.state["d"] = f"{key.private_numbers().private_value:064X}"
            else:
                raise SWError(SW_WRONG_DATA, f"unknown DGI {dgi:04X}")
        return b""

    def process(self, apdu: CommandAPDU) -> Response:
        if apdu.cla & 0xF0 != 0x80:
            raise SWError(SW_CLA_NOT_SUPPORTED)
        if apdu.ins == INS_PUBLIC_KEY:
            if apdu.p1 or apdu.p2:
                raise SWError(SW_INCORRECT_P1P2)
            point = (
                self._key()
                .public_key()
                .public_bytes(
                    serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
                )
            )
            return Response(point)
        if apdu.ins == INS_SIGN:
            if apdu.p1 or apdu.p2:
                raise SWError(SW_INCORRECT_P1P2)
            if not apdu.data:
                raise SWError(SW_WRONG_LENGTH, "nothing to sign")
            return Response(self._key().sign(apdu.data, ec.ECDSA(hashes.SHA256())))
        raise SWError(SW_INS_NOT_SUPPORTED)
