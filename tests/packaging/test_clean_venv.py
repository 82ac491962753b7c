"""The wheel in a clean virtualenv, as a user's `pip install` gets it: with the oldest
cryptography the dependency floor allows (43, the first with `hazmat.decrepit`, which
the 3DES code imports) and then with the newest, `touchpoint --self-test` passes (bundled
backend, virtual card, offscreen window). The optional extras are not installed: the
program must run without nfcpy and asyncpg."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.conftest import bare_env, source_copy

pytestmark = pytest.mark.slow


def _run(*cmd: str | Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert proc.returncode == 0, f"{cmd}: {proc.stdout[-3000:]}{proc.stderr[-3000:]}"
    return proc


def _self_test(venv: Path, home: Path) -> str:
    home.mkdir()
    proc = subprocess.run([str(venv / "bin" / "touchpoint"), "--self-test"], cwd=home,
                          env=bare_env(home), stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "self-test passed" in proc.stdout
    return proc.stdout


def test_wheel_runs_with_the_oldest_and_the_newest_cryptography(tmp_path: Path) -> None:
    src = source_copy(tmp_path / "src")
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path / "out", src)
    wheel = next((tmp_path / "out").glob("*.whl"))
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"

    def version(module: str) -> str:
        return _run(python, "-c", f"import {module}; print({module}.__version__)"
                    ).stdout.strip()

    _run(python, "-m", "pip", "install", "-q", str(wheel), "cryptography==43.*")
    assert version("cryptography").startswith("43.")
    extras = _run(python, "-c", "import importlib.util as u; "
                  "print([m for m in ('nfc', 'asyncpg') if u.find_spec(m)])").stdout
    assert extras.strip() == "[]"  # the extras stay out of a plain install
    _self_test(venv, tmp_path / "home43")

    _run(python, "-m", "pip", "install", "-q", "--upgrade", "cryptography")
    newest = version("cryptography")
    assert int(newest.split(".")[0]) > 43, newest
    _self_test(venv, tmp_path / "home-newest")
