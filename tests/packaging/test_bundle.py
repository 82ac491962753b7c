"""The real build: the one-folder bundle, its tarball and .deb, and the wheel and sdist.

Slow (the PyInstaller build takes about two minutes and is made once per
session by `built_dist`); CI runs these. Each bundle test runs the program from
a clean temporary folder with no virtualenv on PATH, no PYTHONPATH and no
display, the way it runs on a machine without Python.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.packaging.conftest import (
    APP_ID,
    ROOT,
    bare_env,
    load_build,
    require_tool,
    source_copy,
)

pytestmark = pytest.mark.slow

STEPS = ("resources", "gui", "backend", "card", "install", "uninstall")
EXPECTED_PLATFORMS = {"libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libqminimal.so"}
UNUSED_QT = ("Qml", "Quick", "Network", "Pdf", "WebEngine", "Designer", "Multimedia", "Sql",
             "Test", "Help", "EglFS")
MAX_BUNDLE_MIB = 260


def _only(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {dist}: {found}"
    return found[0]


def _self_test(executable: Path, workdir: Path) -> str:
    proc = subprocess.run([str(executable), "--self-test"], cwd=workdir, env=bare_env(workdir),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300,
                          check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "frozen build" in output
    for step in STEPS:
        assert f"ok    {step}" in output, (step, output)
    assert output.rstrip().endswith("self-test passed")
    assert str(ROOT) not in output, "the bundle must not reach back into the source tree"
    return output


def test_tarball_runs_self_test_from_a_clean_folder(built_dist: Path, tmp_path: Path) -> None:
    tar = _only(built_dist, "se-touchpoint-*-linux-*.tar.gz")
    with tarfile.open(tar) as archive:
        archive.extractall(tmp_path, filter="data")
    output = _self_test(tmp_path / "touchpoint" / "touchpoint", tmp_path)
    assert f", {tmp_path / 'touchpoint' / '_internal'})" in output  # the extracted copy ran


def test_bundle_is_complete_and_lean(built_dist: Path) -> None:
    internal = built_dist / "touchpoint" / "_internal"
    for exe in ("touchpoint", "touchpoint-backend", "cardsim"):
        assert (built_dist / "touchpoint" / exe).stat().st_mode & 0o111, exe
    qms = sorted(p.name for p in (internal / "ui" / "translations").glob("*.qm"))
    assert qms == [f"touchpoint_{lang}.qm" for lang in ("de", "en", "es", "sv")]
    assert (internal / "resources" / "demo" / "secret-app.json").is_file()
    assert (internal / "resources" / "icons" / "touchpoint.svg").is_file()
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert {p.name for p in (plugins / "platforms").iterdir()} == EXPECTED_PLATFORMS
    assert not (plugins / "egldeviceintegrations").exists()
    assert (plugins / "wayland-shell-integration" / "libxdg-shell.so").is_file()  # cage
    assert (plugins / "imageformats" / "libqsvg.so").is_file()  # SVG logos
    libs = {p.name for p in internal.rglob("*.so*")}
    dangling = [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling, dangling
    for module in UNUSED_QT:
        assert not [n for n in libs if n.startswith(f"libQt6{module}")], module
    assert not [n for n in libs if n.startswith(("libgtk-3", "libpcsclite"))]
    # every library a kept plugin needs is in the bundle or on this system (else Qt would
    # silently skip the plugin: no wayland for cage, no xcb for desktops)
    _outside, missing = load_build().external_libraries(built_dist / "touchpoint")
    assert not missing, f"libraries nothing provides: {sorted(missing)}"
    size = sum(p.lstat().st_size for p in (built_dist / "touchpoint").rglob("*")) / 2**20
    assert size < MAX_BUNDLE_MIB, f"bundle grew to {size:.0f} MiB"


def test_deb_installs_desktop_integration_and_runs(built_dist: Path, tmp_path: Path) -> None:
    dpkg_deb = require_tool("dpkg-deb", "dpkg")
    deb = _only(built_dist, "se-touchpoint_*_*.deb")
    fields = subprocess.run([dpkg_deb, "-f", str(deb)], capture_output=True, text=True,
                            check=True).stdout
    depends = next(line for line in fields.splitlines() if line.startswith("Depends:"))
    for pkg in ("pcscd", "libccid", "libpcsclite1", "libc6"):
        assert f" {pkg}" in depends, pkg
    assert "Suggests: cage" in fields
    root = tmp_path / "root"
    subprocess.run([dpkg_deb, "-x", str(deb), str(root)], check=True)
    share = root / "usr" / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in (48, 128, 256):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (root / "usr" / "lib" / "systemd" / "system" / "se-touchpoint-kiosk.service").is_file()
    assert (share / "doc" / "se-touchpoint" / "KIOSK.md").is_file()
    # through the /usr/bin link, as the .desktop file and the kiosk unit start it
    _self_test(root / "usr" / "bin" / "touchpoint", tmp_path)


def test_deb_tree_passes_appstream_validate_tree(built_dist: Path, tmp_path: Path) -> None:
    dpkg_deb = require_tool("dpkg-deb", "dpkg")
    appstreamcli = require_tool("appstreamcli", "appstream")
    root = tmp_path / "root"
    subprocess.run([dpkg_deb, "-x", str(_only(built_dist, "se-touchpoint_*_*.deb")), str(root)],
                   check=True)
    proc = subprocess.run([appstreamcli, "validate-tree", "--no-net", str(root)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


_source_copy = source_copy


def test_wheel_and_sdist_carry_translations_and_resources(tmp_path: Path) -> None:
    src = _source_copy(tmp_path / "src")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(src)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    wheel = _only(out, "*.whl")
    sdist = _only(out, "*.tar.gz")
    needed = ["ui/translations/touchpoint_sv.qm", "ui/translations/touchpoint_de.qm",
              "resources/demo/secret-app.json", "resources/demo/keystore.cap",
              "resources/demo/hello.cap", "resources/icons/touchpoint.svg",
              "resources/icons/touchpoint-256.png",
              # Alembic reads its revisions as files; /docs and /redoc offline
              "backend_stub/store/schema/env.py", "backend_stub/store/schema/script.py.mako",
              "backend_stub/store/schema/versions/0001_initial.py",
              "backend_stub/docs_assets/swagger-ui-bundle.js",
              "backend_stub/docs_assets/redoc.standalone.js",
              "backend_stub/docs_assets/LICENSE-swagger-ui",
              "backend_stub/docs_assets/NOTICE-swagger-ui",
              "backend_stub/docs_assets/LICENSE-redoc"]
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not [n for n in needed if n not in names], sorted(names)
    with tarfile.open(sdist) as archive:
        sdist_names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert not [n for n in needed if n not in sdist_names]
    # the installed wheel works: its own code and data, not the source tree's
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True)
    env = bare_env(tmp_path, PYTHONPATH=str(site))
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    run = subprocess.run([sys.executable, "-m", "app.cli", "--self-test"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f", {site})" in run.stdout
    assert f"demo data in {site / 'resources' / 'demo'}" in run.stdout
