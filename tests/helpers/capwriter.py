"""A small CAP file writer for tests and demo data.

The project cannot ship third-party CAP files, and nothing here executes Java
Card bytecode, so tests need CAP files whose *structure* is right (component
tags, sizes, the Header magic, package and applet AIDs, a Directory that
agrees with the component sizes) while the bytecode is filler. Layouts follow
the Java Card VM specification, chapter 6 (CAP format 2.2).
"""

from __future__ import annotations

import io
import struct
import zipfile

# Component tags (JCVM 2.2, table 6-1).
HEADER, DIRECTORY, APPLET, IMPORT, CONSTANT_POOL = 1, 2, 3, 4, 5
CLASS, METHOD, STATIC_FIELD, REF_LOCATION, EXPORT, DESCRIPTOR = 6, 7, 8, 9, 10, 11
DEBUG = 12

COMPONENT_FILES = {
    HEADER: "Header.cap",
    DIRECTORY: "Directory.cap",
    APPLET: "Applet.cap",
    IMPORT: "Import.cap",
    CONSTANT_POOL: "ConstantPool.cap",
    CLASS: "Class.cap",
    METHOD: "Method.cap",
    STATIC_FIELD: "StaticField.cap",
    REF_LOCATION: "RefLocation.cap",
    DESCRIPTOR: "Descriptor.cap",
    EXPORT: "Export.cap",
    DEBUG: "Debug.cap",
}

# javacard.framework 1.6 (Java Card 3.0.5) and java.lang 1.0, as a converter imports them.
JAVACARD_FRAMEWORK = bytes.fromhex("A0000000620101")
JAVA_LANG = bytes.fromhex("A0000000620001")


def _component(tag: int, info: bytes) -> bytes:
    if len(info) > 0xFFFF:
        raise ValueError(f"component {tag} is {len(info)} bytes; a component holds at most 65535")
    return struct.pack(">BH", tag, len(info)) + info


def _header(package_aid: bytes, version: tuple[int, int], package_name: str, has_applets: bool,
            cap_version: tuple[int, int], exports: bool = False) -> bytes:
    flags = 0x01 | (0x04 if has_applets else 0) | (0x02 if exports else 0)  # INT APPLET EXPORT
    name = package_name.replace(".", "/").encode()
    info = (
        bytes.fromhex("DECAFFED")
        + bytes([cap_version[1], cap_version[0], flags])
        + bytes([version[1], version[0], len(package_aid)])
        + package_aid
        + bytes([len(name)])
        + name
    )
    return _component(HEADER, info)


def _applet(applet_aids: list[bytes]) -> bytes:
    info = bytes([len(applet_aids)])
    for i, aid in enumerate(applet_aids):
        info += bytes([len(aid)]) + aid + struct.pack(">H", 1 + 3 * i)
    return _component(APPLET, info)


def _import(extra: list[tuple[bytes, tuple[int, int]]]) -> bytes:
    packages = [(JAVACARD_FRAMEWORK, (1, 6)), (JAVA_LANG, (1, 0)), *extra]
    info = bytes([len(packages)])
    for aid, (major, minor) in packages:
        info += bytes([minor, major, len(aid)]) + aid
    return _component(IMPORT, info)


def _export() -> bytes:
    return _component(EXPORT, bytes([0]))  # class_count 0: a library exporting no classes


def _debug(size: int) -> bytes:
    # string_count 0, package_name_index 0, class_count 0, then filler the size of real
    # debug info (it is not part of the Load File Data Block)
    return _component(DEBUG, struct.pack(">HHH", 0, 0, 0) + bytes(max(size - 6, 0)))


def _constant_pool(n_applets: int) -> bytes:
    # One external class ref (javacard.framework.Applet) and one static method ref per applet.
    entries = [bytes([1, 0x80, 3, 0])]  # CONSTANT_Classref, external package 0, class token 3
    entries += [bytes([6, 0x80, 3, 0]) for _ in range(n_applets)]  # CONSTANT_StaticMethodref
    return _component(CONSTANT_POOL, struct.pack(">H", len(entries)) + b"".join(entries))


def _class(n_applets: int) -> bytes:
    info = b""
    for _ in range(n_applets):
        info += bytes([0x00])  # flags 0, interface count 0
        info += struct.pack(">H", 0x0000)  # superclass: constant pool index 0 (Applet)
        info += bytes([0, 0xFF, 0, 7, 1, 0, 0])  # instance size, ref tokens, method tables
        info += struct.pack(">H", 0)  # public virtual method table entry
    return _component(CLASS, info)


def _method(n_applets: int, code_size: int) -> bytes:
    # handler_count 0; then per applet an install method, then a filler method of code_size bytes.
    body = bytes([0])
    for _ in range(n_applets):
        body += bytes([0x01, 0x30]) + bytes([0x7A])  # max_stack 1; nargs 3, max_locals 0; return
    filler = max(code_size - len(body) - 3, 1)
    body += bytes([0x02, 0x10]) + bytes([0x00]) * (filler - 1) + bytes([0x7A])  # nop... return
    return _component(METHOD, body)


def _static_field() -> bytes:
    return _component(STATIC_FIELD, struct.pack(">HHHHH", 0, 0, 0, 0, 0))


def _ref_location() -> bytes:
    return _component(REF_LOCATION, struct.pack(">H", 1) + bytes([2]) + struct.pack(">H", 0))


