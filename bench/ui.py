"""UI benchmark: cold start, memory with 1,000 apps, longest UI-thread stall during an install.

    python -m bench.ui [--rounds 5] [--apps 1000] [--installs 3]

1. Cold start: a fresh process until the first painted frame of the kiosk's
   attract screen, versus a fresh process showing a bare PySide6 window until
   its first paint; both timed from the parent's spawn to the child's stamp,
   alternated, median of `--rounds` each (goal: ratio at most 2). Both run
   with compiled bytecode, as an installed package has it: a development
   environment with PYTHONDONTWRITEBYTECODE would otherwise make every child
   compile our modules from source, which no installed touch point does. The
   children cache it in a temporary PYTHONPYCACHEPREFIX (the tree is not
   written to), filled by one unmeasured run of each; `--source` measures
   without it.
2. Resident memory of a process that shows the apps screen with `--apps`
   applications (each with its own SVG logo) and scrolls through all of them
   (goal: under 250 MB).
3. The longest gap between 5 ms heartbeats on the Qt thread while the kiosk
   installs and uninstalls the demo application against the bundled backend
   and the virtual card, by clicking (goal: under 50 ms).

The last three lines are `start_over_bare_ratio: X`, `rss_mb_1000_apps: X`,
`max_stall_ms_install: X`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = r"""
import sys, time
from PySide6.QtWidgets import QApplication, QWidget
class W(QWidget):
    def paintEvent(self, e):
        print(f"first-frame {time.time():.6f}", flush=True)
        QApplication.instance().exit(0)
app = QApplication(sys.argv[:1])
w = W(); w.resize(1280, 800); w.show()
app.exec()
"""

OURS = r"""
import sys
from ui.main import main
sys.exit(main(["--kiosk", "--no-pcsc", "--exit-after-first-frame"]))
"""

MEMORY = r"""
import os, sys, time
sys.path.insert(0, sys.argv[1])
n = int(sys.argv[2])
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from app.catalog import Action, AppEntry
from ui.images import ImageCache
from ui.kiosk.apps import AppsScreen
from ui import theme
import base64
def logo(i):
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' width='96' height='96'>"
           f"<rect width='96' height='96' rx='18' fill='#{(i * 2654435761) % 0xFFFFFF:06x}'/>"
           f"<circle cx='48' cy='48' r='{10 + i % 30}' fill='#ffffff'/></svg>")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
states = ("NotInstalled", "Installed", "Suspended", "Unstable")
entries = [AppEntry(f"{i:08x}", f"Application number {i} with a longer name",
                    f"Organization {i % 37}", "Some **description** text.", logo(i),
                    states[i % 4], (Action("install", "install", "Install"),))
           for i in range(n)]
images = ImageCache()
screen = AppsScreen(images)
screen.setObjectName("kiosk")
screen.setStyleSheet(theme.KIOSK_QSS)
screen.resize(1280, 800)
screen.set_entries(entries)
screen.show()
app.processEvents()
bar = screen.grid.verticalScrollBar()
step = max(1, bar.pageStep())
pos = 0
while pos <= bar.maximum():
    bar.setValue(pos); screen.grid.viewport().repaint(); app.processEvents()
    pos += step
rss = 0
for line in open("/proc/self/status"):
    if line.startswith("VmRSS:"):
        rss = int(line.split()[1]) / 1024
