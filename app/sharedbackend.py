"""One bundled backend per user and database, reused by every command and the desktop GUI.

`obtain()` answers the recorded backend when it passes the checks of
app/backendrecord.py, else starts a detached one (under the lock, so
concurrent first commands start one) and records it. The backend stops itself
after $TOUCHPOINT_BACKEND_IDLE seconds without a request (default 600), when
its database file is replaced or when the installed version changes
(backend_stub/lifetime.py); `touchpoint backend stop` ends it at once. The
kiosk does not use this: it runs all day and keeps its own backend.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from app.backend import BundledBackend
from app.backendrecord import Record, RecordStore, pid_alive, touchpoint_version, verify
from app.errors import BackendLaunchError
from app.paths import data_dir

IDLE_ENV = "TOUCHPOINT_BACKEND_IDLE"
DEFAULT_IDLE_S = 600.0
# Detached backends this process started: kept referenced so no Popen is collected
# (and warns) while its backend, meant to outlive us, still runs.
_STARTED: list[subprocess.Popen[bytes]] = []


def idle_seconds() -> float:
    """The idle time after which a shared backend ends ($TOUCHPOINT_BACKEND_IDLE, seconds)."""
    raw = os.environ.get(IDLE_ENV, "").strip()
    if not raw:
        return DEFAULT_IDLE_S
    try:
        value = float(raw)
    except ValueError:
        raise BackendLaunchError(f"${IDLE_ENV}: not a number of seconds: {raw!r}") from None
    if value <= 0:
        raise BackendLaunchError(f"${IDLE_ENV} must be more than 0 seconds, not {raw}")
    return value


def default_db(db: str | os.PathLike[str] | None = None) -> Path:
    """The database a bundled backend uses (as BundledBackend picks it)."""
    return Path(db).expanduser().resolve() if db is not None else data_dir() / "backend.sqlite"


@dataclass(frozen=True)
class Shared:
    """A usable shared backend; `started` when this call started it."""

    record: Record
    started: bool

    @property
    def url(self) -> str:
        return self.record.url

    @property
    def token(self) -> str:
        return self.record.token


async def obtain(db: str | os.PathLike[str] | None = None, *,
                 startup_timeout: float = 30.0) -> Shared:
    """The user's backend for `db`: the recorded one if it is alive and ours, else a new one."""
    path = default_db(db)
    store = RecordStore(path)
    version = touchpoint_version()
    rec = store.read()
    if rec is not None and (await asyncio.to_thread(verify, rec, version)).problem is None:
        return Shared(rec, started=False)
    fh = await asyncio.to_thread(store.acquire, startup_timeout + 15.0)
    try:
        rec = store.read()  # another command may have started one while we waited
        if rec is not None:
            verdict = await asyncio.to_thread(verify, rec, version)
            if verdict.problem is None:
                return Shared(rec, started=False)
            if verdict.ours:  # e.g. an older version: ours to end
                await asyncio.to_thread(terminate, rec.pid)
            store.remove()  # stale: never followed
        idle = idle_seconds()
        bundled = BundledBackend(db=path, detached=True, idle_exit=idle,
                                 startup_timeout=startup_timeout)
        await bundled.start()
        assert bundled.proc is not None and bundled.port is not None
        _STARTED.append(bundled.proc)
        rec = Record(pid=bundled.proc.pid, port=bundled.port, token=bundled.token,
                     version=version, db=str(path), host=bundled.host, started=time.time(),
                     idle_exit_s=idle)
        store.write(rec)
        return Shared(rec, started=True)
    finally:
        store.release(fh)


def status(db: str | os.PathLike[str] | None = None) -> tuple[Record | None, str | None]:
    """(record, None) when the user's backend for `db` runs; (None, why not) otherwise.

    A stale record is removed."""
    store = RecordStore(default_db(db))
    rec = store.read()
    if rec is None:
        return None, "no bundled backend is running"
    verdict = verify(rec, touchpoint_version())
    if verdict.problem is None:
        return rec, None
    if not verdict.ours:
        store.remove()
        return None, f"no bundled backend is running (stale record removed: {verdict.problem})"
    return rec, verdict.problem


def stop(db: str | os.PathLike[str] | None = None, timeout: float = 10.0) -> Record | None:
    """Ends the user's backend for `db` if it runs and is ours; returns what was stopped."""
    store = RecordStore(default_db(db))
    with store.locked(timeout + 15.0):
        rec = store.read()
        if rec is None:
            return None
        verdict = verify(rec, touchpoint_version())
        store.remove()
        if not verdict.ours:
            return None
        terminate(rec.pid, timeout)
        return rec


def terminate(pid: int, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after `timeout` seconds (only for a pid verified as ours)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        _reap(pid)
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
            break
        time.sleep(0.05)
    _reap(pid)


def _reap(pid: int) -> None:
    """Collects the exit status when the backend was our own child (no zombie left)."""
    for proc in list(_STARTED):
        if proc.pid == pid and proc.poll() is not None:
            _STARTED.remove(proc)
