"""The per-user bundled backend: reused, replaced when stale, ended when idle or asked.

Real `touchpoint` subprocesses, a real detached backend, a runtime directory of the
test's own (TOUCHPOINT_RUNTIME_DIR) so no real user's backend is ever touched.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.backendrecord import Record, RecordStore, pid_alive
from tests.helpers.sharedbackends import stop_recorded

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def home(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {**os.environ, "TOUCHPOINT_HOME": str(tmp_path / "home"),
           "TOUCHPOINT_RUNTIME_DIR": str(tmp_path / "run"), "TOUCHPOINT_NO_PCSC": "1",
           "TOUCHPOINT_BACKEND_IDLE": "120", "PYTHONPATH": str(ROOT)}
    env.pop("TOUCHPOINT_BACKEND", None)
    env.pop("TOUCHPOINT_DEVICE_TOKEN", None)
    yield env
    stop_recorded(tmp_path / "run")


def tp(env: dict[str, str], *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *argv], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)


def status(env: dict[str, str]) -> dict[str, object]:
    out = tp(env, "backend", "status", "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def log_starts(env: dict[str, str]) -> int:
    log = Path(env["TOUCHPOINT_HOME"]) / "log" / "backend.log"
    return log.read_text().count("touchpoint-backend listening on") if log.exists() else 0


def store(env: dict[str, str]) -> RecordStore:
    return RecordStore(Path(env["TOUCHPOINT_HOME"]) / "backend.sqlite",
                       Path(env["TOUCHPOINT_RUNTIME_DIR"]))


def test_two_commands_share_one_backend(home: dict[str, str]) -> None:
    first = tp(home, "apps", "--json", "-v")
    assert first.returncode == 0, first.stderr
    assert "started the bundled backend" in first.stderr
    pid = status(home)["pid"]
    second = tp(home, "apps", "--json", "-v")
    assert second.returncode == 0, second.stderr
    assert "reusing the bundled backend" in second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert status(home)["pid"] == pid and log_starts(home) == 1
    # the record holds the token: this user only, in a private directory
    rec_path = store(home).path
    assert stat.S_IMODE(rec_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(rec_path.parent.stat().st_mode) == 0o700
    assert "token" not in tp(home, "backend", "status").stdout.lower()


def test_a_killed_backend_is_replaced(home: dict[str, str]) -> None:
    assert tp(home, "apps").returncode == 0
    old = status(home)["pid"]
    assert isinstance(old, int)
    os.kill(old, signal.SIGKILL)
    while pid_alive(old):
        time.sleep(0.05)
    again = tp(home, "apps", "-v")
    assert again.returncode == 0, again.stderr
    assert "started the bundled backend" in again.stderr
    new = status(home)
    assert new["running"] and new["pid"] != old


def test_a_record_pointing_at_another_program_is_not_followed(home: dict[str, str],
                                                               tmp_path: Path) -> None:
    # another program (a plain HTTP server) got the recorded port; its pid is alive too
    other = subprocess.Popen([sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             cwd=tmp_path)
    try:
        assert other.stdout is not None
        line = other.stdout.readline()  # "Serving HTTP on 127.0.0.1 port N ..."
        port = int(line.split(" port ")[1].split()[0])
        s = store(home)
        s.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        from app.backendrecord import touchpoint_version

        s.write(Record(pid=other.pid, port=port, token="not-its-token",
                       version=touchpoint_version(), db=str(s.db)))
        out = tp(home, "apps", "--json", "-v")
        assert out.returncode == 0, out.stderr
        assert "started the bundled backend" in out.stderr
        now = status(home)
        assert now["running"] and now["pid"] != other.pid
        assert now["url"] != f"http://127.0.0.1:{port}"
        assert other.poll() is None, "the other program must not be killed"
    finally:
        other.terminate()
        other.wait(10)


def test_idle_exit(home: dict[str, str]) -> None:
    env = {**home, "TOUCHPOINT_BACKEND_IDLE": "2"}
    assert tp(env, "apps").returncode == 0
    pid = status(env)["pid"]
    assert isinstance(pid, int)
    deadline = time.monotonic() + 30
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not pid_alive(pid), "the idle backend did not stop"
    log = Path(env["TOUCHPOINT_HOME"]) / "log" / "backend.log"
    assert "stopping: idle for" in log.read_text()
    assert status(env)["running"] is False  # the stale record is seen as such, and removed
    assert not store(env).path.exists()


def test_backend_stop(home: dict[str, str]) -> None:
    assert tp(home, "apps").returncode == 0
    pid = status(home)["pid"]
    assert isinstance(pid, int)
    out = tp(home, "backend", "stop")
    assert out.returncode == 0 and f"pid {pid}" in out.stdout
    assert not pid_alive(pid)
    assert status(home)["running"] is False
    assert "no bundled backend is running" in tp(home, "backend", "stop").stdout


def test_concurrent_first_commands_start_one_backend(home: dict[str, str]) -> None:
    procs = [subprocess.Popen([sys.executable, "-m", "app.cli", "apps", "--json"], env=home,
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    results = [p.communicate(timeout=90) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results
    assert log_starts(home) == 1
    assert status(home)["running"] is True


def test_an_older_version_is_stopped_and_replaced(home: dict[str, str]) -> None:
    assert tp(home, "apps").returncode == 0
    s = store(home)
    rec = s.read()
    assert rec is not None
    # the record of a backend an older touchpoint started: ours (token and pid), outdated
    from dataclasses import replace

    s.write(replace(rec, version="0.0.1"))
    out = tp(home, "apps", "-v")
    assert out.returncode == 0, out.stderr
    assert "started the bundled backend" in out.stderr
    assert not pid_alive(rec.pid), "the outdated backend was left running"
    assert status(home)["pid"] != rec.pid


def test_the_backend_ends_when_its_database_file_goes(home: dict[str, str]) -> None:
    assert tp(home, "apps").returncode == 0
    pid = status(home)["pid"]
    assert isinstance(pid, int)
    (Path(home["TOUCHPOINT_HOME"]) / "backend.sqlite").unlink()
    deadline = time.monotonic() + 20
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not pid_alive(pid)
    log = Path(home["TOUCHPOINT_HOME"]) / "log" / "backend.log"
    assert "was removed or replaced" in log.read_text()
