"""`make package`: the one-folder build, checked, then a tarball and a .deb made from it.

    .venv/bin/python packaging/build.py [--dist DIR] [--no-check] [--no-tar] [--no-deb]

1. compiles ui/translations/*.ts to .qm (pyside6-lrelease) into build/packaging/qm;
2. runs PyInstaller on packaging/touchpoint.spec -> DIST/touchpoint/ (the executables
   touchpoint, touchpoint-backend, cardsim over one shared _internal/ folder);
3. runs the bundle's `touchpoint --self-test` offscreen with a bare environment;
4. packs DIST/se-touchpoint-VERSION-linux-ARCH.tar.gz (the folder plus share/: the
   .desktop file, AppStream metainfo, icons and kiosk files);
5. when dpkg-deb exists, DIST/se-touchpoint_VERSION_ARCH.deb: the folder in
   /opt/se-touchpoint, links in /usr/bin, desktop integration in /usr/share, the kiosk
   unit in /usr/lib/systemd/system (not enabled), the kiosk user in
   /usr/lib/sysusers.d (created by postinst with systemd-sysusers, which also runs
   systemctl daemon-reload); Depends: pcscd, libccid, libpcsclite1 and what
   dpkg-shlibdeps finds for the bundle's ELF files.
"""

# A build script runs fixed tools (dpkg, dpkg-shlibdeps, ldd, lrelease, PyInstaller) on our
# own files.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_ID = "org.setouchpoint.TouchPoint"
PACKAGE = "se-touchpoint"
BUNDLE = "touchpoint"
EXECUTABLES = ("touchpoint", "touchpoint-backend", "cardsim")
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
KIOSK_FILES = ("se-touchpoint-kiosk.service", "pcscd-restart.conf", "se-touchpoint-pcsc.rules",
               "se-touchpoint.sysusers", "se-touchpoint-token.conf")
# Always needed, whatever dpkg-shlibdeps finds: the PC/SC daemon, its USB driver, and the
# client library pyscard loads at run time (dlopen, so no ELF file names it).
BASE_DEPENDS = ("pcscd", "libccid", "libpcsclite1")
RECOMMENDS = ("fonts-dejavu-core",)
SUGGESTS = ("cage",)
MAINTAINER = "SE Touch Point developers <maintainers@setouchpoint.org>"


class BuildError(RuntimeError):
    """A build step failed; the message names the step and what to do."""


def log(text: str) -> None:
    print(f"package: {text}", flush=True)


