"""A throwaway PostgreSQL cluster for tests and benchmarks.

`initdb` into a temporary folder, `pg_ctl start` on a free loopback port with
its unix socket in that folder, trust authentication for one superuser; stop
and delete everything afterwards. Root cannot run the server, so as root the
binaries run as the `postgres` user (created by Debian's package) through
`runuser`. `find_bin()` looks in /usr/lib/postgresql/<version>/bin, newest first.

`pg_ctl` runs the server as a daemon, so nothing stops it when the process that
started it ends: `start()` stops what it started when it fails half-way,
`stop()` kills the postmaster when `pg_ctl stop` does not end it, an atexit hook
stops a cluster whose owner forgot to, and every new cluster first stops the
clusters left behind by test runs that were killed (their owner pid is gone).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend_stub.runner import free_port

USER = "tp"
PREFIX = "tp-pg-"
OWNER_FILE = "owner.pid"  # the pid of the process that started the cluster
FAST = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries here, or the cluster would not start."""


def find_bin() -> Path:
    root = Path("/usr/lib/postgresql")
    versions = sorted((p for p in root.glob("*/bin") if (p / "initdb").exists()),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
                      reverse=True)
    if not versions:
        raise PostgresUnavailable("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin "
                                  "(Debian: apt-get install postgresql)")
    return versions[0]


class PgCluster:
    """One running cluster; `create_database()` gives each user of it its own database."""

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        self.bin = find_bin()
        reap_orphans()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.dir / OWNER_FILE).write_text(str(os.getpid()))
        self.data = self.dir / "data"
        self.settings = {"max_connections": "300", **(settings or {})}
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                owner = pwd.getpwnam("nobody")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", owner.pw_name, "--"]

    def _run(self, *cmd: str) -> None:
        proc = subprocess.run([*self._as, *cmd], capture_output=True, text=True, check=False,
                              timeout=120)
        if proc.returncode != 0:
            raise PostgresUnavailable(f"{Path(cmd[0]).name} failed: {proc.stdout}{proc.stderr}")

    def start(self) -> PgCluster:
        atexit.register(self.stop)
        try:
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", USER,
                      "--auth=trust", "-E", "UTF8", "--locale=C")
            opts = " ".join([f"-c listen_addresses=127.0.0.1 -p {self.port}",
                             f"-c unix_socket_directories={self.dir}",
                             *(f"-c {k}={v}" for k, v in self.settings.items())])
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts,
                      "-l", str(self.dir / "server.log"), "-w", "-t", "60", "start")
        except BaseException:
            self.stop()  # pg_ctl may have started the server before it gave up waiting
            raise
        return self

    def stop(self) -> None:
        """Stops the server (killing it if pg_ctl cannot) and deletes the cluster."""
        atexit.unregister(self.stop)
        _stop_dir(self.dir, self.bin, self._as)

    def url(self, database: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its `postgresql://` URL."""
        name = name or f"tp_{uuid.uuid4().hex[:12]}"
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", USER, name)
        return self.url(name)


def _postmaster_pid(data: Path) -> int | None:
    try:
        return int((data / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_dir(folder: Path, bin_dir: Path, run_as: list[str]) -> None:
    data = folder / "data"
    pid = _postmaster_pid(data)
    if pid is not None:
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data),
                            "-m", "immediate", "-w", "-t", "30", "stop"],
                           capture_output=True, check=False, timeout=60)
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                # SIGQUIT: PostgreSQL's immediate shutdown; SIGKILL if it does not go
                os.kill(pid, signal.SIGQUIT if time.monotonic() < deadline - 5
                        else signal.SIGKILL)
            time.sleep(0.1)
    shutil.rmtree(folder, ignore_errors=True)


def reap_orphans(tmp: Path | None = None) -> list[Path]:
    """Stops and deletes the clusters whose owner process is gone (a killed test run);
    returns their folders."""
    reaped = []
    for folder in Path(tmp or tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            owner = int((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not ours, or still being created
        if owner == os.getpid() or _alive(owner):
            continue
        try:
            bin_dir = find_bin()
        except PostgresUnavailable:
            return reaped
        run_as = []
        if os.geteuid() == 0 and folder.stat().st_uid != 0:
            run_as = ["runuser", "-u", pwd.getpwuid(folder.stat().st_uid).pw_name, "--"]
        _stop_dir(folder, bin_dir, run_as)
        reaped.append(folder)
    return reaped


def required() -> bool:
    """Under CI a missing PostgreSQL is a failure, elsewhere a skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PgCluster]:
    """One cluster per test session (fast settings: fsync off)."""
    try:
        cluster = PgCluster(FAST).start()
    except PostgresUnavailable as exc:
        if required():
            pytest.fail(f"PostgreSQL is required under CI=true: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


def wait_port(port: int, timeout: float = 30.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")
