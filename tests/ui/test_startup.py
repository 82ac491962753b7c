"""The kiosk's start: its first frame is painted before asyncio, qasync and the readers are
loaded and before PySide6 builds its `Qt` namespace (ui/kiosk/attract.py says why); afterwards
the readers are made inside the asyncio loop and every screen is built.

These are the conditions behind the cold-start goal of bench/ui.py (at most twice a bare
PySide6 window): cheap to check here, where the timing itself would be noisy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ui.context import Settings, UiContext
from ui.i18n import Language
from ui.kiosk.attract import AttractScreen
from ui.main import wait_first_frame

ROOT = Path(__file__).resolve().parents[2]

# Runs ui.main.main() with probes: what is loaded when the first frame is painted, whether
# an asyncio loop runs when the reader hub is made, and whether the kiosk was fully built.
PROBE = r"""
import json, sys, time
import ui.context, ui.kiosk.attract, ui.kiosk.view
from ui.main import main

seen = {}
paint = ui.kiosk.attract.CardAnimation.paintEvent
def probed_paint(self, event):
    if "painted_at" not in seen:
        seen["painted_at"] = time.time()
        seen["loaded"] = sorted(m for m in ("asyncio", "qasync", "app.readers", "ui.readers",
                                            "httpx", "keyring", "ui.kiosk.apps")
                                if m in sys.modules)
        from PySide6 import QtCore
        seen["qt_namespace"] = "Qt" in vars(QtCore)  # the binding makes its classes on first use
    paint(self, event)
ui.kiosk.attract.CardAnimation.paintEvent = probed_paint

hub = ui.context.UiContext.hub.fget
def probed_hub(self):
    if "hub_in_loop" not in seen:
        import asyncio
        try:
            seen["hub_in_loop"] = asyncio.get_running_loop() is not None
        except RuntimeError:
            seen["hub_in_loop"] = False
    return hub(self)
ui.context.UiContext.hub = property(probed_hub)

close = ui.kiosk.view.KioskView.close_async
async def probed_close(self):
    seen["built"] = self._built and self.stack.count() > 1
    await close(self)
ui.kiosk.view.KioskView.close_async = probed_close

status = main(sys.argv[1:])
print("probe " + json.dumps(seen), flush=True)
sys.exit(status)
"""


def _start(home: Path, qm_dir: Path, *args: str) -> tuple[float, dict[str, Any]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TOUCHPOINT_HOME=str(home),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
               TOUCHPOINT_QM_DIR=str(qm_dir))
    rsp = subprocess.run([sys.executable, "-c", PROBE, *args, "--no-pcsc",
                          "--exit-after-first-frame"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    assert rsp.returncode == 0, rsp.stderr
    lines = rsp.stdout.splitlines()
    stamp = next(float(line.split()[1]) for line in lines if line.startswith("first-frame "))
    probe = next(json.loads(line[6:]) for line in lines if line.startswith("probe "))
    return stamp, probe


def test_kiosk_paints_before_asyncio_and_readers_then_builds_in_the_loop(
        home: Path, qm_dir: Path) -> None:
    stamp, probe = _start(home, qm_dir, "--kiosk")
    assert probe["loaded"] == [], "loaded before the first frame: " + ", ".join(probe["loaded"])
    assert probe["qt_namespace"] is False, "Qt used before the first frame: about 40 ms more"
    assert probe["painted_at"] <= stamp  # the stamp is taken once the frame is painted
    assert probe["hub_in_loop"] is True  # reader events are delivered to that loop
    assert probe["built"] is True  # every screen exists once the visitor sees the first one


def test_desktop_window_starts_in_the_loop(home: Path, qm_dir: Path) -> None:
    _stamp, probe = _start(home, qm_dir, "--mode", "tester")
    assert probe["hub_in_loop"] is True  # its tester and staff panels use the readers at once
    assert probe["built"] is True


def test_context_makes_the_readers_on_first_use_only(qapp: Any, qm_dir: Path) -> None:
    made: list[object] = []

    def make_hub() -> Any:
        from ui.readers import ReaderHub

        hub = ReaderHub(pcsc=False, virtual_card=None, virtual_present=False)
        made.append(hub)
        return hub

    ctx = UiContext(Settings(pcsc=False), Language("en", qm_dir), make_hub)
    assert made == []
    assert ctx.hub is ctx.hub and made == [ctx.hub]


async def test_closing_a_context_whose_readers_were_never_needed_does_not_make_them(
        qapp: Any, qm_dir: Path) -> None:
    def make_hub() -> Any:
        raise AssertionError("the hub was made only to be closed")

    ctx = UiContext(Settings(pcsc=False), Language("en", qm_dir), make_hub)
    await ctx.close()


def test_wait_first_frame_returns_once_painted(qtbot: Any) -> None:
    attract = AttractScreen()
    qtbot.addWidget(attract)
    attract.resize(800, 600)
    attract.show()
    wait_first_frame(attract)
    assert attract.animation.frame_at is not None


def test_wait_first_frame_does_not_wait_for_a_hidden_screen(qtbot: Any) -> None:
    attract = AttractScreen()
    qtbot.addWidget(attract)
    wait_first_frame(attract)  # never shown: nothing to wait for (and no 5 s timeout)
    assert attract.animation.frame_at is None


# The first frame's stand-ins for Qt-namespace calls must draw what those calls draw.

def test_solid_brush_is_a_solid_fill_of_its_colour(qapp: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor

    from ui.kiosk.attract import solid

    brush = solid(QColor(241, 196, 15, 100))
    assert brush.style() == Qt.BrushStyle.SolidPattern
    assert brush.color() == QColor(241, 196, 15, 100)


def test_outline_covers_a_pen_width_along_the_path(qapp: Any) -> None:
    from PySide6.QtCore import QPointF, QRectF

    from ui.kiosk.attract import outline, rounded

    ring = outline(rounded(QRectF(0, 0, 100, 60), 8), 4)
    assert ring.contains(QPointF(50, 1.5)) and ring.contains(QPointF(50, -1.5))  # 2 each side
    assert not ring.contains(QPointF(50, 3)) and not ring.contains(QPointF(50, 30))


def test_kiosk_window_looks_as_styled_without_qt_flags(qtbot: Any, qm_dir: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor

    from ui import theme
    from ui.windows import KioskWindow

    ctx = UiContext(Settings(kiosk=True), Language("en", qm_dir), _no_readers)
    window = KioskWindow(ctx, lazy=True)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    wait_first_frame(window.kiosk.attract)
    image = window.grab().toImage()
    assert image.pixelColor(4, 790) == QColor(theme.BG)  # the style sheet paints the frame
    attract = window.kiosk.attract
    for label in (attract.title, attract.subtitle, attract.status):
        assert label.alignment() == Qt.AlignmentFlag.AlignCenter
    button = attract.demo_button
    middle = button.mapTo(attract, button.rect().center()).x()
    assert abs(middle - attract.width() / 2) <= 1  # centred, at its own width
    assert button.width() < attract.width() / 2


def _no_readers() -> Any:
    raise AssertionError("the lazily built kiosk needs no readers before ensure_built()")