def project_version(root: Path = ROOT) -> str:
    with open(root / "pyproject.toml", "rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def deb_arch() -> str:
    try:
        out = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                             check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


# -- 1. translations ---------------------------------------------------------------------
def lrelease_command(python: Path) -> list[str]:
    """pyside6-lrelease beside the interpreter, else on PATH."""
    here = python.parent / "pyside6-lrelease"
    found = str(here) if here.exists() else shutil.which("pyside6-lrelease")
    if not found:
        raise BuildError("pyside6-lrelease not found: install pyside6-essentials in the "
                         "build environment")
    return [found]


def compile_translations(python: Path, out_dir: Path, sources: Iterable[Path] | None = None
                         ) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.qm"):
        old.unlink()
    ts_files = sorted(sources if sources is not None
                      else (ROOT / "ui" / "translations").glob("*.ts"))
    done = []
    for ts in ts_files:
        qm = out_dir / (ts.stem + ".qm")
        proc = subprocess.run([*lrelease_command(python), "-silent", str(ts), "-qm", str(qm)],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not qm.is_file():
            raise BuildError(f"lrelease failed on {ts.name}: {proc.stderr.strip()}")
        done.append(qm)
    return done


# -- 2. PyInstaller ----------------------------------------------------------------------
def run_pyinstaller(python: Path, qm_dir: Path, dist: Path, work: Path) -> Path:
    probe = subprocess.run([str(python), "-c", "import PyInstaller"], capture_output=True,
                           check=False)
    if probe.returncode != 0:
        raise BuildError(f"PyInstaller is not installed: {python} -m pip install pyinstaller")
    bundle = dist / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    env = dict(os.environ, TOUCHPOINT_QM_BUILD=str(qm_dir))
    cmd = [str(python), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work), str(PACKAGING / "touchpoint.spec")]
    if subprocess.run(cmd, env=env, cwd=ROOT, check=False).returncode != 0:
        raise BuildError("PyInstaller failed (its output is above)")
    for name in EXECUTABLES:
        if not (bundle / name).is_file():
            raise BuildError(f"PyInstaller made no {name} in {bundle}")
    return bundle


# -- 3. self-test ------------------------------------------------------------------------
def bare_env(home: Path) -> dict[str, str]:
    """What a fresh machine has: no virtualenv, no PYTHONPATH, no display."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen"}


def self_test(executable: Path, timeout: float = 300.0) -> str:
    with tempfile.TemporaryDirectory(prefix="touchpoint-check-") as tmp:
        proc = subprocess.run(
            [str(executable), "--self-test"], cwd=tmp, env=bare_env(Path(tmp)),
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
            check=False)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise BuildError(f"the bundle's --self-test failed (status {proc.returncode}):\n{output}")
    return output


# -- 4. desktop files, tarball -------------------------------------------------------------
def stage_share(share: Path) -> None:
    """share/ as under /usr: applications, metainfo, hicolor icons, kiosk files, docs."""
    linux = PACKAGING / "linux"
    icons = ROOT / "resources" / "icons"
    _copy(linux / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    _copy(linux / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    for size in ICON_SIZES:
        _copy(icons / f"touchpoint-{size}.png",
              share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    _copy(icons / "touchpoint.svg", share / "icons" / "hicolor" / "scalable" / "apps"
          / f"{APP_ID}.svg")
    for name in KIOSK_FILES:
        _copy(linux / "kiosk" / name, share / PACKAGE / "kiosk" / name)
    _copy(PACKAGING / "KIOSK.md", share / "doc" / PACKAGE / "KIOSK.md")


def _copy(src: Path, dest: Path) -> None:
    if not src.is_file():
        raise BuildError(f"missing {src.relative_to(ROOT)}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def make_tarball(bundle: Path, out: Path) -> Path:
    """The folder as `touchpoint/`, with `touchpoint/share/` for desktop integration."""
    with tempfile.TemporaryDirectory() as tmp:
        share = Path(tmp) / "share"
        stage_share(share)
        partial = out.with_name(out.name + ".part")
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(bundle, arcname=BUNDLE, filter=_normalize)
            tar.add(share, arcname=f"{BUNDLE}/share", filter=_normalize)
        partial.replace(out)
    return out


def _normalize(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    if info.isdir() or info.mode & 0o111:
        info.mode = 0o755
    elif not info.issym():
        info.mode = 0o644
    return info


# -- 5. .deb -------------------------------------------------------------------------------
LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(\S+)")


def is_elf(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def external_libraries(bundle: Path) -> tuple[set[str], set[str]]:
    """Libraries the bundle's ELF files load from the system, and names nothing provides."""
    outside: set[str] = set()
    missing: set[str] = set()
    root = str(bundle.resolve())
    # the bootloader puts _internal/ on the library path; ldd must see the same
    env = dict(os.environ, LD_LIBRARY_PATH=str(bundle / "_internal"))
    for path in sorted(p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()):
        if not is_elf(path):
            continue
        proc = subprocess.run(["ldd", str(path)], capture_output=True, text=True,
                              env=env, check=False)
        for line in proc.stdout.splitlines():
            m = LDD_LINE.match(line)
            if not m:
                continue
            name, target = m.groups()
            if target == "not":
                missing.add(name)
            elif not os.path.realpath(target).startswith(root):
                outside.add(target)
    return outside, missing


SHLIBS_LINE = re.compile(r"^shlibs:Depends=(.*)$", re.MULTILINE)


def shlibs_depends(stage: Path, elves: Iterable[Path]) -> list[str]:
    """What dpkg-shlibdeps says the ELF files of a staged package tree (with its DEBIAN/
    folder, so that $ORIGIN resolves) need from the system: `libc6 (>= 2.34)`, ...

    The bundle's own libraries (in _internal/, given with -l) need nothing; a library
    found nowhere stops the build, since the .deb would not run without it."""
    tool = shutil.which("dpkg-shlibdeps")
    if not tool:
        raise BuildError("dpkg-shlibdeps not found (Debian package dpkg-dev)")
    internal = stage / "opt" / PACKAGE / "_internal"
    with tempfile.TemporaryDirectory() as tmp:
        # dpkg-shlibdeps reads debian/control of the source it is run in: a minimal one
        (Path(tmp) / "debian").mkdir()
        (Path(tmp) / "debian" / "control").write_text(
            f"Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: any\n")
        cmd = [tool, "-O", "--ignore-missing-info", f"-l{internal}",
               *(f"-e{p}" for p in elves)]
        proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        errors = [line for line in proc.stderr.splitlines() if "error" in line]
        raise BuildError("dpkg-shlibdeps failed: " + ("\n".join(errors) or proc.stderr.strip()))
    m = SHLIBS_LINE.search(proc.stdout)
    return [d.strip() for d in m.group(1).split(",") if d.strip()] if m else []


def deb_depends(stage: Path) -> list[str]:
    """BASE_DEPENDS plus dpkg-shlibdeps' list for every ELF file under opt/, one entry
    per package (a versioned one wins over a bare name)."""
    opt = stage / "opt" / PACKAGE
    elves = sorted(p for p in opt.rglob("*") if p.is_file() and not p.is_symlink()
                   and is_elf(p))
    found = shlibs_depends(stage, elves) if elves else []
    by_package: dict[str, str] = {pkg: pkg for pkg in BASE_DEPENDS}
    for dep in found:
        name = dep.split()[0]
        if name not in by_package or by_package[name] == name:
            by_package[name] = dep
    return [by_package[name] for name in sorted(by_package)]


POSTINST = """#!/bin/sh
# se-touchpoint postinst: the kiosk user (sysusers.d), and systemd told of the new unit.
set -e
if [ "$1" = "configure" ]; then
    if command -v systemd-sysusers >/dev/null 2>&1; then
        systemd-sysusers ${DPKG_ROOT:+--root="$DPKG_ROOT"} se-touchpoint.conf
    fi
    if [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ]; then
        systemctl daemon-reload >/dev/null || true
    fi
fi
exit 0
"""

POSTRM = """#!/bin/sh
# se-touchpoint postrm: systemd forgets the removed unit (the kiosk user stays, as
# Debian leaves system users behind).
set -e
if [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null || true
fi
exit 0
"""


def control_text(version: str, arch: str, depends: Sequence[str], installed_kib: int) -> str:
    return "\n".join([
        f"Package: {PACKAGE}",
        f"Version: {version}",
        f"Architecture: {arch}",
        f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {installed_kib}",
        f"Depends: {', '.join(depends)}",
        f"Recommends: {', '.join(RECOMMENDS)}",
        f"Suggests: {', '.join(SUGGESTS)}",
        "Section: utils",
        "Priority: optional",
        "Description: Secure Element touch point (desktop and kiosk)",
        " Reads a contactless card in a PC/SC or NFC reader, shows the applications a",
        " service provider offers for it and installs, uninstalls, suspends or resumes",
        " them through a backend that wraps every secret in a GlobalPlatform secure",
        " channel. A local backend and a virtual card are included, so it runs on one",
        " machine with no network and no hardware.",
        " .",
        " Self-contained: Python and Qt are inside /opt/se-touchpoint. The kiosk unit",
        " (cage, tty1, user touchpoint) is installed but not enabled; see",
        " /usr/share/doc/se-touchpoint/KIOSK.md.",
        "",
    ])


def make_deb(bundle: Path, out: Path, version: str, arch: str) -> Path:
    if not shutil.which("dpkg-deb"):
        raise BuildError("dpkg-deb not found (Debian package dpkg)")
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "root"
        opt = stage / "opt" / PACKAGE
        shutil.copytree(bundle, opt, symlinks=True)
        usr_bin = stage / "usr" / "bin"
        usr_bin.mkdir(parents=True)
        for name in EXECUTABLES:
            # relative, so an unpacked tree (dpkg-deb -x) works as well as an installed one
            (usr_bin / name).symlink_to(Path("..", "..", "opt", PACKAGE, name))
        stage_share(stage / "usr" / "share")
        _copy(PACKAGING / "linux" / "kiosk" / "se-touchpoint-kiosk.service",
              stage / "usr" / "lib" / "systemd" / "system" / "se-touchpoint-kiosk.service")
        _copy(PACKAGING / "linux" / "kiosk" / "se-touchpoint.sysusers",
              stage / "usr" / "lib" / "sysusers.d" / "se-touchpoint.conf")
        doc = stage / "usr" / "share" / "doc" / PACKAGE
        (doc / "copyright").write_text(
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
            f"Upstream-Name: {PACKAGE}\n\nFiles: *\nCopyright: The SE Touch Point developers\n"
            "License: proprietary\n Bundles Python, Qt (LGPL-3) and PyPI packages under "
            "their own licenses.\n")
        _normalize_tree(stage)
        installed_kib = sum(p.lstat().st_size for p in stage.rglob("*")) // 1024 + 1
        debian = stage / "DEBIAN"
        debian.mkdir(mode=0o755)
        (debian / "control").write_text(
            control_text(version, arch, deb_depends(stage), installed_kib))
        (debian / "control").chmod(0o644)
        for name, script in (("postinst", POSTINST), ("postrm", POSTRM)):
            (debian / name).write_text(script)
            (debian / name).chmod(0o755)
        partial = out.with_name(out.name + ".part")
        cmd = ["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", str(stage),
               str(partial)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise BuildError(f"dpkg-deb failed: {proc.stderr.strip()}")
        partial.replace(out)
    return out


def _normalize_tree(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod(0o755 if path.is_dir() or mode & 0o111 else 0o644)


# -- driver --------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="packaging/build.py", description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "packaging",
                        help="PyInstaller's work folder and the compiled translations")
    parser.add_argument("--no-check", action="store_true", help="skip the bundle's self-test")
    parser.add_argument("--no-tar", action="store_true", help="no tarball")
    parser.add_argument("--no-deb", action="store_true", help="no .deb")
    args = parser.parse_args(argv)
    python = Path(sys.executable)
    version, arch = project_version(), deb_arch()
    dist, work = args.dist.resolve(), args.work.resolve()
    dist.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    try:
        qms = compile_translations(python, work / "qm")
        log(f"translations: {', '.join(q.stem for q in qms) or 'none'}")
        bundle = run_pyinstaller(python, work / "qm", dist, work / "pyinstaller")
        size = sum(p.lstat().st_size for p in bundle.rglob("*")) / 2**20
        log(f"one-folder build: {bundle} ({size:.0f} MiB)")
        if not args.no_check:
            log("self-test of the bundle (offscreen, bare environment) ...")
            print(self_test(bundle / "touchpoint"), end="", flush=True)
        if not args.no_tar:
            tar = make_tarball(bundle, dist / f"{PACKAGE}-{version}-linux-{platform.machine()}"
                                              ".tar.gz")
            log(f"tarball: {tar} ({tar.stat().st_size / 2**20:.0f} MiB)")
        if not args.no_deb:
            if shutil.which("dpkg-deb"):
                deb = make_deb(bundle, dist / f"{PACKAGE}_{version}_{arch}.deb", version, arch)
                log(f"deb: {deb} ({deb.stat().st_size / 2**20:.0f} MiB)")
            else:
                log("no dpkg-deb here: .deb skipped")
    except (BuildError, subprocess.TimeoutExpired) as exc:
        print(f"package: FAILED: {exc}", file=sys.stderr)
        return 1
    log(f"done in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