def _descriptor(n_applets: int) -> bytes:
    info = bytes([n_applets])
    for i in range(n_applets):
        # class token, access flags, this_class_ref, interface count, field count, method count
        info += bytes([i, 0x01]) + struct.pack(">H", 0) + bytes([0]) + struct.pack(">HH", 0, 0)
    info += struct.pack(">H", 0)  # types: constant_pool_count 0
    return _component(DESCRIPTOR, info)


def _directory(sizes: dict[int, int], n_applets: int, cap_version: tuple[int, int],
               n_imports: int = 2) -> bytes:
    n_sizes = 12 if cap_version >= (2, 2) else 11
    directory_info_len = 2 * n_sizes + 6 + 3
    table = []
    for tag in range(1, n_sizes + 1):
        table.append(directory_info_len if tag == DIRECTORY else sizes.get(tag, 0))
    info = struct.pack(f">{n_sizes}H", *table)
    info += struct.pack(">HHH", 0, 0, 0)  # static field image size, array init count/size
    info += bytes([n_imports, n_applets, 0])  # import count, applet count, custom count
    assert len(info) == directory_info_len
    return _component(DIRECTORY, info)


def build_components(
    package_aid: bytes,
    applet_aids: list[bytes],
    *,
    package_name: str = "com.example.demo",
    version: tuple[int, int] = (1, 0),
    code_size: int = 64,
    cap_version: tuple[int, int] = (2, 2),
    imports: list[tuple[bytes, tuple[int, int]]] | None = None,
    export: bool = False,
    debug_size: int = 0,
) -> dict[int, bytes]:
    """The CAP components (tag, size and info each), keyed by component tag.

    `imports` adds imported packages (AID, (major, minor)) after javacard.framework and
    java.lang, `export` an Export component (a library package), `debug_size` a Debug
    component of about that size (as a converter writes with debug info on)."""
    if not 5 <= len(package_aid) <= 16:
        raise ValueError("a package AID is 5 to 16 bytes")
    for aid in applet_aids:
        if not 5 <= len(aid) <= 16 or not aid.startswith(package_aid[:5]):
            raise ValueError(f"applet AID {aid.hex()} must be 5 to 16 bytes and share the RID")
    comps: dict[int, bytes] = {
        HEADER: _header(package_aid, version, package_name, bool(applet_aids), cap_version,
                        export),
        IMPORT: _import(list(imports or [])),
        CONSTANT_POOL: _constant_pool(len(applet_aids)),
        CLASS: _class(len(applet_aids)),
        METHOD: _method(len(applet_aids), code_size),
        STATIC_FIELD: _static_field(),
        REF_LOCATION: _ref_location(),
        DESCRIPTOR: _descriptor(len(applet_aids)),
    }
    if applet_aids:
        comps[APPLET] = _applet(applet_aids)
    if export:
        comps[EXPORT] = _export()
    if debug_size:
        comps[DEBUG] = _debug(debug_size)
    sizes = {tag: len(c) - 3 for tag, c in comps.items()}
    comps[DIRECTORY] = _directory(sizes, len(applet_aids), cap_version,
                                  2 + len(imports or []))
    return comps


def build_cap(
    package_aid: bytes,
    applet_aids: list[bytes],
    *,
    package_name: str = "com.example.demo",
    version: tuple[int, int] = (1, 0),
    code_size: int = 64,
    cap_version: tuple[int, int] = (2, 2),
    omit: tuple[int, ...] = (),
    replace: dict[int, bytes] | None = None,
    imports: list[tuple[bytes, tuple[int, int]]] | None = None,
    export: bool = False,
    debug_size: int = 0,
) -> bytes:
    """A CAP file (a ZIP) for `package_aid` with `applet_aids`.

    `code_size` is roughly the size of the Method component, to make CAP files
    of a chosen load size. `omit` leaves components out and `replace` swaps in
    raw component bytes, so tests can build broken CAP files on purpose.
    """
    comps = build_components(
        package_aid, applet_aids, package_name=package_name, version=version,
        code_size=code_size, cap_version=cap_version, imports=imports, export=export,
        debug_size=debug_size,
    )
    for tag, raw in (replace or {}).items():
        comps[tag] = raw
    folder = package_name.replace(".", "/") + "/javacard/"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        manifest = "Manifest-Version: 1.0\r\nCreated-By: capwriter\r\n\r\n"
        zf.writestr("META-INF/MANIFEST.MF", manifest)
        for tag in sorted(comps):
            if tag in omit:
                continue
            zf.writestr(folder + COMPONENT_FILES[tag], comps[tag])
    return buf.getvalue()


def load_file_data_block(cap: bytes) -> bytes:
    """The LFDB in GlobalPlatformPro's order, computed independently of the compiler (for tests)."""
    order = [HEADER, DIRECTORY, IMPORT, APPLET, CLASS, METHOD, STATIC_FIELD, EXPORT,
             CONSTANT_POOL, REF_LOCATION]
    names = {v: k for k, v in COMPONENT_FILES.items()}
    found: dict[int, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(cap)) as zf:
        for name in zf.namelist():
            base = name.rsplit("/", 1)[-1]
            if base in names:
                found[names[base]] = zf.read(name)
    return b"".join(found[t] for t in order if t in found)
