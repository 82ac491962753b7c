"""packaging/build.py's pieces on small inputs: translations, tarball, .deb metadata."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.packaging.conftest import APP_ID, ROOT, load_build, require_tool

build = load_build()


@pytest.fixture
def fake_bundle(tmp_path: Path) -> Path:
    """A bundle-shaped folder: three executables (real ELF files) and an _internal/."""
    bundle = tmp_path / "touchpoint"
    (bundle / "_internal").mkdir(parents=True)
    for name in build.EXECUTABLES:
        shutil.copy2("/bin/true", bundle / name)
    (bundle / "_internal" / "data.txt").write_text("x")
    return bundle


def test_translations_compile_and_a_broken_source_names_itself(tmp_path: Path) -> None:
    python = Path(sys.executable)
    sources = sorted((ROOT / "ui" / "translations").glob("*.ts"))
    assert sources, "ui/translations/*.ts expected"
    qms = build.compile_translations(python, tmp_path / "qm", sources)
    assert [q.name for q in qms] == [s.stem + ".qm" for s in sources]
    assert all(q.stat().st_size > 0 for q in qms)
    broken = tmp_path / "touchpoint_xx.ts"
    broken.write_text("<TS><context><name>X</name><message>")  # truncated XML
    with pytest.raises(build.BuildError, match=r"touchpoint_xx\.ts"):
        build.compile_translations(python, tmp_path / "qm2", [broken])


def test_control_file_is_well_formed() -> None:
    text = build.control_text("1.2.3", "amd64", ["libc6 (>= 2.36)", "pcscd"], 1234)
    lines = text.rstrip("\n").split("\n")
    fields = {}
    for line in lines:
        assert line, "no empty line inside a paragraph"
        if line.startswith(" "):
            continue
        key, sep, value = line.partition(": ")
        assert sep and key.replace("-", "").isalpha(), line
        fields[key] = value
    assert fields["Package"] == "se-touchpoint" and fields["Version"] == "1.2.3"
    assert fields["Depends"] == "libc6 (>= 2.36), pcscd"
    assert fields["Installed-Size"] == "1234"
    assert text.endswith("\n")


def test_tarball_holds_the_bundle_and_desktop_integration(fake_bundle: Path,
                                                          tmp_path: Path) -> None:
    out = build.make_tarball(fake_bundle, tmp_path / "t.tar.gz")
    with tarfile.open(out) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert members["touchpoint/touchpoint"].mode == 0o755
    assert members["touchpoint/_internal/data.txt"].mode == 0o644
    assert all(m.uname == "root" and m.uid == 0 for m in members.values())
    for path in (f"share/applications/{APP_ID}.desktop", f"share/metainfo/{APP_ID}.metainfo.xml",
                 f"share/icons/hicolor/scalable/apps/{APP_ID}.svg",
                 f"share/icons/hicolor/48x48/apps/{APP_ID}.png",
                 "share/se-touchpoint/kiosk/se-touchpoint-kiosk.service",
                 "share/doc/se-touchpoint/KIOSK.md"):
        assert f"touchpoint/{path}" in members, path
    assert not (tmp_path / "t.tar.gz.part").exists()


def test_deb_from_a_small_bundle(fake_bundle: Path, tmp_path: Path) -> None:
    dpkg_deb = require_tool("dpkg-deb", "dpkg")
    require_tool("dpkg-query", "dpkg")
    deb = build.make_deb(fake_bundle, tmp_path / "x.deb", "9.8.7", "amd64")
    depends = subprocess.run([dpkg_deb, "-f", str(deb), "Depends"], capture_output=True,
                             text=True, check=True).stdout
    for pkg in ("pcscd", "libccid", "libpcsclite1"):
        assert pkg in depends
    assert "libc6 (>= " in depends  # /bin/true links libc: found by dpkg-shlibdeps
    listing = subprocess.run([dpkg_deb, "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout
    assert "./usr/bin/touchpoint -> ../../opt/se-touchpoint/touchpoint" in listing
    assert "./usr/lib/systemd/system/se-touchpoint-kiosk.service" in listing
    assert f"./usr/share/applications/{APP_ID}.desktop" in listing
    assert "root/root" in listing  # --root-owner-group: no build user leaks in
    unpacked = tmp_path / "unpacked"
    subprocess.run([dpkg_deb, "-x", str(deb), str(unpacked)], check=True)
    # the relative link works in an unpacked tree, not only once installed
    assert (unpacked / "usr" / "bin" / "touchpoint").resolve() == (
        unpacked / "opt" / "se-touchpoint" / "touchpoint").resolve()
    assert subprocess.run([str(unpacked / "usr" / "bin" / "touchpoint")], check=False
                          ).returncode == 0
    # the kiosk user comes with the package: sysusers.d, created by postinst
    assert "./usr/lib/sysusers.d/se-touchpoint.conf" in listing
    assert (unpacked / "usr" / "lib" / "sysusers.d" / "se-touchpoint.conf").read_text() == (
        ROOT / "packaging" / "linux" / "kiosk" / "se-touchpoint.sysusers").read_text()
    control = tmp_path / "control"
    subprocess.run([dpkg_deb, "-e", str(deb), str(control)], check=True)
    postinst = control / "postinst"
    assert postinst.stat().st_mode & 0o111
    assert "systemctl daemon-reload" in postinst.read_text()
    assert "daemon-reload" in (control / "postrm").read_text()


def test_postinst_creates_the_kiosk_user_with_systemd_sysusers(fake_bundle: Path,
                                                               tmp_path: Path) -> None:
    dpkg_deb = require_tool("dpkg-deb", "dpkg")
    require_tool("systemd-sysusers", "systemd")
    deb = build.make_deb(fake_bundle, tmp_path / "x.deb", "9.8.7", "amd64")
    root = tmp_path / "root"  # an image being installed: dpkg's DPKG_ROOT, as dpkg --root sets
    subprocess.run([dpkg_deb, "-x", str(deb), str(root)], check=True)
    (root / "etc").mkdir()
    subprocess.run([dpkg_deb, "-e", str(deb), str(tmp_path / "control")], check=True)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DPKG_ROOT": str(root)}
    proc = subprocess.run([str(tmp_path / "control" / "postinst"), "configure"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    passwd = (root / "etc" / "passwd").read_text()
    user = next(line for line in passwd.splitlines() if line.startswith("touchpoint:"))
    assert user.endswith(":/var/lib/se-touchpoint:/usr/sbin/nologin")


def test_shlibs_depends_comes_from_dpkg_shlibdeps(tmp_path: Path) -> None:
    require_tool("dpkg-shlibdeps", "dpkg-dev")
    stage = tmp_path / "stage"
    opt = stage / "opt" / "se-touchpoint"
    (opt / "_internal").mkdir(parents=True)
    (stage / "DEBIAN").mkdir()
    shutil.copy2("/bin/true", opt / "touchpoint")
    depends = build.deb_depends(stage)
    assert [d for d in depends if d.startswith("libc6 (>= ")], depends
    assert {"pcscd", "libccid"} <= {d.split()[0] for d in depends}
    # a bundled library whose own dependency is nowhere: the build stops, naming it
    import PySide6

    qtcore = Path(PySide6.__file__).parent / "Qt" / "lib" / "libQt6Core.so.6"
    shutil.copy2(qtcore, opt / "_internal" / qtcore.name)
    with pytest.raises(build.BuildError, match=r"dpkg-shlibdeps failed.*libicu"):
        build.deb_depends(stage)
