"""BER-TLV of card data as a readable tree: FCI, CPLC, GET STATUS entries, card recognition data.

The tester's detail pane shows what a command carried and what the card said,
tag by tag, with GlobalPlatform meanings (gp-apdu.md 1.2 and 1.3; GP Card
Spec 2.3.1 sections 11.1 and H; CPLC field order as GlobalPlatformPro's
CPLC.java). Pure data: no Qt, never raises on bad card bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import TlvError
from app.tlv import Tlv, parse


@dataclass(frozen=True)
class Node:
    """One line of the tree: a label, a value in words, and what is inside."""

    label: str
    value: str = ""
    children: tuple[Node, ...] = field(default=())

    def walk(self, depth: int = 0) -> list[tuple[int, Node]]:
        out = [(depth, self)]
        for child in self.children:
            out.extend(child.walk(depth + 1))
        return out


TAG_NAMES: dict[int, str] = {
    0x4F: "AID",
    0x50: "application label",
    0x66: "card data",
    0x73: "card recognition data",
    0x06: "OID",
    0x60: "GlobalPlatform version",
    0x63: "card identification scheme",
    0x64: "secure channel protocol",
    0x65: "card configuration details",
    0x67: "card / chip details",
    0x68: "SCP3 security domain trust point",
    0x6F: "FCI template",
    0x84: "DF name (AID)",
    0xA5: "proprietary data",
    0x9F6E: "application production life cycle data",
    0x9F65: "maximum length of command data",
    0x9F7F: "CPLC",
    0xE3: "GET STATUS entry",
    0x9F70: "life cycle state",
    0xC5: "privileges",
    0xC4: "executable load file AID",
    0xCC: "associated security domain AID",
    0xCE: "executable load file version",
    0xCF: "implicit selection parameter",
    0xC9: "application specific parameters",
    0xEA: "TS 102 226 parameters",
    0xEF: "system specific parameters",
    0xE2: "DAP block",
    0xC3: "DAP signature",
    0x42: "IIN",
    0x45: "CIN",
    0x5F50: "URL",
    0xBF0C: "FCI issuer discretionary data",
    0x87: "application priority",
    0xE0: "key information template",
    0xC0: "key information",
    0xCF00: "key derivation data",
    0x9E: "delegated management token",
    0xD0: "key identifier",
    0xD2: "key version number",
}

CPLC_FIELDS: tuple[tuple[str, int], ...] = (
    ("IC fabricator", 2), ("IC type", 2), ("operating system ID", 2),
    ("operating system release date", 2), ("operating system release level", 2),
    ("IC fabrication date", 2), ("IC serial number", 4), ("IC batch identifier", 2),
    ("IC module fabricator", 2), ("IC module packaging date", 2), ("ICC manufacturer", 2),
    ("IC embedding date", 2), ("IC pre-personalizer", 2),
    ("IC pre-personalization equipment date", 2), ("IC pre-personalization equipment ID", 4),
    ("IC personalizer", 2), ("IC personalization date", 2),
    ("IC personalization equipment ID", 4),
)  # 42 bytes in all

_LIFECYCLE_APP = {0x03: "INSTALLED", 0x07: "SELECTABLE", 0x0F: "PERSONALIZED"}
_LIFECYCLE_ISD = {0x01: "OP_READY", 0x07: "INITIALIZED", 0x0F: "SECURED", 0x7F: "CARD_LOCKED",
                  0xFF: "TERMINATED"}
_PRIVS = (
    ((0, 0x80), "Security Domain"), ((0, 0x40), "DAP Verification"),
    ((0, 0x20), "Delegated Management"), ((0, 0x10), "Card Lock"),
    ((0, 0x08), "Card Terminate"), ((0, 0x04), "Card Reset"), ((0, 0x02), "CVM Management"),
    ((0, 0x01), "Mandated DAP Verification"), ((1, 0x80), "Trusted Path"),
    ((1, 0x40), "Authorized Management"), ((1, 0x20), "Token Management"),
    ((1, 0x10), "Global Delete"), ((1, 0x08), "Global Lock"), ((1, 0x04), "Global Registry"),
    ((1, 0x02), "Final Application"), ((1, 0x01), "Global Service"),
    ((2, 0x80), "Receipt Generation"), ((2, 0x40), "Ciphered Load File Data Block"),
    ((2, 0x20), "Contactless Activation"), ((2, 0x10), "Contactless Self-Activation"),
)
_GP_OID = "1.2.840.114283"


def tag_name(tag: int) -> str:
    return TAG_NAMES.get(tag, "")


def oid_text(value: bytes) -> str:
    """Dotted form of a DER OID value (the part after tag 06 and its length)."""
    if not value:
        return ""
    first = value[0]
    parts = [str(min(first // 40, 2)), str(first - 40 * min(first // 40, 2))]
    n = 0
    for b in value[1:]:
        n = (n << 7) | (b & 0x7F)
        if not b & 0x80:
            parts.append(str(n))
            n = 0
    return ".".join(parts)


def oid_meaning(dotted: str) -> str:
    """What a GlobalPlatform card recognition OID says (GP 2.3.1 Table H-1)."""
    if not dotted.startswith(_GP_OID + "."):
        return ""
    rest = [int(p) for p in dotted[len(_GP_OID) + 1:].split(".") if p]
    if rest == [1]:
        return "GlobalPlatform card recognition data"
    if rest[:1] == [2] and len(rest) > 1:
        return "GlobalPlatform version " + ".".join(str(p) for p in rest[1:])
    if rest == [3]:
        return "GlobalPlatform card identification scheme"
    if rest[:1] == [4] and len(rest) >= 2:
        i = f", i={rest[2]:02X}" if len(rest) > 2 else ""
        return f"SCP{rest[1]:02d}{i}"
    return ""


def cplc_date(value: bytes) -> str:
    """CPLC dates are YDDD in BCD (year digit, day of the year); 0000/FFFF mean none."""
    digits = value.hex()
    if digits in ("0000", "ffff") or not digits.isdigit():
        return "no date"
    return f"year digit {digits[0]}, day {int(digits[1:])}"


def cplc_nodes(value: bytes) -> tuple[Node, ...]:
    if len(value) < 42:
        return (Node("CPLC too short", f"{len(value)} of 42 bytes"),)
    out, pos = [], 0
    for name, size in CPLC_FIELDS:
        part = value[pos:pos + size]
        pos += size
        extra = f"  ({cplc_date(part)})" if name.endswith("date") else ""
        out.append(Node(name, part.hex().upper() + extra))
    return tuple(out)


def privileges_text(value: bytes) -> str:
    names = [name for (i, bit), name in _PRIVS if i < len(value) and value[i] & bit]
    return ", ".join(names) if names else "none"


def lifecycle_text(state: int, scope: int | None) -> str:
    if scope == 0x80:
        return _LIFECYCLE_ISD.get(state, f"{state:02X}")
    if scope in (0x20, 0x10):
        return "LOADED" if state == 0x01 else f"{state:02X}"
    if state & 0x80 and state != 0xFF:
        return "LOCKED"
    name = _LIFECYCLE_APP.get(state)
    if name is None and state & 0x07 == 0x07:
        name = f"SELECTABLE, application specific {state:02X}"
    return name or f"{state:02X}"


def _primitive(obj: Tlv, scope: int | None) -> str:
    v = obj.value
    if obj.tag == 0x06:
        dotted = oid_text(v)
        meaning = oid_meaning(dotted)
        return f"{dotted} ({meaning})" if meaning else dotted
    if obj.tag == 0x9F70 and v:
        return f"{v.hex().upper()} {lifecycle_text(v[0], scope)}"
    if obj.tag == 0xC5:
        return f"{v.hex().upper()} {privileges_text(v)}"
    if obj.tag == 0xCE and len(v) == 2:
        return f"{v[0]}.{v[1]}"
    if obj.tag == 0x9F65 and v:
        return f"{int.from_bytes(v, 'big')} bytes"
    return v.hex().upper() if v else "(empty)"


def tlv_node(obj: Tlv, scope: int | None = None) -> Node:
    name = tag_name(obj.tag)
    label = f"{obj.tag:02X} {name}".strip() + f" [{len(obj.value)}]"
    if obj.tag == 0x9F7F:
        return Node(label, obj.value.hex().upper(), cplc_nodes(obj.value))
    if obj.constructed:
        return Node(label, "", tuple(tlv_node(c, scope) for c in obj.children))
    return Node(label, _primitive(obj, scope))


def tlv_tree(data: bytes, scope: int | None = None) -> tuple[Node, ...]:
    """The TLV structure of `data`, or one node saying why it is not TLV."""
    if not data:
        return ()
    try:
        objs = parse(data)
    except TlvError as exc:
        return (Node("not BER-TLV", str(exc)),)
    return tuple(tlv_node(o, scope) for o in objs)


def lv_fields(data: bytes, names: tuple[str, ...]) -> tuple[Node, ...]:
    """Length-value fields in order (INSTALL data); lengths of 0x80+ use the BER long form."""
    out, pos = [], 0
    for name in names:
        if pos >= len(data):
            break
        n, pos = data[pos], pos + 1
        if n == 0x81 and pos < len(data):
            n, pos = data[pos], pos + 1
        elif n == 0x82 and pos + 1 < len(data):
            n, pos = int.from_bytes(data[pos:pos + 2], "big"), pos + 2
        part = data[pos:pos + n]
        pos += n
        value = part.hex().upper() if part else "(empty)"
        if name == "privileges" and part:
            value += f" {privileges_text(part)}"
        children = tlv_tree(part) if name.endswith("parameters") and part else ()
        out.append(Node(f"{name} [{len(part)}]", value, children))
    if pos < len(data):
        out.append(Node("more", data[pos:].hex().upper()))
    return tuple(out)
