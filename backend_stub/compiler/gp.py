"""GlobalPlatform card content management commands (plain, CLA 80, before wrapping).

Byte layouts follow GP Card Spec 2.3.1 chapter 11 in the shapes
GlobalPlatformPro sends (gp-apdu.md 1.3): INSTALL without Le and with a token
length byte, LOAD with Le, DELETE without Le.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backend_stub.compiler import tlv
from backend_stub.compiler.tlv import TlvError

ISD_AID = bytes.fromhex("A000000151000000")
SD_ELF_AID = bytes.fromhex("A0000001515350")
SD_MODULE_AID = bytes.fromhex("A000000151535041")
MAX_BLOCKS = 256
SHORT_MAX = 255

# GET STATUS P1 (GP 2.3.1 table 11-33).
STATUS_ISD, STATUS_APPS, STATUS_ELFS, STATUS_ELFS_MODULES = 0x80, 0x40, 0x20, 0x10


class GpError(ValueError):
    """A GP command cannot be built from these arguments, or a GP answer is malformed."""


def _lv(value: bytes) -> bytes:
    if len(value) > 255:
        raise GpError(f"field of {len(value)} bytes does not fit a one-byte length")
    return bytes([len(value)]) + value


def _ber_lv(value: bytes) -> bytes:
    return tlv.encode_length(len(value)) + value


def _aid(aid: bytes, what: str = "AID") -> bytes:
    if not isinstance(aid, bytes | bytearray) or not 5 <= len(aid) <= 16:
        raise GpError(f"{what} must be 5 to 16 bytes")
    return bytes(aid)


def _apdu(cla: int, ins: int, p1: int, p2: int, data: bytes = b"", le: bool = False) -> bytes:
    if len(data) > SHORT_MAX:
        raise GpError(f"command data of {len(data)} bytes exceeds a short APDU")
    out = bytes([cla, ins, p1, p2])
    if data:
        out += bytes([len(data)]) + data
    if le:
        out += b"\x00"
    return out


# --- selection and data ---

def select(aid: bytes | None = None, *, next_occurrence: bool = False) -> bytes:
    """SELECT by DF name: `00 A4 04 P2 Lc AID 00`; no AID = the default application.

    A partial AID selects the first match (P2 00) or the next one (P2 02).
    """
    p2 = 0x02 if next_occurrence else 0x00
    if not aid:
        return bytes([0x00, 0xA4, 0x04, p2, 0x00])
    if len(aid) > 16:
        raise GpError("AID longer than 16 bytes")
    return _apdu(0x00, 0xA4, 0x04, p2, bytes(aid), le=True)


def get_data(tag: int) -> bytes:
    """GET DATA `80 CA tag(2) 00` (9F7F CPLC, 0066 card data, 00E0 key info, 0042 IIN, 0045 CIN)."""
    if not 0 <= tag <= 0xFFFF:
        raise GpError("GET DATA tag is two bytes")
    return bytes([0x80, 0xCA, tag >> 8, tag & 0xFF, 0x00])


def get_status(p1: int, *, next_: bool = False, aid_prefix: bytes = b"") -> bytes:
    """GET STATUS with search criteria `4F aid` (empty = all), tagged E3 format (P2 02/03)."""
    if p1 not in (STATUS_ISD, STATUS_APPS, STATUS_ELFS, STATUS_ELFS_MODULES):
        raise GpError(f"GET STATUS P1 {p1:02X} must be 80, 40, 20 or 10")
    return _apdu(0x80, 0xF2, p1, 0x03 if next_ else 0x02, tlv.build(0x4F, aid_prefix), le=True)


@dataclass(frozen=True)
class RegistryEntry:
    """One E3 entry of a GET STATUS answer (GP 2.3.1 table 11-36)."""

    aid: bytes
    lifecycle: int
    privileges: bytes = b""
    associated_sd: bytes | None = None
    elf_aid: bytes | None = None
    version: tuple[int, int] | None = None
    modules: list[bytes] = field(default_factory=list)
    implicit_selection: bytes | None = None

    @property
    def is_security_domain(self) -> bool:
        return bool(self.privileges) and bool(self.privileges[0] & 0x80)

    @property
    def locked(self) -> bool:
        """Applications: lifecycle bit 8 set (GP 2.3.1 11.1.1)."""
        return bool(self.lifecycle & 0x80) and self.lifecycle != 0xFF


def parse_registry(data: bytes) -> list[RegistryEntry]:
    """Parse the tagged (P2 02) GET STATUS answer data into entries."""
    try:
        items = tlv.parse(data)
    except TlvError as exc:
        raise GpError(f"malformed GET STATUS answer: {exc}") from None
    out = []
    for item in items:
        if item.tag != 0xE3:
            raise GpError(f"GET STATUS answer holds tag {item.tag:X}, expected E3")
        try:
            fields = item.children()
        except TlvError as exc:
            raise GpError(f"malformed E3 entry: {exc}") from None
        aid = tlv.find(fields, 0x4F)
        if aid is None or not 1 <= len(aid.value) <= 16:
            raise GpError("E3 entry without a valid 4F AID")
        lc = tlv.find(fields, 0x9F70)
        if lc is None or not 1 <= len(lc.value) <= 2:
            raise GpError(f"E3 entry {aid.value.hex().upper()} without a 9F70 lifecycle")
        privs = tlv.find(fields, 0xC5)
        elf = tlv.find(fields, 0xC4)
        sd = tlv.find(fields, 0xCC)
        ver = tlv.find(fields, 0xCE)
        impl = tlv.find(fields, 0xCF)
        version = None
        if ver is not None:
            if len(ver.value) != 2:
                raise GpError("CE version must be 2 bytes")
            version = (ver.value[0], ver.value[1])
        out.append(RegistryEntry(
            aid=aid.value,
            lifecycle=lc.value[0],
            privileges=privs.value if privs else b"",
            associated_sd=sd.value if sd else None,
            elf_aid=elf.value if elf else None,
            version=version,
            modules=[m.value for m in tlv.find_all(fields, 0x84)],
            implicit_selection=impl.value if impl else None,
        ))
    return out


# --- loading and installing ---

def install_for_load(elf_aid: bytes, sd_aid: bytes = ISD_AID, lfdb_hash: bytes = b"",
                     load_params: bytes = b"") -> bytes:
    """INSTALL [for load]: ELF AID, target SD, LFDB hash, load parameters, token (none)."""
    data = (_lv(_aid(elf_aid, "ELF AID")) + _lv(_aid(sd_aid, "security domain AID"))
            + _lv(lfdb_hash) + _ber_lv(load_params) + b"\x00")
    return _apdu(0x80, 0xE6, 0x02, 0x00, data)


def load_file(lfdb: bytes) -> bytes:
    """The Load File as LOAD carries it: `C4 <BER length> <Load File Data Block>`."""
    return b"\xC4" + tlv.encode_length(len(lfdb)) + lfdb


def load_blocks(lfdb: bytes, block_size: int) -> list[bytes]:
    """LOAD commands: P1 80 on the last block, P2 = block number 00..FF."""
    if not 1 <= block_size <= SHORT_MAX:
        raise GpError(f"LOAD block size {block_size} outside 1..255")
    payload = load_file(lfdb)
    chunks = [payload[i : i + block_size] for i in range(0, len(payload), block_size)]
    if len(chunks) > MAX_BLOCKS:
        raise GpError(f"load file needs {len(chunks)} LOAD blocks of {block_size} bytes;"
                      f" a load sequence has at most {MAX_BLOCKS}")
    last = len(chunks) - 1
    return [_apdu(0x80, 0xE8, 0x80 if i == last else 0x00, i, c, le=True)
            for i, c in enumerate(chunks)]


def wrap_install_params(params: bytes) -> bytes:
    """Install parameters as GPPro sends them: `C9 len X`, unless X is TLV already holding C9."""
    if params and tlv.is_valid(params) and tlv.find(tlv.parse(params), 0xC9) is not None:
        return bytes(params)
    return tlv.build(0xC9, params)


def install_for_install(elf_aid: bytes, module_aid: bytes, instance_aid: bytes, *,
                        privileges: bytes = b"\x00", params: bytes = b"",
                        make_selectable: bool = True) -> bytes:
    """INSTALL [for install (and make selectable)] (P1 0C, or 04)."""
    if len(privileges) not in (1, 3):
        raise GpError("privileges are 1 or 3 bytes")
    data = (_lv(_aid(elf_aid, "ELF AID")) + _lv(_aid(module_aid, "module AID"))
            + _lv(_aid(instance_aid, "instance AID")) + _lv(privileges)
            + _ber_lv(wrap_install_params(params)) + b"\x00")
    return _apdu(0x80, 0xE6, 0x0C if make_selectable else 0x04, 0x00, data)


def install_ssd(ssd_aid: bytes, *, elf_aid: bytes = SD_ELF_AID, module_aid: bytes = SD_MODULE_AID,
                privileges: bytes = b"\x80", params: bytes = b"") -> bytes:
    """Create a Supplementary Security Domain: INSTALL from the card's SD module, privilege 80."""
    if not privileges or not privileges[0] & 0x80:
        raise GpError("a security domain needs the Security Domain privilege (80)")
    return install_for_install(elf_aid, module_aid, ssd_aid, privileges=privileges, params=params)


