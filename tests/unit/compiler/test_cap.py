"""CAP parsing: metadata, Load File Data Block order, and every rejection path."""

from __future__ import annotations

import contextlib
import hashlib
import io
import struct
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend_stub.compiler.cap import MAX_ENTRIES, CapError, CapFile
from tests.helpers.capwriter import (
    APPLET,
    DESCRIPTOR,
    HEADER,
    METHOD,
    build_cap,
    build_components,
    load_file_data_block,
)

h = bytes.fromhex
PKG = h("A00000061700112233")
APPS = [h("A0000006170011223301"), h("A0000006170011223302")]


def test_parse_metadata() -> None:
    cap = CapFile.parse(build_cap(PKG, APPS, package_name="com.example.wallet", version=(1, 2)))
    assert cap.package_aid == PKG
    assert cap.package_name == "com.example.wallet"
    assert cap.version == (1, 2)
    assert cap.cap_version == (2, 2)
    assert cap.applet_aids == APPS
    assert [(i.aid.hex().upper(), i.major, i.minor) for i in cap.imports] == [
        ("A0000000620101", 1, 6), ("A0000000620001", 1, 0)]
    assert cap.java_card_version == "3.0.5"  # javacard.framework 1.6 (gp-apdu.md 1.5)


def test_lfdb_order_and_hash() -> None:
    raw = build_cap(PKG, APPS, code_size=500)
    cap = CapFile.parse(raw)
    lfdb = cap.load_file_data_block
    assert lfdb == load_file_data_block(raw)
    # GPPro order: Header, Directory, Import, Applet, Class, Method, StaticField, Export,
    # ConstantPool, RefLocation; Descriptor excluded (gp-apdu.md 1.5).
    comps = build_components(PKG, APPS, code_size=500)
    assert lfdb == b"".join(comps[t] for t in (1, 2, 4, 3, 6, 7, 8, 5, 9))
    assert comps[DESCRIPTOR] not in lfdb
    assert cap.lfdbh == hashlib.sha256(lfdb).hexdigest().upper()


def test_library_package_without_applets() -> None:
    cap = CapFile.parse(build_cap(PKG, [], omit=(APPLET,)))
    assert cap.applet_aids == []


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(("raw", "message"), [
    (b"not a zip at all", "not a valid ZIP"),
    (b"", "not a valid ZIP"),
    (_zip({"META-INF/MANIFEST.MF": b"x"}), "missing Header"),
])
def test_rejects_non_cap(raw: bytes, message: str) -> None:
    with pytest.raises(CapError, match=message):
        CapFile.parse(raw)


def test_rejects_missing_header_component() -> None:
    with pytest.raises(CapError, match="missing Header"):
        CapFile.parse(build_cap(PKG, APPS, omit=(HEADER,)))


def test_rejects_bad_magic() -> None:
    header = build_components(PKG, APPS)[HEADER]
    bad = header[:3] + h("CAFEBABE") + header[7:]
    with pytest.raises(CapError, match="magic"):
        CapFile.parse(build_cap(PKG, APPS, replace={HEADER: bad}))


def test_rejects_size_field_mismatch() -> None:
    method = build_components(PKG, APPS)[METHOD]
    bad = method[:1] + struct.pack(">H", len(method) - 3 + 5) + method[3:]
    with pytest.raises(CapError, match="Method component size field"):
        CapFile.parse(build_cap(PKG, APPS, replace={METHOD: bad}))


def test_rejects_wrong_component_tag() -> None:
    method = build_components(PKG, APPS)[METHOD]
    with pytest.raises(CapError, match="tag"):
        CapFile.parse(build_cap(PKG, APPS, replace={METHOD: b"\x06" + method[1:]}))


def test_rejects_cap_format_2_3() -> None:
    with pytest.raises(CapError, match=r"2\.3"):
        CapFile.parse(build_cap(PKG, APPS, cap_version=(2, 3)))


def test_rejects_zip_bomb() -> None:
    # 3 MiB of zeros compresses to a few KB: the declared size is over the 2 MiB bound.
    entries = {"com/example/demo/javacard/Header.cap": build_components(PKG, APPS)[HEADER],
               "com/example/demo/javacard/Method.cap": bytes(3 * 1024 * 1024)}
    raw = _zip(entries)
    assert len(raw) < 100_000
    with pytest.raises(CapError, match="ZIP bomb"):
        CapFile.parse(raw)


def test_rejects_too_many_entries() -> None:
    entries = {f"junk/{i}.txt": b"" for i in range(MAX_ENTRIES + 1)}
    with pytest.raises(CapError, match="entries"):
        CapFile.parse(_zip(entries))


def test_rejects_several_packages() -> None:
    one = zipfile.ZipFile(io.BytesIO(build_cap(PKG, APPS, package_name="a.b")))
    two = zipfile.ZipFile(io.BytesIO(build_cap(h("A00000061700445566"), [],
                                               package_name="c.d", omit=(APPLET,))))
    entries = {n: one.read(n) for n in one.namelist()} | {n: two.read(n) for n in two.namelist()}
    with pytest.raises(CapError, match="several packages"):
        CapFile.parse(_zip(entries))


def test_rejects_truncated_applet_component() -> None:
    applet = build_components(PKG, APPS)[APPLET]
    cut = applet[:-4]
    cut = cut[:1] + struct.pack(">H", len(cut) - 3) + cut[3:]
    with pytest.raises(CapError, match="Applet component"):
        CapFile.parse(build_cap(PKG, APPS, replace={APPLET: cut}))


@settings(max_examples=200)
@given(st.binary(max_size=400))
def test_random_bytes_only_cap_error(raw: bytes) -> None:
    with pytest.raises(CapError):
        CapFile.parse(raw)


@settings(max_examples=150)
@given(st.data())
def test_mutated_cap_only_cap_error(data: st.DataObject) -> None:
    raw = bytearray(build_cap(PKG, APPS))
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    with contextlib.suppress(CapError):
        CapFile.parse(bytes(raw))


@settings(max_examples=150)
@given(st.data())
def test_mutated_components_only_cap_error(data: st.DataObject) -> None:
    comps = build_components(PKG, APPS)
    tag = data.draw(st.sampled_from([HEADER, APPLET, 4]))
    comp = bytearray(comps[tag])
    i = data.draw(st.integers(0, len(comp) - 1))
    comp[i] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        comp = comp[: data.draw(st.integers(0, len(comp)))]
    with contextlib.suppress(CapError):
        CapFile.parse(build_cap(PKG, APPS, replace={tag: bytes(comp)}))
