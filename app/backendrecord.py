"""Where the per-user bundled backend runs: a 0600 record and a lock in the runtime directory.

Every `touchpoint` command used to start a backend and stop it again (about
2 s each). Now the first command starts one detached and writes a record
(pid, port, token, version, database); later commands read it and, before
trusting it, check that the pid is alive and that whoever listens on the port
knows the token and answers with that pid and our version (`GET /v3/instance`).
A record that fails the check (a killed backend, a port another program took,
an older version) is never followed: it is replaced. A lock file serialises
"check, else start and record", so two commands started at once start one
backend.

There is one record per database file, so a command with another `--db` (a
test's temporary home, a lab's second card set) does not take over the
backend of another.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from app.errors import BackendLaunchError

RUNTIME_ENV = "TOUCHPOINT_RUNTIME_DIR"  # overrides platformdirs' user_runtime_dir (tests)
DIST_NAME = "se-touchpoint"


def runtime_dir() -> Path:
    """A private (0700) directory for the record; $TOUCHPOINT_RUNTIME_DIR overrides."""
    override = os.environ.get(RUNTIME_ENV)
    if override:
        path = Path(override)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    else:
        from platformdirs import user_runtime_dir

        path = Path(user_runtime_dir("se-touchpoint", appauthor=False))
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:  # no /run/user/UID (no login session): a private temp directory
            import tempfile

            uid = os.getuid() if hasattr(os, "getuid") else 0
            path = Path(tempfile.gettempdir()) / f"se-touchpoint-{uid}"
            path.mkdir(mode=0o700, exist_ok=True)
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        raise BackendLaunchError(f"the runtime directory {path} is a symbolic link")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise BackendLaunchError(f"the runtime directory {path} belongs to another user")
    if st.st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def touchpoint_version() -> str:
    """The installed version: a backend of another version is not reused."""
    from importlib import metadata

    try:
        return metadata.version(DIST_NAME)
    except metadata.PackageNotFoundError:
        return "0+unknown"


@dataclass(frozen=True)
class Record:
    """A backend this user started: enough to reach it and to check it is still ours."""

    pid: int
    port: int
    token: str
    version: str
    db: str
    host: str = "127.0.0.1"
    started: float = 0.0
    idle_exit_s: float = 0.0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @classmethod
    def from_json(cls, data: Any) -> Record:
        if not isinstance(data, dict):
            raise ValueError("not an object")
        pid, port, token = data.get("pid"), data.get("port"), data.get("token")
        if not isinstance(pid, int) or pid <= 0:
            raise ValueError("pid")
        if not isinstance(port, int) or not 0 < port < 65536:
            raise ValueError("port")
        if not isinstance(token, str) or not token:
            raise ValueError("token")
        return cls(pid=pid, port=port, token=token, version=str(data.get("version", "")),
                   db=str(data.get("db", "")), host=str(data.get("host", "127.0.0.1")),
                   started=float(data.get("started", 0.0)),
                   idle_exit_s=float(data.get("idle_exit_s", 0.0)))


def _key(db: Path) -> str:
    return hashlib.sha256(str(db.resolve()).encode()).hexdigest()[:16]


class RecordStore:
    """The record and lock files of one database's backend."""

    def __init__(self, db: Path, directory: Path | None = None) -> None:
        self.db = db
        self.directory = directory or runtime_dir()
        key = _key(db)
        self.path = self.directory / f"backend-{key}.json"
        self.lock_path = self.directory / f"backend-{key}.lock"

    def read(self) -> Record | None:
        """The record, or None when there is none or it cannot be trusted (then removed)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return None
        except OSError:  # a symlink (O_NOFOLLOW) or unreadable: not ours
            self.remove()
            return None
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
            if not stat.S_ISREG(st.st_mode) or not mine or st.st_mode & 0o077:
                bad = True
            else:
                bad = False
                raw = fh.read(64 * 1024)
        if bad:
            self.remove()
            return None
        try:
            rec = Record.from_json(json.loads(raw))
        except (ValueError, TypeError):
            self.remove()
            return None
        return rec if rec.db == str(self.db) else None

    def write(self, rec: Record) -> None:
        """Atomically, readable by this user only (the token is in it)."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(asdict(rec), fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def acquire(self, timeout: float) -> IO[bytes]:
        """Takes the lock, waiting at most `timeout` seconds for another command; closing
        the returned file (release) frees it, and so does this process ending."""
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        fh = os.fdopen(fd, "r+b")
        try:
            _lock(fh, timeout, self.lock_path)
        except BaseException:
            fh.close()
            raise
        return fh

    @staticmethod
    def release(fh: IO[bytes]) -> None:
        fh.close()

    @contextlib.contextmanager
    def locked(self, timeout: float) -> Iterator[None]:
        fh = self.acquire(timeout)
        try:
            yield
        finally:
            self.release(fh)


def _lock(fh: IO[bytes], timeout: float, path: Path) -> None:
    deadline = time.monotonic() + timeout
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        while True:
            try:
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise BackendLaunchError(f"{path} stayed locked for {timeout:g} s") from None
                time.sleep(0.05)
    while True:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise BackendLaunchError(
                    f"another touchpoint command held {path} for {timeout:g} s") from None
            time.sleep(0.05)


def pid_alive(pid: int) -> bool:
    """True when `pid` runs (a zombie counts as gone)."""
    if os.name == "nt":  # os.kill would end the process there; the HTTP check decides
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, but not our backend
        return True
    status = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):
        fields = status.read_text().rsplit(")", 1)[-1].split()
        return not fields or fields[0] != "Z"
    return True


def query_instance(rec: Record, timeout: float = 1.0) -> dict[str, Any] | None:
    """What the server at the record's port says about itself with the record's token."""
    conn = http.client.HTTPConnection(rec.host, rec.port, timeout=timeout)
    try:
        conn.request("GET", "/v3/instance", headers={"Authorization": f"Bearer {rec.token}"})
        rsp = conn.getresponse()
        body = rsp.read(64 * 1024)
        if rsp.status != 200:
            return None
        data = json.loads(body)
        return data if isinstance(data, dict) else None
    except (OSError, ValueError, http.client.HTTPException):
        return None
    finally:
        conn.close()


@dataclass(frozen=True)
class Verdict:
    """What checking a record found: `problem` None means use it; `ours` that the pid is
    really the backend of that record (so it may be stopped)."""

    problem: str | None
    ours: bool


def verify(rec: Record, version: str) -> Verdict:
    """Is the record's backend alive, ours (token and pid) and of this version?"""
    if not pid_alive(rec.pid):
        return Verdict(f"process {rec.pid} is gone", ours=False)
    info = query_instance(rec)
    if info is None:
        return Verdict(f"nothing that knows our token answers on port {rec.port}", ours=False)
    if info.get("pid") != rec.pid:
        return Verdict(f"port {rec.port} is served by process {info.get('pid')}, "
                       f"not {rec.pid}", ours=False)
    if info.get("version") != version or rec.version != version:
        return Verdict(f"it runs version {info.get('version')}, this is {version}", ours=True)
    return Verdict(None, ours=True)
