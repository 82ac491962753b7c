"""`touchpoint`: the Qt touch point, or with a sub-command the command line (app/cli.py).

    touchpoint-gui [--kiosk] [--windowed] [--mode card|staff|tester] [--lang sv]
                   [--backend URL] [--token-file F] [--db PATH] [--no-pcsc]
                   [--virtual-card PATH] [--idle SECONDS] [--staff-idle SECONDS]
                   [--card-grace SECONDS] [-v] [--log-level LEVEL] [--trace-api]
    touchpoint-gui --set-staff-pin
    (`touchpoint` with no sub-command is the same)

The log goes to stderr and to touchpoint.log (rotated) in app.logs.log_dir();
Qt's own messages are routed into it (ui/qtlog.py). The desktop window
remembers its geometry, tab, language, the tester's backend URL and the
last reader (ui/prefs.py); the kiosk does not.

The Qt thread runs the asyncio loop (qasync), so card and network work is
awaited, never waited for. The window comes first: the kiosk builds its
attract screen and lets Qt paint it before asyncio and qasync are even
imported (nothing before the first frame is asynchronous: no readers, no
backend, no input), then starts the loop, builds its other screens, follows
the readers and starts the bundled backend.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app import add_version_argument, logs
from app import i18n as app_i18n

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.context import UiContext
    from ui.kiosk.attract import AttractScreen
    from ui.readers import ReaderHub
    from ui.windows import DesktopWindow, KioskWindow

log = logging.getLogger("ui")
TOKEN_ENV = "TOUCHPOINT_DEVICE_TOKEN"  # noqa: S105 - app.backend.TOKEN_ENV, without importing httpx


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="touchpoint-gui", description="Secure Element touch point")
    add_version_argument(p, "touchpoint-gui")
    p.add_argument("--kiosk", action="store_true", help="full-screen kiosk; leaving it needs "
                                                        "the staff PIN")
    p.add_argument("--windowed", action="store_true", help="kiosk in a window (for trying it)")
    p.add_argument("--mode", choices=("card", "staff", "tester"), default=None,
                   help="tab to open in the desktop window (default: the last one)")
    p.add_argument("--lang", help="language (en, sv, es, de); default: the last one chosen "
                                  "in the desktop window, else the system's")
    p.add_argument("--backend", metavar="URL", default=os.environ.get("TOUCHPOINT_BACKEND"),
                   help="backend base URL (default: start the bundled backend)")
    p.add_argument("--token-file", metavar="FILE", help=f"device token file (else ${TOKEN_ENV})")
    p.add_argument("--db", metavar="PATH", help="database of the bundled backend")
    p.add_argument("--no-pcsc", action="store_true", help="do not watch PC/SC readers")
    p.add_argument("--virtual-card", metavar="PATH",
                   help="state file of the virtual card (default: in the data directory)")
    p.add_argument("--idle", type=float, metavar="SECONDS",
                   help="inactivity before the kiosk starts over (default 90)")
    p.add_argument("--staff-idle", type=float, metavar="SECONDS",
                   help="inactivity before staff and tester modes lock again (default 120)")
    p.add_argument("--card-grace", type=float, metavar="SECONDS",
                   help=f"how long 'Place your card again' waits for a card taken away "
                   f"mid-delivery (default ${CARD_GRACE_ENV}, else {DEFAULT_CARD_GRACE:g}; "
                   "0: no wait)")
    p.add_argument("--set-staff-pin", action="store_true",
                   help="set the staff PIN (asked on the terminal) and exit")
    p.add_argument("--exit-after-first-frame", action="store_true", help=argparse.SUPPRESS)
    logs.add_arguments(p, default=logging.INFO)
    p.add_argument("--trace-api", action="store_true",
                   help="log every HTTP request and answer (credentials masked)")
    return p


def _token(args: argparse.Namespace) -> str | None:
    if args.token_file:
        return Path(args.token_file).read_text().strip() or None
    return os.environ.get(TOKEN_ENV) or None


def set_staff_pin() -> int:
    import getpass

    from app.pinstore import PinError, PinStore

    store = PinStore()
    if store.warning:
        print(f"touchpoint: {store.warning}", file=sys.stderr)
    try:
        if sys.stdin.isatty():
            pin = getpass.getpass("New staff PIN (4 to 12 digits): ")
            again = getpass.getpass("The same PIN again: ")
        else:  # provisioning scripts: the PIN twice on stdin
            pin, again = sys.stdin.readline().strip(), sys.stdin.readline().strip()
        if pin != again:
            print("touchpoint: the two PINs differ", file=sys.stderr)
            return 1
        store.set_pin(pin)
    except (PinError, EOFError, KeyboardInterrupt) as exc:
        print(f"touchpoint: {exc or 'cancelled'}", file=sys.stderr)
        return 1
    print("Staff PIN set.")
    return 0


def wants_cli(argv: Sequence[str]) -> bool:
    """A sub-command, --self-test or a leading --help means the CLI (app/cli.py); other
    options (--kiosk ...) the GUI."""
    if "--self-test" in argv or (argv and argv[0] in ("-h", "--help", "-V", "--version")):
        return True
    words = iter(argv)
    for arg in words:
        if arg in _GUI_VALUE_OPTIONS:
            next(words, None)  # the option's value, e.g. --lang sv
        elif not arg.startswith("-"):
            return True  # a sub-command, or a word only the CLI can complain about
    return False


CARD_GRACE_ENV = "TOUCHPOINT_CARD_GRACE"  # --card-grace's default, in seconds
DEFAULT_CARD_GRACE = 20.0
# Options of the GUI that take a value: their values are not sub-commands.
_GUI_VALUE_OPTIONS = frozenset({"--mode", "--lang", "--backend", "--token-file", "--db",
                                "--virtual-card", "--idle", "--staff-idle", "--card-grace",
                                "--log-level"})


def card_grace(option: float | None) -> float:
    """The "Place your card again" wait: --card-grace, else $TOUCHPOINT_CARD_GRACE, else 20 s.
    Raises ValueError naming the one that is not a number of seconds (a wait has an end)."""
    if option is not None:
        name, text = "--card-grace", str(option)
    else:
        name, text = f"${CARD_GRACE_ENV}", os.environ.get(CARD_GRACE_ENV, "").strip()
        if not text:
            return DEFAULT_CARD_GRACE
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds >= 0):
        raise ValueError(f"{name}: {text!r} is not a number of seconds (0 or more)")
    return seconds


FIRST_FRAME_WAIT_MS = 5000  # a window that is never exposed must not hold up the start


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point `touchpoint`: the command line for a sub-command, else the GUI; returns
    the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if wants_cli(argv):
        from app.cli import main as cli_main  # httpx and the readers: not for the GUI's start

        return cli_main(argv)
    return gui(argv)


def gui(argv: Sequence[str] | None = None) -> int:
    """Entry point `touchpoint-gui`: the window only; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        card_grace(args.card_grace)  # make_context takes it: a wrong one is said here
    except ValueError as exc:
        parser.error(str(exc))
    try:
        level = logs.choose_level(args.verbose, args.log_level, default=logging.INFO)
    except logs.LevelError as exc:
        parser.error(str(exc))
    logs.setup(level, trace_api=args.trace_api)  # the log file comes after the first frame
    if args.set_staff_pin:
        return set_staff_pin()
    try:
        token = _token(args)
    except OSError as exc:
        print(f"touchpoint: cannot read the token file: {exc.strerror}", file=sys.stderr)
        return 1

    from PySide6.QtWidgets import QApplication

    from ui import qtlog

    qtlog.install()

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "touchpoint"])
    assert isinstance(app, QApplication)
    app.setApplicationName("se-touchpoint")
    app.setApplicationDisplayName("Touch point")
    app.setQuitOnLastWindowClosed(False)  # the coroutine ends the loop, not Qt
    from ui import theme

    theme.apply_app_font(app)
    ctx = make_context(args, token)
    kiosk: KioskWindow | None = None
    stamp: float | None = None
    if args.kiosk:
        kiosk = show_kiosk(ctx, fullscreen=not (args.windowed or args.exit_after_first_frame))
        stamp = wait_first_frame(kiosk.kiosk.attract)

    os.environ.setdefault("QT_API", "pyside6")  # qasync would try PyQt5/6 and PySide2 first
    import asyncio

    import qasync

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(run(app, ctx, args, kiosk, stamp))


