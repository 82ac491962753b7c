"""backend_stub/lifetime.py: the reasons a per-user backend stops itself (fake clock)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from backend_stub.lifetime import Lifetime


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_idle_counts_from_the_last_request_and_not_during_one(tmp_path: Path) -> None:
    clock = Clock()
    life = Lifetime(idle_s=600, clock=clock, version="1", version_of=lambda: "1")
    clock.now += 599
    assert life.reason_to_stop() is None
    life.begin()  # a long-poll arrives and stays open past the idle time
    clock.now += 700
    assert life.reason_to_stop() is None
    life.end()
    clock.now += 599
    assert life.reason_to_stop() is None
    clock.now += 1
    assert life.reason_to_stop() == "idle for 600 s"


def test_no_idle_exit_when_not_configured() -> None:
    clock = Clock()
    life = Lifetime(idle_s=None, clock=clock, version="1", version_of=lambda: "1")
    clock.now += 10**6
    assert life.reason_to_stop() is None


def test_database_removed_or_replaced(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite"
    db.write_bytes(b"x")
    life = Lifetime(idle_s=None, db_path=db, version="1", version_of=lambda: "1")
    assert life.reason_to_stop() is None
    other = tmp_path / "new.sqlite"
    other.write_bytes(b"y")
    os.replace(other, db)  # a restore from a backup: another file under the same name
    assert "removed or replaced" in (life.reason_to_stop() or "")
    db.unlink()
    assert "removed or replaced" in (life.reason_to_stop() or "")


def test_version_change() -> None:
    installed = ["0.1.0"]
    life = Lifetime(idle_s=None, version="0.1.0", version_of=lambda: installed[0])
    assert life.reason_to_stop() is None
    installed[0] = "0.2.0"
    assert life.reason_to_stop() == "the installed version changed (0.1.0 -> 0.2.0)"


async def test_watch_calls_stop_once_there_is_a_reason() -> None:
    clock = Clock()
    life = Lifetime(idle_s=5, clock=clock, version="1", version_of=lambda: "1")
    stopped = asyncio.Event()
    task = asyncio.create_task(life.watch(stopped.set, interval=0.01))
    await asyncio.sleep(0.05)
    assert not stopped.is_set()
    clock.now += 5
    await asyncio.wait_for(stopped.wait(), 5)
    await asyncio.wait_for(task, 5)


async def test_middleware_counts_requests_in_flight() -> None:
    life = Lifetime(idle_s=5, version="1", version_of=lambda: "1")
    seen: list[int] = []

    async def app(scope: object, receive: object, send: object) -> None:
        seen.append(life.in_flight)

    wrapped = life.middleware(app)
    await wrapped({"type": "http"}, None, None)
    await wrapped({"type": "lifespan"}, None, None)
    assert seen == [1, 0] and life.in_flight == 0
