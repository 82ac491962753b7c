"""A backend of the test's own (a real `touchpoint-backend serve` subprocess with the demo
SP) that the test can pause (SIGSTOP) and resume (SIGCONT), and a context using it."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.backendproc import BackendProcess
from tests.ui.conftest import run

TOKEN = "tp-interrupt-token"
ADMIN = "tp-interrupt-admin"


class PausableBackend(BackendProcess):
    def pause(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PausableBackend]:
    s = PausableBackend(tmp_path, str(tmp_path / "state.sqlite3"), token=TOKEN, admin=ADMIN,
                        demo=True)
    s.start()
    s.wait_started()
    yield s
    s.resume()
    s.stop()


@pytest.fixture
def paused_ctx(qloop: Any, qtbot: Any, server: PausableBackend, home: Path,
               qm_dir: Path, tmp_path: Path) -> Iterator[Any]:
    """A kiosk context on `server` with short waits: slow after 0.4 s, the limit at 2 s
    (`pcsc=True`: the PC/SC readers too, for the vpcd card)."""
    from app.pinstore import PinStore
    from ui.context import Settings, UiContext
    from ui.i18n import Language
    from ui.readers import ReaderHub

    made: list[Any] = []

    def make(*, kiosk: bool = True, slow_s: float = 0.4, limit_s: float = 2.0,
             virtual_present: bool = False, pcsc: bool = False,
             card_grace_s: float = 20.0) -> Any:
        settings = Settings(kiosk=kiosk, backend_url=server.url, token=TOKEN, pcsc=pcsc,
                            virtual_card=None, virtual_present=virtual_present, data_dir=home,
                            slow_s=slow_s, wait_limit_s=limit_s, card_grace_s=card_grace_s)
        hub = ReaderHub(pcsc=pcsc, virtual_card=None, virtual_present=virtual_present)
        ctx = UiContext(settings, Language("en", qm_dir), hub,
                        pins=PinStore(tmp_path / "pins", use_keyring=False))
        made.append(ctx)
        run(qtbot, ctx.start())
        return ctx

    yield make
    server.resume()
    for ctx in made:
        run(qtbot, ctx.close())