def install_for_personalization(aid: bytes) -> bytes:
    """INSTALL [for personalization]: STORE DATA that follows goes to `aid` through its SD."""
    data = b"\x00\x00" + _lv(_aid(aid, "application AID")) + b"\x00\x00\x00"
    return _apdu(0x80, 0xE6, 0x20, 0x00, data)


def store_data_blocks(data: bytes, tag_type: str, block_size: int = SHORT_MAX) -> list[bytes]:
    """STORE DATA commands: P1 b5-b4 = 01 DGI / 10 BER-TLV, b8 on the last block; P2 = number."""
    if tag_type == "DGI":
        fmt = 0x08
        try:
            tlv.parse_dgi(data)
        except TlvError as exc:
            raise GpError(f"STORE DATA payload is not a DGI sequence: {exc}") from None
    elif tag_type == "BER":
        fmt = 0x10
        try:
            tlv.parse(data)
        except TlvError as exc:
            raise GpError(f"STORE DATA payload is not BER-TLV: {exc}") from None
    else:
        raise GpError(f"tag type {tag_type!r} must be DGI or BER")
    if not data:
        raise GpError("STORE DATA payload is empty")
    if not 1 <= block_size <= SHORT_MAX:
        raise GpError(f"STORE DATA block size {block_size} outside 1..255")
    chunks = [data[i : i + block_size] for i in range(0, len(data), block_size)]
    if len(chunks) > MAX_BLOCKS:
        raise GpError(f"STORE DATA needs {len(chunks)} blocks; at most {MAX_BLOCKS}")
    last = len(chunks) - 1
    return [_apdu(0x80, 0xE2, fmt | (0x80 if i == last else 0x00), i, c)
            for i, c in enumerate(chunks)]


