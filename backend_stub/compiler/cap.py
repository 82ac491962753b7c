"""Java Card CAP files: what the loader needs from them, and nothing it must trust.

A CAP is a ZIP with one `<package path>/javacard/<Component>.cap` entry per
component (JCVM 2.2 chapter 6). The Load File Data Block sent in LOAD is the
concatenation of the components in GlobalPlatformPro's order. Every check
failure is a CapError naming what is wrong, because CAP files come from
Service Providers and are untrusted input.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field

MAX_TOTAL_UNCOMPRESSED = 2 * 1024 * 1024
MAX_ENTRIES = 256

COMPONENT_TAGS = {
    "Header": 1, "Directory": 2, "Applet": 3, "Import": 4, "ConstantPool": 5, "Class": 6,
    "Method": 7, "StaticField": 8, "RefLocation": 9, "Export": 10, "Descriptor": 11, "Debug": 12,
}
LFDB_ORDER = ("Header", "Directory", "Import", "Applet", "Class", "Method", "StaticField",
              "Export", "ConstantPool", "RefLocation")
MAGIC = bytes.fromhex("DECAFFED")
JAVACARD_FRAMEWORK = bytes.fromhex("A0000000620101")
_JC_BY_FRAMEWORK_MINOR = {0: "2.1.1", 1: "2.1.2", 2: "2.2.1", 3: "2.2.2", 4: "3.0.1",
                          5: "3.0.4", 6: "3.0.5", 8: "3.1.0"}


class CapError(ValueError):
    """The bytes are not a CAP file this loader accepts; the message says why."""


@dataclass(frozen=True)
class ImportedPackage:
    aid: bytes
    major: int
    minor: int


@dataclass(frozen=True)
class CapFile:
    package_aid: bytes
    package_name: str
    version: tuple[int, int]
    cap_version: tuple[int, int]
    applet_aids: list[bytes]
    imports: list[ImportedPackage]
    components: dict[str, bytes] = field(repr=False)

    @property
    def java_card_version(self) -> str | None:
        """Java Card version guessed from the javacard.framework import (as GPPro does)."""
        for imp in self.imports:
            if imp.aid == JAVACARD_FRAMEWORK:
                return _JC_BY_FRAMEWORK_MINOR.get(imp.minor, f"unknown {imp.major}.{imp.minor}")
        return None

    @property
    def load_file_data_block(self) -> bytes:
        return b"".join(self.components[n] for n in LFDB_ORDER if n in self.components)

    @property
    def lfdbh(self) -> str:
        """SHA-256 of the Load File Data Block, upper-case hex: the CAP's id in the API."""
        return hashlib.sha256(self.load_file_data_block).hexdigest().upper()

    @classmethod
    def parse(cls, data: bytes) -> CapFile:
        components, package_dir = _read_components(data)
        header = components["Header"]
        aid, version, cap_version = _parse_header(header)
        applets = _parse_applets(components["Applet"]) if "Applet" in components else []
        imports = _parse_imports(components["Import"]) if "Import" in components else []
        return cls(
            package_aid=aid,
            package_name=package_dir.replace("/", "."),
            version=version,
            cap_version=cap_version,
            applet_aids=applets,
            imports=imports,
            components=components,
        )


