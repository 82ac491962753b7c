"""Starting the bundled backend (`touchpoint-backend serve`) as a child process.

The touch point talks to it over HTTP only, like to any remote backend. It
listens on 127.0.0.1 on a free port, gets a fresh device token for this launch
(through the environment, so it does not show in `ps`), and is stopped when
the touch point exits (the kiosk's own backend). A `detached` one outlives the
touch point and ends itself when idle: the per-user backend the commands and
the desktop window share (app/sharedbackend.py). Its log is `backend.log` in
the touch point's log directory (app.logs.log_dir()), rotated by the backend
itself (--log-file); what it prints (its start-up line, a crash before logging
is set up) goes to `backend.out` beside it, rewritten at every launch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.errors import BackendLaunchError
from app.keyrings import KEK_ENV, backend_kek
from app.logs import log_dir
from app.paths import data_dir

READY_MARKER = b"touchpoint-backend listening on"
TOKEN_ENV = "TOUCHPOINT_DEVICE_TOKEN"  # noqa: S105 - the variable name, not a token
# The backend runs in its own session (a Ctrl-C in a terminal reaches us, not it), so it
# would outlive a touch point that is killed; it watches this pid and stops when it is gone.
PARENT_ENV = "TOUCHPOINT_PARENT_PID"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def backend_command() -> list[str]:
    """`touchpoint-backend` next to this interpreter, on PATH, or `python -m backend_stub.cli`."""
    here = Path(sys.executable).parent / "touchpoint-backend"
    if here.exists():
        return [str(here)]
    found = shutil.which("touchpoint-backend")
    if found:
        return [found]
    return [sys.executable, "-m", "backend_stub.cli"]


class BundledBackend:
    """One launch of the local backend; use as `async with` or call start()/stop()."""

    def __init__(self, *, db: str | os.PathLike[str] | None = None, host: str = "127.0.0.1",
                 port: int | None = None, demo: bool = True, token: str | None = None,
                 log_path: str | os.PathLike[str] | None = None,
                 startup_timeout: float = 30.0, extra_args: list[str] | None = None,
                 detached: bool = False, idle_exit: float | None = None) -> None:
        """`detached`: the backend outlives this process (the per-user shared backend,
        app/sharedbackend.py) and stops itself after `idle_exit` idle seconds."""
        home = data_dir()
        self.db = Path(db) if db is not None else home / "backend.sqlite"
        self.host = host
        self.port = port
        self.demo = demo
        self.token = token or secrets.token_urlsafe(32)
        self.log_path = Path(log_path) if log_path is not None else log_dir() / "backend.log"
        self.out_path = self.log_path.with_suffix(".out")
        self.startup_timeout = startup_timeout
        self.extra_args = list(extra_args or [])
        self.detached = detached
        self.idle_exit = idle_exit
        self.proc: subprocess.Popen[bytes] | None = None
        self._log_offset = 0
        self._kek: str | None = None  # from the OS keyring (app/keyrings.py), once known

    def __repr__(self) -> str:
        return f"<BundledBackend {self.url if self.port else 'not started'}>"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _spawn(self, port: int) -> subprocess.Popen[bytes]:
        cmd = [*backend_command(), "serve", "--host", self.host, "--port", str(port),
               "--db", str(self.db), "--log-file", str(self.log_path)]
        if self.demo:
            cmd.append("--demo")
        if self.idle_exit is not None:
            cmd += ["--idle-exit", f"{self.idle_exit:g}"]
        if logging.getLogger().getEffectiveLevel() <= logging.DEBUG:  # -vv: the backend too
            cmd += ["--log-level", "debug"]
        cmd += self.extra_args
        env = dict(os.environ)
        env[TOKEN_ENV] = self.token
        if self.detached:
            env.pop(PARENT_ENV, None)
        else:
            env[PARENT_ENV] = str(os.getpid())
        if self._kek is not None:
            env[KEK_ENV] = self._kek
        self.db.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.out_path, "wb")  # noqa: SIM115 - handed to the child
        self._log_offset = 0
        try:
            return subprocess.Popen(  # noqa: S603 - our own fixed command line
                cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                start_new_session=True)
        finally:
            log.close()

    def _log_tail(self, n: int = 15) -> str:
        lines: list[str] = []
        for path in (self.log_path, self.out_path):
            with contextlib.suppress(OSError):
                lines += path.read_text(errors="replace").splitlines()[-n:]
        return "\n".join(line.replace(self.token, "***") for line in lines[-n:])

    async def start(self) -> BundledBackend:
        if self._kek is None and KEK_ENV not in os.environ:
            # the key sealing the card keys in the backend's database, from the keyring
            self._kek = await asyncio.to_thread(backend_kek, self.db.parent)
        last_error = ""
        for _attempt in range(3):
            port = self.port or free_port(self.host)
            self.proc = self._spawn(port)
            self.port = port
            try:
                await self._wait_healthy()
                return self
            except BackendLaunchError as exc:
                last_error = str(exc)
                self.stop()
                if "address already in use" not in last_error.lower():
                    break
                self.port = None
        raise BackendLaunchError(last_error)

    def _announced(self) -> bool:
        """The backend prints its URL once everything (demo SP included) is registered."""
        try:
            with open(self.out_path, "rb") as fh:
                fh.seek(self._log_offset)
                return READY_MARKER in fh.read()
        except OSError:
            return False

    async def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        headers = {"Authorization": f"Bearer {self.token}"}
        async with httpx.AsyncClient(base_url=self.url, headers=headers, timeout=2.0) as http:
            while time.monotonic() < deadline:
                assert self.proc is not None
                if self.proc.poll() is not None:
                    raise BackendLaunchError(
                        f"the bundled backend exited with status {self.proc.returncode}:\n"
                        f"{self._log_tail()}")
                try:
                    rsp = await http.get("/v3/apps", params={"states": "published"})
                    if rsp.status_code == 200 and self._announced():
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        raise BackendLaunchError(
            f"the bundled backend did not become healthy within {self.startup_timeout:.0f} s:\n"
            f"{self._log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait()

    async def __aenter__(self) -> BundledBackend:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.stop)
