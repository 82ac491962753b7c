"""The desktop window shares the user's bundled backend; the kiosk keeps its own."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from app.backendrecord import RecordStore, pid_alive
from tests.helpers.sharedbackends import stop_recorded
from tests.ui.conftest import run


def _ctx(tmp_path: Path, qm_dir: Path, *, kiosk: bool) -> Any:
    from app.pinstore import PinStore
    from ui.context import Settings, UiContext
    from ui.i18n import Language
    from ui.readers import ReaderHub

    settings = Settings(kiosk=kiosk, db=str(tmp_path / "backend.sqlite"), pcsc=False,
                        data_dir=tmp_path)
    hub = ReaderHub(pcsc=False, virtual_card=None, virtual_present=False)
    return UiContext(settings, Language("en", qm_dir), hub,
                     pins=PinStore(tmp_path, use_keyring=False))


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    path = tmp_path / "run"
    monkeypatch.setenv("TOUCHPOINT_RUNTIME_DIR", str(path))
    monkeypatch.setenv("TOUCHPOINT_HOME", str(tmp_path))
    yield path
    stop_recorded(path)


def test_kiosk_keeps_its_own_backend(qloop: asyncio.AbstractEventLoop, qtbot: Any,
                                     tmp_path: Path, qm_dir: Path, runtime: Path) -> None:
    ctx = _ctx(tmp_path, qm_dir, kiosk=True)
    run(qtbot, ctx.start(), timeout=60)
    assert ctx.error is None and ctx.bundled is not None and ctx.bundled.running
    assert ctx.bundled_url == ctx.backend_url == ctx.bundled.url
    proc = ctx.bundled.proc
    # nothing recorded for others to reuse, and it ends with the kiosk
    assert not RecordStore(tmp_path / "backend.sqlite", runtime).path.exists()
    run(qtbot, ctx.close(), timeout=30)
    assert proc.poll() is not None


def test_desktop_window_reuses_the_shared_backend(qloop: asyncio.AbstractEventLoop,
                                                  qtbot: Any, tmp_path: Path, qm_dir: Path,
                                                  runtime: Path) -> None:
    from app.sharedbackend import obtain

    shared = run(qtbot, obtain(tmp_path / "backend.sqlite"), timeout=60)  # e.g. a CLI command
    ctx = _ctx(tmp_path, qm_dir, kiosk=False)
    run(qtbot, ctx.start(), timeout=60)
    assert ctx.error is None and ctx.bundled is None
    assert ctx.backend_url == ctx.bundled_url == shared.url
    run(qtbot, ctx.close(), timeout=30)
    assert pid_alive(shared.record.pid), "closing the window must not end the shared backend"


def test_desktop_window_keeps_the_shared_backend_alive_and_replaces_a_dead_one(
        qloop: asyncio.AbstractEventLoop, qtbot: Any, tmp_path: Path, qm_dir: Path,
        runtime: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import signal

    monkeypatch.setenv("TOUCHPOINT_BACKEND_IDLE", "3")  # the window asks every second
    ctx = _ctx(tmp_path, qm_dir, kiosk=False)
    run(qtbot, ctx.start(), timeout=60)
    store = RecordStore(tmp_path / "backend.sqlite", runtime)
    first = store.read()
    assert first is not None and ctx.backend_url == first.url
    qtbot.wait(5000)  # longer than the idle time: the open window keeps it
    assert pid_alive(first.pid)
    os.kill(first.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: ctx.backend_url not in (None, first.url), timeout=30_000)
    second = store.read()
    assert second is not None and second.pid != first.pid and ctx.backend_url == second.url
    run(qtbot, ctx.close(), timeout=30)
