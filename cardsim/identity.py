"""What the card says about itself: ATR, CPLC, card recognition data, key information."""

from __future__ import annotations

from cardsim.profile import CardProfile
from cardsim.registry import DomainData
from cardsim.tlv import tlv

HISTORICAL_BYTES = b"CARDSIM1"
GP_OID = bytes.fromhex("2A864886FC6B")  # 1.2.840.114283
JAVACARD_OID = bytes.fromhex("2B060104012A026E0103")  # 1.3.6.1.4.1.42.2.110.1.3


def build_atr(historical: bytes = HISTORICAL_BYTES) -> bytes:
    """T=1 ATR: TS 3B, T0 8k, TD1 80, TD2 01, historical bytes, TCK (XOR of T0..end)."""
    body = bytes([0x80 | len(historical), 0x80, 0x01]) + historical
    tck = 0
    for b in body:
        tck ^= b
    return b"\x3b" + body + bytes([tck])


def cplc(profile: CardProfile) -> bytes:
    """The 42-byte CPLC value; the IC serial number is the CIN's last 4 bytes.

    Fabricator and OS identifiers (4353 = "CS") are chosen not to match any real
    chip in the touch point's platform table.
    """
    serial = profile.cin[-4:]
    batch = (profile.batch_id & 0xFFFF).to_bytes(2, "big")
    fields = [
        bytes.fromhex("4353"),  # IC fabricator
        bytes.fromhex("0001"),  # IC type
        bytes.fromhex("4353"),  # operating system identifier
        bytes.fromhex("5326"),  # OS release date (YDDD)
        bytes.fromhex("0100"),  # OS release level
        bytes.fromhex("5326"),  # IC fabrication date
        serial,  # IC serial number
        batch,  # IC batch identifier
        bytes(2),
        bytes(2),
        bytes(2),
        bytes(2),  # module fab, packaging date, ICC manufacturer, embedding
        bytes(2),
        bytes(2),
        bytes(4),  # pre-perso id, date, equipment
        bytes(2),
        bytes(2),
        bytes(4),  # perso id, date, equipment
    ]
    value = b"".join(fields)
    assert len(value) == 42
    return value


def scp_oid(scp: int, i_param: int) -> bytes:
    return GP_OID + bytes([0x04, scp, i_param])


def card_recognition_data(domain: DomainData) -> bytes:
    """Tag 73 content (GP 2.3.1 Annex H): GP RID, version 2.3.1, id scheme, SCP, Java Card."""
    return (
        tlv(0x06, GP_OID + b"\x01")
        + tlv(0x60, tlv(0x06, GP_OID + bytes([0x02, 0x02, 0x03, 0x01])))
        + tlv(0x63, tlv(0x06, GP_OID + b"\x03"))
        + tlv(0x64, tlv(0x06, scp_oid(domain.scp, domain.scp_i)))
        + tlv(0x66, tlv(0x06, JAVACARD_OID))
    )


def card_data(domain: DomainData) -> bytes:
    """GET DATA 0066 answer: 66 { 73 { ... } }."""
    return tlv(0x66, tlv(0x73, card_recognition_data(domain)))


def key_information(domain: DomainData) -> bytes:
    """GET DATA 00E0 answer: E0 { C0 04 id kvn type len ... } for every key of every set."""
    entries = b""
    for ks in domain.keysets:
        key_type = 0x88 if ks.kind == "aes" else 0x80
        for key_id, key in ((1, ks.enc), (2, ks.mac), (3, ks.dek)):
            entries += tlv(0xC0, bytes([key_id, ks.kvn, key_type, len(key)]))
    return tlv(0xE0, entries)
