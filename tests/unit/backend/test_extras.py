"""Optional dependencies (the `nfc` and `postgres` extras): imported only when used, and
named with the command that installs them when missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import ReaderUnavailableError
from app.readers.nfc import NfcReader
from backend_stub.extras import MissingExtra
from backend_stub.store.db import Database

ROOT = Path(__file__).resolve().parents[3]


def _without(tmp_path: Path, module: str) -> dict[str, str]:
    """An environment in which `import module` fails, as when its extra is not installed."""
    shadow = tmp_path / "shadow" / module
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(f"raise ImportError('No module named {module}')\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(shadow.parent), str(ROOT),
                                         env.get("PYTHONPATH", "")])
    return env


def test_backend_on_postgresql_without_asyncpg_names_the_extra(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "backend_stub.cli", "serve", "--port", "1",
         "--data-dir", str(tmp_path / "data"), "--db", "postgresql://tp@127.0.0.1:1/none"],
        env=_without(tmp_path, "asyncpg"), cwd=tmp_path, capture_output=True, text=True,
        timeout=120, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "pip install 'se-touchpoint[postgres]'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_backend_on_sqlite_needs_no_asyncpg(tmp_path: Path) -> None:
    code = ("import sys, asyncio; from backend_stub.store.db import Database; "
            f"db = Database('sqlite:///{tmp_path}/x.sqlite3'); "
            "asyncio.run(db.migrate()); import backend_stub.server; "
            "print('asyncpg' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], env=_without(tmp_path, "asyncpg"),
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_database_names_the_postgres_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "asyncpg", None)  # `import asyncpg` raises ImportError
    with pytest.raises(MissingExtra, match=r"se-touchpoint\[postgres\]"):
        Database("postgresql://tp@127.0.0.1:1/none")


def test_nfc_reader_without_nfcpy_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nfc", None)  # `import nfc` raises ImportError
    reader = NfcReader("usb")  # opens the frontend on its worker thread
    try:
        reader._worker.submit(lambda: None).result(timeout=10)  # after the opening attempt
        assert reader.open_error is not None
        assert "nfcpy" in reader.open_error and "se-touchpoint[nfc]" in reader.open_error
        with pytest.raises(ReaderUnavailableError, match=r"se-touchpoint\[nfc\]"):
            reader._worker.submit(reader._open_sync).result(timeout=10)
    finally:
        reader.close_sync()