print(f"rss-mb {rss:.1f} tiles {screen.grid.model().rowCount()}", flush=True)
"""


def _first_frame(code: str, env: dict[str, str]) -> float:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    for line in out.stdout.splitlines():
        if line.startswith("first-frame "):
            return float(line.split()[1]) - t0
    raise RuntimeError(f"no first frame: {out.stdout}\n{out.stderr}")


def cold_start(rounds: int, env: dict[str, str], pycache: Path | None) -> tuple[float, float]:
    """Median seconds to the first frame: (bare window, our kiosk); bytecode under `pycache`."""
    if pycache is not None:
        env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    bare: list[float] = []
    ours: list[float] = []
    _first_frame(BARE, env)  # warm the page cache (and fill the bytecode cache) once for both
    _first_frame(OURS, env)
    for _ in range(rounds):
        bare.append(_first_frame(BARE, env))
        ours.append(_first_frame(OURS, env))
    return statistics.median(bare), statistics.median(ours)


def memory(apps: int, env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-c", MEMORY, str(ROOT), str(apps)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    for line in out.stdout.splitlines():
        if line.startswith("rss-mb "):
            return float(line.split()[1])
    raise RuntimeError(f"memory child failed: {out.stderr}")


def stall(installs: int) -> float:
    """Runs in this process: the kiosk, the bundled backend, the virtual card, a heartbeat."""
    import asyncio

    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit

    app = QApplication.instance() or QApplication(["bench"])

    async def run() -> float:
        from app.backend import BundledBackend
        from app.pinstore import PinStore
        from ui.context import Settings, UiContext
        from ui.i18n import Language
        from ui.kiosk.view import KioskView
        from ui.readers import ReaderHub

        home = Path(os.environ["TOUCHPOINT_HOME"])
        backend = BundledBackend(db=home / "bench.sqlite", log_path=home / "bench.log")
        await backend.start()
        try:
            settings = Settings(kiosk=True, backend_url=backend.url, token=backend.token,
                                pcsc=False, virtual_present=False, data_dir=home)
            ctx = UiContext(settings, Language("en"), ReaderHub(pcsc=False,
                                                                virtual_present=False),
                            pins=PinStore(home, use_keyring=False))
            await ctx.start()
            view = KioskView(ctx)
            view.resize(1280, 800)
            view.show()

            async def until(cond: object, timeout: float = 30) -> None:
                end = time.monotonic() + timeout
                while not cond():  # type: ignore[operator]
                    if time.monotonic() > end:
                        raise TimeoutError
                    await asyncio.sleep(0.005)

            gaps: list[float] = []
            last = [time.perf_counter()]
            measuring = [False]

            def beat() -> None:
                now = time.perf_counter()
                if measuring[0]:
                    gaps.append((now - last[0]) * 1000 - 5)
                last[0] = now

            timer = QTimer()
            timer.setInterval(5)
            timer.timeout.connect(beat)
            timer.start()
            view.attract.demo_button.click()
            await until(lambda: view.screen_name == "apps")
            svc = view.service
            for _ in range(installs):
                for kind in ("install", "uninstall"):
                    view.open_entry(next(e for e in view.entries if e.app_id == "73656372"))
                    view.detail.action_buttons[kind].click()
                    await until(lambda: view.screen_name == "service"
                                and svc.stack.currentWidget() is svc.ask_page)
                    if kind == "install":
                        nickname = svc.form.input("nickname")
                        assert isinstance(nickname, QLineEdit)
                        nickname.setText("bench")
                    last[0] = time.perf_counter()
                    measuring[0] = True  # from the confirming tap to the result page
                    svc.confirm_button.click()
                    await until(lambda: svc.stack.currentWidget() is svc.result_page)
                    measuring[0] = False
                    assert view.last_result is not None and view.last_result.success, \
                        view.last_result
                    svc.result_button.click()
                    await until(lambda: view.screen_name == "apps")
            timer.stop()
            await ctx.close()
            return max(gaps) if gaps else 0.0
        finally:
            await asyncio.get_running_loop().run_in_executor(None, backend.stop)

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(run())


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--apps", type=int, default=1000)
    p.add_argument("--installs", type=int, default=3)
    p.add_argument("--source", action="store_true",
                   help="cold start without cached bytecode (as PYTHONDONTWRITEBYTECODE has it)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="tp-bench-ui-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   TOUCHPOINT_HOME=tmp, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
                   PYTHONPATH=str(ROOT))
        os.environ.update({k: env[k] for k in ("QT_QPA_PLATFORM", "TOUCHPOINT_HOME",
                                               "PYTHON_KEYRING_BACKEND")})
        bare, ours = cold_start(args.rounds, env, None if args.source else Path(tmp) / "pyc")
        print(f"cold start to first frame: bare PySide6 {bare * 1000:.0f} ms, "
              f"attract screen {ours * 1000:.0f} ms (median of {args.rounds}"
              f"{', from source' if args.source else ''})")
        rss = memory(args.apps, env)
        print(f"resident memory with {args.apps} apps shown: {rss:.1f} MB")
        worst = stall(args.installs)
        print(f"longest UI-thread stall over {args.installs} install+uninstall: {worst:.1f} ms")
    print(f"start_over_bare_ratio: {ours / bare:.2f}")
    print(f"rss_mb_1000_apps: {rss:.1f}")
    print(f"max_stall_ms_install: {worst:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