def delete(aid: bytes, *, related: bool = False) -> bytes:
    """DELETE `4F AID`; P2 80 also deletes related objects (a package's instances, an SSD's)."""
    return _apdu(0x80, 0xE4, 0x00, 0x80 if related else 0x00, tlv.build(0x4F, _aid(aid)))


def set_status_app(aid: bytes, *, lock: bool) -> bytes:
    """SET STATUS of an application: P1 40, P2 80 lock / 00 unlock."""
    return _apdu(0x80, 0xF0, 0x40, 0x80 if lock else 0x00, _aid(aid))


def put_key(new_kvn: int, key_components: list[bytes], *, replace_kvn: int = 0,
            first_key_id: int = 1) -> bytes:
    """PUT KEY: P1 = KVN replaced (00 = add), P2 = 80 | first key id; data = KVN || components."""
    if not 1 <= new_kvn <= 0x7F:
        raise GpError("key version number must be 01..7F")
    if not key_components:
        raise GpError("PUT KEY needs at least one key")
    p2 = (0x80 if len(key_components) > 1 else 0x00) | first_key_id
    return _apdu(0x80, 0xD8, replace_kvn, p2, bytes([new_kvn]) + b"".join(key_components),
                 le=True)


def block_size(max_block: int, overhead: int) -> int:
    """Usable LOAD/STORE DATA block: the card's maximum (9F65, at most 255) minus wrapping."""
    size = min(max_block, SHORT_MAX) - overhead
    if size < 1:
        raise GpError(f"card maximum {max_block} leaves no room after {overhead} bytes of"
                      " secure messaging")
    return size
