"""Fixtures for the packaging tests: the real build, made once per session.

`built_dist` runs packaging/build.py (what `make package` runs) into a session
temporary folder, or reuses a finished build named by $TOUCHPOINT_PACKAGE_DIST
(a `dist/` that `make package` filled). Tools the tests need (PyInstaller,
dpkg-deb, desktop-file-validate, appstreamcli) are skipped for on a developer
machine and fail the test under CI=true, where the Makefile installs them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "org.setouchpoint.TouchPoint"


def load_build() -> ModuleType:
    """packaging/build.py as a module (packaging/ is not a package)."""
    name = "packaging_build"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PACKAGING / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, what: str) -> None:
    """Skip on a developer machine without `what`; fail under CI, where it must be there."""
    if condition:
        return
    if under_ci():
        pytest.fail(f"{what} is missing under CI (the Makefile installs it)")
    pytest.skip(f"{what} is not installed")


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} (Debian package {package})")
    assert path is not None
    return path


def source_copy(dest: Path) -> Path:
    """The files a fresh clone has (plus new, not yet committed ones), and the compiled .qm
    the Makefile puts into ui/translations before building."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    for rel in listed:
        src = ROOT / rel
        if src.is_file() and not rel.startswith(("dist/", "build/")):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    for ts in (dest / "ui" / "translations").glob("*.ts"):
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
                       check=True)
    return dest


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    """A machine without Python: no virtualenv on PATH, no PYTHONPATH, no display."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(home)}
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ of one full `make package` run (bundle, tarball, .deb)."""
    reuse = os.environ.get("TOUCHPOINT_PACKAGE_DIST")
    if reuse:
        return Path(reuse)
    require(importlib.util.find_spec("PyInstaller") is not None,
            "PyInstaller (pip install pyinstaller)")
    require_tool("dpkg-deb", "dpkg")
    base = tmp_path_factory.mktemp("package")
    dist, work = base / "dist", base / "work"
    proc = subprocess.run(
        [sys.executable, str(PACKAGING / "build.py"), "--dist", str(dist), "--work", str(work),
         "--no-check"],  # the tests run the self-test themselves, from a clean folder
        cwd=ROOT, capture_output=True, text=True, timeout=1500, check=False)
    assert proc.returncode == 0, f"build.py failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    shutil.rmtree(work, ignore_errors=True)  # PyInstaller's work files: not needed any more
    return dist
