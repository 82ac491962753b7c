"""`touchpoint-backend serve` as a real subprocess that tests can kill and start again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from backend_stub.runner import free_port

ROOT = Path(__file__).resolve().parents[2]


class BackendProcess:
    """One backend process; its output goes to `log`, appended across restarts.

    The output goes to a file because a pipe nobody reads would fill up and block
    the server. `start()` returns at once; `wait_started()` waits for the
    listening line of this start (counted, so a restart waits for its own)."""

    def __init__(self, data: Path, db: str, *, token: str, admin: str, demo: bool = False,
                 extra: list[str] | None = None, name: str = "server") -> None:
        self.data = data
        self.db = db
        self.token = token
        self.admin = admin
        self.demo = demo
        self.extra = extra or []
        self.port = free_port()
        self.demo_port = free_port()
        self.log = data / f"{name}-{self.port}.log"
        self.proc: subprocess.Popen[str] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd = [sys.executable, "-m", "backend_stub.cli", "serve", "--port", str(self.port),
               "--db", self.db, "--data-dir", str(self.data), "--device-token", self.token,
               "--admin-token", self.admin, "--log-level", "warning", *self.extra]
        if self.demo:
            cmd += ["--demo", "--demo-port", str(self.demo_port)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.starts += 1
        with self.log.open("a") as log:
            log.write(f"--- start {self.starts}\n")
            log.flush()
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log,
                                         stderr=subprocess.STDOUT, text=True)

    def wait_started(self, timeout: float = 30) -> None:
        assert self.proc is not None
        marker = "demo service provider on" if self.demo else "listening on"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log.read_text().count(marker) >= self.starts:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("backend did not start:\n" + self.log.read_text())

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or a power cut of the process."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


async def first_operation(url: str, token: str, session_id: str) -> dict[str, Any]:
    """service/fetch (long-polls of 1 s) until the session's first operation is there."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers) as c:
        for _ in range(50):
            fetched = await c.post("/v3/service/fetch", json={"sessionId": session_id},
                                   params={"wait": 1})
            if fetched.status_code == 200:
                break
    assert fetched.status_code == 200, fetched.text
    answer: dict[str, Any] = fetched.json()
    return answer