def make_context(args: argparse.Namespace, token: str | None) -> UiContext:
    """Settings, language and the shared context; the readers are made on first use (inside
    the asyncio loop, which their events are delivered to)."""
    from ui.context import Settings, UiContext
    from ui.i18n import Language, supported

    kiosk = bool(args.kiosk)
    remembered = None
    if not kiosk and not args.lang:
        from ui.prefs import saved_language

        remembered = saved_language()
    settings = Settings(
        kiosk=kiosk, backend_url=args.backend, token=token, db=args.db,
        language=supported(args.lang or remembered or app_i18n.system_language()),
        trace_api=args.trace_api,
        idle_s=args.idle or (90.0 if kiosk else 300.0),
        staff_idle_s=args.staff_idle or 120.0,
        card_grace_s=card_grace(args.card_grace),
        pcsc=not args.no_pcsc,
        virtual_card=args.virtual_card,  # None: the hub uses the data directory's card
        virtual_present=not kiosk,
    )

    def make_hub() -> ReaderHub:
        from ui.readers import DEFAULT_CARD, ReaderHub

        return ReaderHub(pcsc=settings.pcsc, virtual_card=settings.virtual_card or DEFAULT_CARD,
                         virtual_present=settings.virtual_present)

    return UiContext(settings, Language(settings.language), make_hub)


