"""Fixtures for the Qt tests: offscreen Qt, a qasync loop around pytest-qt's QApplication,
the real bundled backend (a subprocess on 127.0.0.1, started once), compiled translations.

pytest-qt has no qasync fixture. `qloop` adopts the QApplication as an already
running qasync loop, so coroutines scheduled by the widgets (asyncSlot, tasks)
run whenever a test pumps Qt events, which `qtbot.waitUntil` does: a test clicks,
then waits for what a user would see.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import shutil
import subprocess
import sys
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
TS_DIR = ROOT / "ui" / "translations"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform says this on every top-level show; it is not our warning.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


def lrelease() -> str:
    here = Path(sys.executable).parent / "pyside6-lrelease"
    found = str(here) if here.exists() else shutil.which("pyside6-lrelease")
    assert found, "pyside6-lrelease not found (pip install pyside6-essentials)"
    return found


@pytest.fixture(scope="session", autouse=True)
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The .ts sources compiled to .qm for this run (the Makefile does the same for the app)."""
    out = tmp_path_factory.mktemp("qm")
    for ts in sorted(TS_DIR.glob("touchpoint_*.ts")):
        subprocess.run([lrelease(), "-silent", str(ts), "-qm", str(out / (ts.stem + ".qm"))],
                       check=True, capture_output=True)
    old = os.environ.get("TOUCHPOINT_QM_DIR")
    os.environ["TOUCHPOINT_QM_DIR"] = str(out)
    yield out
    if old is None:
        os.environ.pop("TOUCHPOINT_QM_DIR", None)
    else:
        os.environ["TOUCHPOINT_QM_DIR"] = old


@pytest.fixture(scope="session")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("touchpoint-home")
    old = os.environ.get("TOUCHPOINT_HOME")
    os.environ["TOUCHPOINT_HOME"] = str(path)
    yield path
    if old is None:
        os.environ.pop("TOUCHPOINT_HOME", None)
    else:
        os.environ["TOUCHPOINT_HOME"] = old


@pytest.fixture(scope="session")
def backend(home: Path) -> Iterator[Any]:
    """The bundled backend, started the way the app starts it (subprocess, random port)."""
    from app.backend import BundledBackend

    b = BundledBackend(db=home / "backend.sqlite", log_path=home / "backend.log")
    asyncio.run(b.start())
    yield b
    b.stop()


@pytest.fixture
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop adopting pytest-qt's QApplication (it runs while Qt events are pumped)."""
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    deadline = loop.time() + 5
    while any(not t.done() for t in pending) and loop.time() < deadline:
        qapp.processEvents()
    # hand the loop back: it must not look like it is running when we close it
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    asyncio.events._set_running_loop(None)
    with contextlib.suppress(Exception):
        loop.close()
    asyncio.set_event_loop(None)
    gc.collect()  # on the Qt thread, see make_ctx
    real = [e for e in errors if not isinstance(e.get("exception"), asyncio.CancelledError)]
    assert not real, f"errors on the asyncio loop: {real}"


def run(qtbot: Any, coro: Coroutine[Any, Any, T], timeout: float = 20.0) -> T:
    """Runs a coroutine on the qasync loop while pumping Qt events; returns its result."""
    task = asyncio.get_event_loop().create_task(coro)
    qtbot.waitUntil(task.done, timeout=int(timeout * 1000))
    return task.result()


@pytest.fixture
def make_ctx(qloop: asyncio.AbstractEventLoop, qtbot: Any, backend: Any, home: Path,
             qm_dir: Path) -> Iterator[Any]:
    """Builds a UiContext on the shared backend with its own fresh virtual card."""
    from app.pinstore import PinStore
    from ui.context import Settings, UiContext
    from ui.i18n import Language
    from ui.readers import ReaderHub

    made: list[Any] = []

    def make(*, virtual_present: bool = False, language: str = "en", kiosk: bool = True,
             idle_s: float = 90.0, warn_s: float = 20.0, pins: PinStore | None = None,
             connect: bool = True, card_grace_s: float = 20.0) -> Any:
        settings = Settings(kiosk=kiosk, backend_url=backend.url, token=backend.token,
                            language=language, idle_s=idle_s, warn_s=warn_s, pcsc=False,
                            virtual_card=None, virtual_present=virtual_present, data_dir=home,
                            card_grace_s=card_grace_s)
        hub = ReaderHub(pcsc=False, virtual_card=None, virtual_present=virtual_present)
        ctx = UiContext(settings, Language(language, qm_dir), hub,
                        pins=pins or PinStore(home, use_keyring=False))
        made.append(ctx)
        if connect:
            run(qtbot, ctx.start())
        return ctx

    yield make
    for ctx in made:
        ctx.language.set("en")
        run(qtbot, ctx.close())
    made.clear()
    # Free widget/QObject cycles here, on the Qt thread: left to chance, the collector may run
    # on a reader or executor thread and destroy Qt objects there.
    gc.collect()