def _read_components(data: bytes) -> tuple[dict[str, bytes], str]:
    if not isinstance(data, bytes | bytearray):
        raise CapError("CAP data must be bytes")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:
        raise CapError(f"not a CAP file: not a valid ZIP archive ({exc})") from None
    with zf:
        try:
            infos = zf.infolist()
        except Exception as exc:
            raise CapError(f"unreadable ZIP directory: {exc}") from None
        if len(infos) > MAX_ENTRIES:
            raise CapError(f"ZIP has {len(infos)} entries; a CAP file has at most {MAX_ENTRIES}")
        total = sum(max(i.file_size, 0) for i in infos)
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise CapError(f"ZIP expands to {total} bytes, over the {MAX_TOTAL_UNCOMPRESSED}-byte"
                           " limit (possible ZIP bomb)")
        headers = [i for i in infos if i.filename.endswith("/javacard/Header.cap")
                   or i.filename == "javacard/Header.cap"]
        if not headers:
            raise CapError("missing Header component (no */javacard/Header.cap entry)")
        if len(headers) > 1:
            names = ", ".join(h.filename for h in headers)
            raise CapError(f"several packages in one CAP file ({names}); one package per file")
        prefix = headers[0].filename[: -len("Header.cap")]
        package_dir = prefix[: -len("/javacard/")] if prefix != "javacard/" else ""
        components: dict[str, bytes] = {}
        budget = MAX_TOTAL_UNCOMPRESSED
        for info in infos:
            if not info.filename.startswith(prefix) or not info.filename.endswith(".cap"):
                continue
            name = info.filename[len(prefix) : -len(".cap")]
            if name not in COMPONENT_TAGS:
                continue
            raw = _read_entry(zf, info, budget)
            budget -= len(raw)
            _check_component(name, raw)
            components[name] = raw
    return components, package_dir


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    try:
        with zf.open(info) as fh:
            raw = fh.read(budget + 1)
    except Exception as exc:
        raise CapError(f"cannot read ZIP entry {info.filename}: {exc}") from None
    if len(raw) > budget:
        raise CapError("ZIP expands beyond the size limit (possible ZIP bomb)")
    return raw


def _check_component(name: str, raw: bytes) -> None:
    if len(raw) < 3:
        raise CapError(f"{name} component is {len(raw)} bytes, shorter than its 3-byte header")
    if raw[0] != COMPONENT_TAGS[name]:
        raise CapError(f"{name} component has tag {raw[0]}, expected {COMPONENT_TAGS[name]}")
    size = int.from_bytes(raw[1:3], "big")
    if size != len(raw) - 3:
        raise CapError(f"{name} component size field says {size} bytes but the entry holds"
                       f" {len(raw) - 3}")


def _parse_header(h: bytes) -> tuple[bytes, tuple[int, int], tuple[int, int]]:
    if len(h) < 13:
        raise CapError("Header component truncated")
    if h[3:7] != MAGIC:
        raise CapError(f"bad Header magic {h[3:7].hex().upper()}, expected DECAFFED")
    minor, major = h[7], h[8]
    if (major, minor) == (2, 3):
        raise CapError("CAP format 2.3 (Java Card 3.1 extended/compact) is not supported")
    if major != 2 or minor not in (1, 2):
        raise CapError(f"unknown CAP format {major}.{minor}; supported: 2.1, 2.2")
    aid_len = h[12]
    if not 5 <= aid_len <= 16:
        raise CapError(f"package AID length {aid_len} outside 5..16")
    if 13 + aid_len > len(h):
        raise CapError("Header component truncated inside the package AID")
    return bytes(h[13 : 13 + aid_len]), (h[11], h[10]), (major, minor)


def _parse_applets(a: bytes) -> list[bytes]:
    if len(a) < 4:
        raise CapError("Applet component truncated")
    count = a[3]
    pos = 4
    out = []
    for i in range(count):
        if pos >= len(a):
            raise CapError(f"Applet component truncated at applet {i}")
        n = a[pos]
        if not 5 <= n <= 16:
            raise CapError(f"applet {i} AID length {n} outside 5..16")
        if pos + 1 + n + 2 > len(a):
            raise CapError(f"Applet component truncated at applet {i}")
        out.append(bytes(a[pos + 1 : pos + 1 + n]))
        pos += 1 + n + 2
    if pos != len(a):
        raise CapError("Applet component has trailing bytes")
    return out


def _parse_imports(m: bytes) -> list[ImportedPackage]:
    if len(m) < 4:
        raise CapError("Import component truncated")
    count = m[3]
    pos = 4
    out = []
    for i in range(count):
        if pos + 3 > len(m):
            raise CapError(f"Import component truncated at import {i}")
        minor, major, n = m[pos], m[pos + 1], m[pos + 2]
        if not 5 <= n <= 16 or pos + 3 + n > len(m):
            raise CapError(f"Import component: bad AID at import {i}")
        out.append(ImportedPackage(bytes(m[pos + 3 : pos + 3 + n]), major, minor))
        pos += 3 + n
    if pos != len(m):
        raise CapError("Import component has trailing bytes")
    return out
