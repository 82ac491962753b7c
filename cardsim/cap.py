"""Load File Data Block parsing: the CAP components a LOAD sequence carries.

Only the structure is checked (component tags and sizes, Header magic, package
AID, Applet component); bytecode is stored but never executed.
"""

from __future__ import annotations

from dataclasses import dataclass

from cardsim.tlv import TLVError, decode_length

MAGIC = bytes.fromhex("DECAFFED")
TAG_HEADER, TAG_APPLET = 1, 3
MAX_COMPONENT_TAG = 13  # 13 = Static Resources (CAP 2.3)


class CapError(ValueError):
    """The load file data block is malformed; the message says where."""


@dataclass(frozen=True)
class LoadFileInfo:
    package_aid: bytes
    version: tuple[int, int]  # (major, minor)
    applet_aids: list[bytes]
    lfdb: bytes


def split_load_file(load_file: bytes) -> bytes:
    """Strips optional E2 DAP blocks and the C4 wrapper; returns the LFDB."""
    off = 0
    try:
        while off < len(load_file) and load_file[off] == 0xE2:
            length, off = decode_length(load_file, off + 1)
            off += length
        if off >= len(load_file) or load_file[off] != 0xC4:
            raise CapError("load file does not start with tag C4")
        length, off = decode_length(load_file, off + 1)
    except TLVError as exc:
        raise CapError(f"load file: {exc}") from exc
    if length == 0:
        raise CapError("empty load file data block")
    if off + length != len(load_file):
        raise CapError(f"C4 length {length} does not match the {len(load_file) - off} bytes sent")
    return load_file[off:]


def parse_lfdb(lfdb: bytes) -> LoadFileInfo:
    """Walks the components; needs a Header first, reads applets from the Applet component."""
    components: dict[int, bytes] = {}
    off = 0
    while off < len(lfdb):
        if off + 3 > len(lfdb):
            raise CapError(f"truncated component header at offset {off}")
        tag = lfdb[off]
        size = int.from_bytes(lfdb[off + 1 : off + 3], "big")
        if not 1 <= tag <= MAX_COMPONENT_TAG:
            raise CapError(f"unknown component tag {tag} at offset {off}")
        if tag in components:
            raise CapError(f"component {tag} appears twice")
        if off + 3 + size > len(lfdb):
            raise CapError(f"component {tag} truncated")
        if not components and tag != TAG_HEADER:
            raise CapError("the first component is not the Header")
        components[tag] = lfdb[off + 3 : off + 3 + size]
        off += 3 + size
    if TAG_HEADER not in components:
        raise CapError("no Header component")
    header = components[TAG_HEADER]
    if len(header) < 10:
        raise CapError("Header component too short")
    if header[:4] != MAGIC:
        raise CapError("Header magic is not DECAFFED")
    aid_len = header[9]
    if not 5 <= aid_len <= 16 or len(header) < 10 + aid_len:
        raise CapError("Header package AID malformed")
    package_aid = header[10 : 10 + aid_len]
    version = (header[8], header[7])
    applets: list[bytes] = []
    if TAG_APPLET in components:
        applet = components[TAG_APPLET]
        if not applet:
            raise CapError("empty Applet component")
        pos = 1
        for _ in range(applet[0]):
            if pos >= len(applet):
                raise CapError("Applet component truncated")
            length = applet[pos]
            if not 5 <= length <= 16 or pos + 1 + length + 2 > len(applet):
                raise CapError("Applet component entry malformed")
            applets.append(applet[pos + 1 : pos + 1 + length])
            pos += 1 + length + 2
        if pos != len(applet):
            raise CapError("Applet component has trailing bytes")
    return LoadFileInfo(package_aid, version, applets, lfdb)
