"""app/backendrecord.py: the record is private, never trusted blindly, and the lock has an end."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.backendrecord import Record, RecordStore, pid_alive, runtime_dir, verify
from app.errors import BackendLaunchError


def _store(tmp_path: Path) -> RecordStore:
    d = tmp_path / "run"
    d.mkdir(mode=0o700)
    return RecordStore(tmp_path / "backend.sqlite", d)


def _record(store: RecordStore, **kw: object) -> Record:
    base: dict[str, object] = {"pid": os.getpid(), "port": 1, "token": "t", "version": "1",
                               "db": str(store.db)}
    return Record(**{**base, **kw})  # type: ignore[arg-type]


def test_runtime_dir_override_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOUCHPOINT_RUNTIME_DIR", str(tmp_path / "rt"))
    path = runtime_dir()
    assert path == tmp_path / "rt" and stat.S_IMODE(path.stat().st_mode) == 0o700
    os.chmod(path, 0o755)
    assert stat.S_IMODE(runtime_dir().stat().st_mode) == 0o700


def test_write_and_read_back_owner_only(tmp_path: Path) -> None:
    store = _store(tmp_path)
    rec = _record(store, port=4242)
    store.write(rec)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.read() == rec
    assert not list(store.directory.glob(".*.tmp"))  # written atomically, nothing left over


@pytest.mark.parametrize("damage", ["mode", "garbage", "fields", "symlink"])
def test_an_untrustworthy_record_is_dropped(tmp_path: Path, damage: str) -> None:
    store = _store(tmp_path)
    store.write(_record(store))
    if damage == "mode":
        os.chmod(store.path, 0o644)  # someone else could have read or written the token
    elif damage == "garbage":
        store.path.write_text("{not json")
    elif damage == "fields":
        store.path.write_text('{"pid": -1, "port": 99999, "token": ""}')
    else:
        target = tmp_path / "elsewhere.json"
        target.write_text(store.path.read_text())
        os.chmod(target, 0o600)
        store.path.unlink()
        store.path.symlink_to(target)
    assert store.read() is None
    assert not store.path.exists() and not store.path.is_symlink()


def test_the_lock_is_exclusive_and_its_wait_has_an_end(tmp_path: Path) -> None:
    store = _store(tmp_path)
    held = store.acquire(1.0)
    other = RecordStore(store.db, store.directory)
    with pytest.raises(BackendLaunchError, match=r"held .* for 0\.2 s"):
        other.acquire(0.2)
    store.release(held)
    with other.locked(1.0):
        pass


def test_liveness_and_identity(tmp_path: Path) -> None:
    assert pid_alive(os.getpid())
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    assert not pid_alive(done.pid)
    store = _store(tmp_path)
    assert verify(_record(store, pid=done.pid), "1").problem == f"process {done.pid} is gone"
    with socket.socket() as s:  # a port nobody serves: alive pid, but not our backend there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    verdict = verify(_record(store, port=port), "1")
    assert not verdict.ours and "nothing that knows our token" in (verdict.problem or "")