def show_kiosk(ctx: UiContext, *, fullscreen: bool) -> KioskWindow:
    """The kiosk window with its header and attract screen (the rest comes after the frame)."""
    from ui.windows import KioskWindow

    window = KioskWindow(ctx, lazy=True)
    if fullscreen:
        from ui.fullscreen import fill_screen

        fill_screen(window)  # with no window manager too (a plain xinit start)
    else:
        window.resize(1280, 800)
        window.show()
    return window


def wait_first_frame(attract: AttractScreen) -> float:
    """Lets Qt paint until the attract screen's first frame is on screen; returns that time.

    A local Qt event loop, before the asyncio loop exists: input waits in the
    queue (nothing may start a coroutine yet), and a window that is never
    exposed gives up after FIRST_FRAME_WAIT_MS.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(loop.quit)
    attract.animation.first_frame.connect(loop.quit)
    if attract.animation.frame_at is None and attract.isVisible():
        give_up.start(FIRST_FRAME_WAIT_MS)
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        if attract.animation.frame_at is None:
            log.info("the kiosk window was not painted within %d ms", FIRST_FRAME_WAIT_MS)
        give_up.stop()
    attract.animation.first_frame.disconnect(loop.quit)
    return time.time()  # quit() ends the loop after the event that painted the whole window


async def run(app: QApplication, ctx: UiContext, args: argparse.Namespace,
              kiosk: KioskWindow | None, stamp: float | None) -> int:
    import asyncio

    from PySide6.QtCore import QTimer

    logs.add_log_file(logs.log_dir() / "touchpoint.log")
    log.info("touchpoint-gui started (%s)", "kiosk" if kiosk is not None else "desktop")
    window: KioskWindow | DesktopWindow
    desktop: DesktopWindow | None = None
    if kiosk is not None:
        window = kiosk
    else:
        from ui import prefs
        from ui.windows import DesktopWindow

        window = desktop = DesktopWindow(ctx)
        prefs.restore(window)
        window.show_tab(args.mode or prefs.saved_tab())
        window.show()
    attract = window.kiosk.attract
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    app.aboutToQuit.connect(closed.set)

    if stamp is None:
        first_frame = asyncio.get_running_loop().create_future()

        def poll_frame() -> None:
            if attract.animation.frame_at is not None or not attract.isVisible():
                if not first_frame.done():
                    first_frame.set_result(time.time())
                return
            QTimer.singleShot(1, poll_frame)

        poll_frame()
        stamp = await first_frame
    window.kiosk.ensure_built()  # the other screens and the readers, now the visitor sees one
    if args.exit_after_first_frame:
        print(f"first-frame {stamp:.6f}", flush=True)
        await ctx.close()
        return 0
    backend = asyncio.get_running_loop().create_task(ctx.start())
    try:
        await closed.wait()
    finally:
        backend.cancel()
        if desktop is not None:
            from ui import prefs

            prefs.save(desktop)
        window.hide()
        await ctx.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
