"""What the desktop window remembers (ui/prefs.py, QSettings) and Qt's messages in the log
(ui/qtlog.py): through `touchpoint-gui` itself, started twice, and on real widgets."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from tests.helpers.entrypoints import ROOT, command, declared, environ

# `touchpoint-gui`, with a timer that acts as the user once the window is up, then closes it
DRIVE = textwrap.dedent("""
    import json, sys
    from PySide6.QtCore import QTimer
    import ui.windows
    show = ui.windows.DesktopWindow.show
    def driven(self):
        show(self)
        def act():
            seen = {"tab": self.current_tab(), "language": self.ctx.language.code,
                    "url": self.tester.url_edit.text(), "size": [self.width(), self.height()],
                    "reader": self.ctx.hub.active}
            print("seen " + json.dumps(seen), flush=True)
            if STEP == "change":
                self.show_tab("tester")
                self.ctx.language.set("sv")
                self.tester.url_edit.setText("http://127.0.0.1:9/remembered")
                self.tester.token_edit.setText("sekret-device-token")
                self.resize(1100, 760)
            if STEP == "api":  # until the backend answered (or 20 s)
                self.ctx.backend_ready.connect(lambda _url: QTimer.singleShot(100, self.close))
                QTimer.singleShot(20000, self.close)
            else:
                QTimer.singleShot(200, self.close)
        QTimer.singleShot(300, act)
    ui.windows.DesktopWindow.show = driven
    STEP = sys.argv[1]
    sys.argv = [sys.argv[0], *sys.argv[2:]]
""")


def _gui(home: Path, step: str, *args: str, **env: str) -> dict[str, Any]:
    module, func = declared()["touchpoint-gui"].split(":")
    code = DRIVE + f"from {module} import {func}\nsys.exit({func}())\n"
    backend = [] if "--backend" in args else ["--backend", "http://127.0.0.1:9"]
    proc = subprocess.run([*command("touchpoint-gui")[:2], code, step, "--no-pcsc",
                           *backend, *args], cwd=ROOT,
                          env=environ(home, **env), capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("seen "))
    return {**json.loads(line[5:]), "stderr": proc.stderr}


def test_the_desktop_window_remembers_tab_language_url_size(tmp_path: Path) -> None:
    first = _gui(tmp_path, "change", "--lang", "en")
    assert first["tab"] == "card" and first["url"] == ""
    conf = tmp_path / "touchpoint.ini"
    text = conf.read_text()
    assert "sekret-device-token" not in text  # tokens never go to settings files
    settings = QSettings(str(conf), QSettings.Format.IniFormat)
    assert settings.value("window/tab") == "tester" and settings.value("language") == "sv"
    assert settings.value("tester/backendUrl") == "http://127.0.0.1:9/remembered"

    again = _gui(tmp_path, "look")
    assert again["tab"] == "tester" and again["language"] == "sv"
    assert again["url"] == "http://127.0.0.1:9/remembered"
    # the offscreen screen is 800 px wide: Qt fits the width to it (down to the minimum)
    assert again["size"][1] == 760 and again["size"] != first["size"]
    assert again["reader"] == "Virtual card (cardsim)"
    # the command line still wins over what was remembered
    told = _gui(tmp_path, "look", "--mode", "staff", "--lang", "de")
    assert told["tab"] == "staff" and told["language"] == "de"


def test_the_kiosk_remembers_nothing(tmp_path: Path) -> None:
    proc = subprocess.run([*command("touchpoint-gui"), "--kiosk", "--no-pcsc",
                           "--exit-after-first-frame"], cwd=ROOT, env=environ(tmp_path),
                          capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "touchpoint.ini").exists()


def test_the_last_reader_comes_back_when_it_shows_up(make_ctx: Any, qtbot: Any,
                                                     tmp_path: Path) -> None:
    from app.readers.base import EventType, ReaderEvent
    from ui import prefs
    from ui.windows import DesktopWindow

    ctx = make_ctx(virtual_present=True, kiosk=False)
    window = DesktopWindow(ctx)
    qtbot.addWidget(window)
    settings = QSettings(str(tmp_path / "p.conf"), QSettings.Format.IniFormat)
    settings.setValue("reader", "ACME Reader 00 00")
    prefs.restore(window, settings)
    assert ctx.hub.active == "Virtual card (cardsim)"  # not there yet
    ctx.hub._on_event(ReaderEvent(EventType.READER_ADDED, "Other Reader 00 00"))
    assert ctx.hub.active == "Virtual card (cardsim)"
    ctx.hub._on_event(ReaderEvent(EventType.READER_ADDED, "ACME Reader 00 00"))
    assert ctx.hub.active == "ACME Reader 00 00"  # as pcscd reports it, it is used again
    prefs.save(window, settings)
    assert settings.value("reader") == "ACME Reader 00 00"


def test_qt_messages_go_into_the_log_file(tmp_path: Path) -> None:
    log = tmp_path / "q.log"
    code = textwrap.dedent(f"""
        import logging
        from pathlib import Path
        from PySide6.QtCore import qWarning, qCritical
        from PySide6.QtWidgets import QApplication
        from app import logs
        from ui import qtlog
        logs.setup(logging.INFO, log_file=Path({str(log)!r}))
        app = QApplication([])
        qtlog.install()
        qWarning("a warning from Qt")
        qCritical("a critical one")
    """)
    proc = subprocess.run([*command("touchpoint-gui")[:2], code], cwd=ROOT,
                          env=environ(tmp_path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    text = log.read_text()
    assert "WARNING qt: a warning from Qt" in text and "ERROR qt: a critical one" in text


def test_the_window_logs_to_its_file_at_the_kiosk_units_level(tmp_path: Path) -> None:
    def kiosk(home: Path, **env: str) -> str:
        proc = subprocess.run([*command("touchpoint-gui"), "--kiosk", "--no-pcsc",
                               "--exit-after-first-frame"], cwd=ROOT,
                              env=environ(home, **env), capture_output=True, text=True,
                              timeout=90)
        assert proc.returncode == 0, proc.stderr
        return (home / "log" / "touchpoint.log").read_text()

    assert "INFO ui: touchpoint-gui started (kiosk)" in kiosk(tmp_path / "a")
    # the unit reads TOUCHPOINT_LOG_LEVEL from /etc/default/se-touchpoint (and says so)
    assert "INFO" not in kiosk(tmp_path / "b", TOUCHPOINT_LOG_LEVEL="warning")
    unit = (ROOT / "packaging/linux/kiosk/se-touchpoint-kiosk.service").read_text()
    assert "EnvironmentFile=-/etc/default/se-touchpoint" in unit
    assert "TOUCHPOINT_LOG_LEVEL=info|debug|traffic" in unit


def test_the_window_traces_the_api_when_asked(tmp_path: Path, backend: Any) -> None:
    seen = _gui(tmp_path, "api", "--backend", backend.url, "--trace-api",
                TOUCHPOINT_DEVICE_TOKEN=backend.token)
    err = seen["stderr"]
    assert f"INFO app.api: > GET {backend.url}/v3/apps?states=published" in err, err
    assert "INFO app.api: < 200 GET /v3/apps" in err
    assert "authorization: ***" in err and backend.token not in err
    quiet = _gui(tmp_path, "api", "--backend", backend.url,
                 TOUCHPOINT_DEVICE_TOKEN=backend.token)
    assert "app.api" not in quiet["stderr"]
