"""Renders every screen of the touch point in several languages to docs/screenshots/.

    python scripts/screenshots.py [--out docs/screenshots] [--lang en sv ...]

It runs the real widgets against the real bundled backend (started here on a
temporary database) and the virtual card, drives them the way a visitor,
staff member or tester would, and saves `widget.grab()` of each state as
`<screen>-<lang>.png`. Offscreen by default (QT_QPA_PLATFORM=offscreen).
For "taking longer than usual" the bundled backend is paused (SIGSTOP) until the
shot is taken, then resumed (SIGCONT) and the delivery ends normally.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

DEMO_APP = "73656372"  # the demo application "The Secret Application"
SIZE = (1280, 800)


async def until(cond: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not get there in time")
        await asyncio.sleep(0.02)


def build_qm(out: Path) -> None:
    import subprocess

    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    for ts in sorted((ROOT / "ui" / "translations").glob("touchpoint_*.ts")):
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm",  # noqa: S603 - our own tool
                        str(out / f"{ts.stem}.qm")], check=True)


@contextlib.contextmanager
def paused(backend: object) -> Iterator[None]:
    """The bundled backend stops answering (SIGSTOP) until the block ends (SIGCONT)."""
    proc = backend.proc  # type: ignore[attr-defined]
    proc.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        proc.send_signal(signal.SIGCONT)


class Shooter:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.saved: list[Path] = []

    async def shot(self, widget: object, name: str, lang: str) -> None:
        from PySide6.QtWidgets import QWidget

        assert isinstance(widget, QWidget)
        for _ in range(6):  # let layouts, queued shows and repaints settle (never processEvents()
            await asyncio.sleep(0.03)  # inside a coroutine: qasync would re-enter other tasks)
        path = self.out / f"{name}-{lang}.png"
        if not widget.grab().save(str(path)):
            raise RuntimeError(f"could not save {path}")
        self.saved.append(path)


async def close_keyboard(view: object) -> None:
    """Done on the touch keyboard (it fits the kiosk's width in every language: the window
    keeps its size; tests/ui/kiosk/test_keyboard_fit.py)."""
    view.keyboard.done_button.click()  # type: ignore[attr-defined]
    await asyncio.sleep(0.1)


async def tap_and_ask(view: object, kind: str, nickname: str | None = None) -> None:
    """Taps `kind` on the kiosk's detail screen and waits for the service's ask page."""
    svc = view.service  # type: ignore[attr-defined]
    view.detail.action_buttons[kind].click()  # type: ignore[attr-defined]
    await until(lambda: svc.stack.currentWidget() is svc.ask_page and
                view.screen_name == "service")  # type: ignore[attr-defined]
    if nickname is not None:
        svc.form.input("nickname").setText(nickname)
    await close_keyboard(view)


async def kiosk_screens(backend: object, lang: str, shooter: Shooter, home: Path) -> None:
    from app.delivery import DeliveryResult, Outcome, Phase, Progress
    from app.pinstore import PinStore
    from ui.context import Settings, UiContext
    from ui.i18n import Language
    from ui.readers import ReaderHub
    from ui.windows import KioskWindow

    settings = Settings(kiosk=True, backend_url=backend.url, token=backend.token,  # type: ignore[attr-defined]
                        language=lang, pcsc=False, virtual_present=False, data_dir=home)
    hub = ReaderHub(pcsc=False, virtual_present=False)
    pins = PinStore(home, use_keyring=False)
    if not pins.is_set():
        pins.set_pin("2468")
    ctx = UiContext(settings, Language(lang), hub, pins=pins)
    await ctx.start()
    window = KioskWindow(ctx)
    window.resize(*SIZE)
    window.show()
    view = window.kiosk
    try:
        await shooter.shot(window, "kiosk-attract", lang)
        # the display toggles of the attract screen: large text, high contrast (issue 18)
        for toggle, name in ((view.attract.large_button, "large-text"),
                             (view.attract.contrast_button, "high-contrast")):
            toggle.click()
            await shooter.shot(window, f"kiosk-attract-{name}", lang)
            toggle.click()
        view.attract.demo_button.click()
        await until(lambda: view.screen_name == "apps")
        await shooter.shot(window, "kiosk-apps", lang)
        for on, name in ((ctx.access.set_large_text, "large-text"),
                         (ctx.access.set_high_contrast, "high-contrast")):
            on(True)
            await shooter.shot(window, f"kiosk-apps-{name}", lang)
            view.open_entry(next(e for e in view.entries if e.app_id == DEMO_APP))
            await shooter.shot(window, f"kiosk-detail-{name}", lang)
            on(False)
            view.show_apps()
        view.open_entry(next(e for e in view.entries if e.app_id == DEMO_APP))
        await shooter.shot(window, "kiosk-detail", lang)
        svc = view.service
        await tap_and_ask(view, "install", "Anna")
        await close_keyboard(view)  # the fields without the keyboard, then with it
        await shooter.shot(window, "kiosk-service", lang)
        # the touch keyboard: it opens when a text field gets the focus
        window.activateWindow()
        svc.form.input("nickname").clearFocus()
        svc.form.input("nickname").setFocus()
        await until(view.keyboard.isVisible, timeout=5)
        await shooter.shot(window, "kiosk-service-keyboard", lang)
        await close_keyboard(view)
        # the progress page as it looks half-way through an install
        svc.start_progress()
        svc.show_progress(Progress(Phase.TRANSMITTING, 9, 19))
        await shooter.shot(window, "kiosk-progress", lang)
        svc.cancel()
        await until(lambda: view.screen_name == "detail")
        # a torn install: "Place your card again", given up (Cancel), the failure, then the
        # app that needs repair, with its advice and its Repair button
        hub.virtual.card.arm_tear(8)
        await tap_and_ask(view, "install", "Anna")
        svc.confirm_button.click()
        box = view.flow.replace_card()
        await until(lambda: box.isVisibleTo(window) and box.left < box.seconds)
        await shooter.shot(window, "kiosk-place-card-again", lang)
        box.cancel_button.click()
        await until(lambda: svc.stack.currentWidget() is svc.result_page)
        await shooter.shot(window, "kiosk-result-card-removed", lang)
        await hub.insert_virtual()
        await until(lambda: view.screen_name == "apps")
        view.open_entry(next(e for e in view.entries if e.app_id == DEMO_APP))
        assert view.detail.action_buttons["repair"].isVisibleTo(window)
        await shooter.shot(window, "kiosk-detail-unstable", lang)
        # Repair: the uninstall's confirmation, then the install's fields; the backend stops
        # answering during the install ("taking longer than usual"), then answers again
        await tap_and_ask(view, "repair")
        svc.confirm_button.click()
        await until(lambda: svc.stack.currentWidget() is svc.ask_page and
                    "nickname" in {f.id for f in svc.form.inputs})
        svc.form.input("nickname").setText("Anna")
        await close_keyboard(view)
        watch = view.flow.waiting.watch
        watch.slow_s = 1.0  # instead of the 5 s of the settings
        with paused(backend):
            svc.confirm_button.click()
            await until(view.flow.waiting.slow_label.isVisible)
            await shooter.shot(window, "kiosk-taking-longer", lang)
        watch.slow_s = settings.slow_s
        await until(lambda: svc.stack.currentWidget() is svc.result_page, timeout=60)
        assert view.last_result is not None and view.last_result.success
        await shooter.shot(window, "kiosk-repair-result", lang)
        svc.result_button.click()
        await until(lambda: view.screen_name == "apps")
        view.open_entry(next(e for e in view.entries if e.app_id == DEMO_APP))
        await tap_and_ask(view, "uninstall")
        svc.confirm_button.click()
        await until(lambda: svc.stack.currentWidget() is svc.result_page)
        await shooter.shot(window, "kiosk-result-success", lang)
        svc.show_result(DeliveryResult(Outcome.NOT_ALLOWED))
        await shooter.shot(window, "kiosk-result-refused", lang)
        svc.result_button.click()
        await until(lambda: view.screen_name == "apps")
        # idle warning, staff PIN, staff menu
        view.idle.idle_s, view.idle.warn_s = 25.0, 20.0
        view.idle.set_enabled(True)
        await until(view.idle_overlay.isVisible, timeout=10)
        await shooter.shot(window, "kiosk-idle-warning", lang)
        view.idle_button.click()
        view.staff_button.click()
        for d in "24":
            view.pinpad.press(d)
        await shooter.shot(window, "kiosk-staff-pin", lang)
        for d in "68":
            view.pinpad.press(d)
        view.pinpad.ok_button.click()
        await until(view.menu_overlay.isVisible)
        await shooter.shot(window, "kiosk-staff-menu", lang)
        view.menu_close.click()
    finally:
        window.unlock_and_close()
        await ctx.close()


async def desktop_screens(backend: object, lang: str, shooter: Shooter, home: Path) -> None:
    from app.pinstore import PinStore
    from ui.context import Settings, UiContext
    from ui.i18n import Language
    from ui.readers import ReaderHub
    from ui.windows import DesktopWindow

    settings = Settings(kiosk=False, backend_url=backend.url, token=backend.token,  # type: ignore[attr-defined]
                        language=lang, pcsc=False, virtual_present=True, data_dir=home)
    hub = ReaderHub(pcsc=False, virtual_present=True)
    ctx = UiContext(settings, Language(lang), hub, pins=PinStore(home, use_keyring=False))
    await ctx.start()
    window = DesktopWindow(ctx)
    window.resize(1400, 860)
    window.show()
    try:
        window.show_tab("staff")
        await shooter.shot(window, "desktop-staff-pin", lang)
        window._staff_unlocked()
        staff = window.staff
        await until(lambda: staff.app_combo.count() >= 2)
        staff.select(DEMO_APP, "install")
        await until(lambda: "nickname" in {f.id for f in staff.fields.fields})
        staff.fields.input("nickname").setText("Staff key")
        staff.start()
        await until(lambda: staff.table.rowCount() == 1)
        for n in (2, 3):
            await hub.new_virtual_card()
            await until(lambda n=n: staff.table.rowCount() == n)
        await shooter.shot(window, "desktop-staff-run", lang)
        # a card pulled mid-install: "Place your card again", then staff gives up (Cancel)
        (await hub.new_virtual_card()).card.arm_tear(8)  # armed once on the reader
        await until(lambda: staff.replace_card.isVisibleTo(window)
                    and staff.replace_card.left < staff.replace_card.seconds)
        await shooter.shot(window, "desktop-staff-place-card-again", lang)
        staff.replace_card.cancel_button.click()
        await until(lambda: staff.table.rowCount() == 4)
        staff.stop()
        window.show_tab("tester")
        tester = window.tester
        await hub.new_virtual_card()
        await until(lambda: tester.app_combo.findData(DEMO_APP) >= 0)
        tester.select(DEMO_APP, "install")
        await until(lambda: tester.service_combo.currentData() == "install")
        tester.run()
        await until(tester.fields_box.isVisible)
        tester.fields.input("nickname").setText("Tester key")
        await shooter.shot(window, "desktop-tester-fields", lang)
        tester.fields_send.click()
        await until(lambda: tester.result is not None)
        await shooter.shot(window, "desktop-tester-trace", lang)
        for name, pick in (("desktop-tester-detail", lambda e: e.name == "GET DATA [CPLC]"),
                           ("desktop-tester-detail-wrapped",
                            lambda e: e.name.startswith("INSTALL") and "(secure)" in e.name)):
            tester.table.selectRow(next(i for i, e in enumerate(tester.model.entries)
                                        if e.direction == "<<" and pick(e)))
            await shooter.shot(window, name, lang)
        tester.tabs.setCurrentIndex(1)
        paths = [ex.path for ex in tester.http_model.exchanges]
        tester.http_table.selectRow(paths.index("/v3/service/deliver"))
        await shooter.shot(window, "desktop-tester-http", lang)
        # what is on the card, read again by itself after the install (issue 19, point 1)
        tester.tabs.setCurrentWidget(tester.contents)
        await until(lambda: tester.contents.contents is not None
                    and tester.contents.read_button.isEnabled())
        await shooter.shot(window, "desktop-tester-contents", lang)
        # a second run on another card, then the two compared side by side
        await hub.new_virtual_card()
        window.resize(1366, 768)  # a laptop screen: the settings column scrolls
        tester.run()
        await until(tester.fields_box.isVisible)
        tester.fields.input("nickname").setText("Second key")
        await shooter.shot(window, "desktop-tester-laptop", lang)
        tester.fields_send.click()
        await until(lambda: len(tester.runs.runs) == 2 and not tester.runs.runs[1].running)
        page = tester.runs_page
        tester.tabs.setCurrentWidget(page)
        page.table.selectAll()
        page.compare_selected()
        await shooter.shot(window, "desktop-tester-runs", lang)
        window.resize(1400, 860)
        window.show_tab("card")
        await shooter.shot(window, "desktop-card", lang)
        # a disagreement: the backend forgets the package it loaded (on the card still)
        from app.cardcontents import mark_unstable

        window.show_tab("tester")
        view = tester.contents
        assert view.contents is not None
        package = next(n for n in view.contents.nodes() if n.kind == "loadfile" and n.owner)
        await mark_unstable(await ctx.client(), hub.virtual.card.cin.hex().upper(), DEMO_APP,
                            [package.aid])
        view.refresh()
        await until(lambda: view.problems.count() == 1 and view.read_button.isEnabled())
        await shooter.shot(window, "desktop-tester-contents-disagreement", lang)
    finally:
        window.close()
        await ctx.close()


async def main_async(out: Path, langs: list[str]) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from app.backend import BundledBackend
    from ui import theme

    theme.apply_app_font(QApplication.instance())  # type: ignore[arg-type]
    shooter = Shooter(out)
    with tempfile.TemporaryDirectory(prefix="tp-shots-") as tmp:
        home = Path(tmp)
        os.environ["TOUCHPOINT_HOME"] = str(home)
        qm = home / "qm"
        qm.mkdir()
        build_qm(qm)
        os.environ["TOUCHPOINT_QM_DIR"] = str(qm)
        backend = BundledBackend(db=home / "backend.sqlite", log_path=home / "backend.log")
        await backend.start()
        try:
            for lang in langs:
                await kiosk_screens(backend, lang, shooter, home)
                await desktop_screens(backend, lang, shooter, home)
        finally:
            await asyncio.get_running_loop().run_in_executor(None, backend.stop)
    return shooter.saved


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    p.add_argument("--lang", nargs="+", default=["en", "sv", "es", "de"])
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["screenshots"])
    app.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        saved = runner.run(main_async(args.out, args.lang))
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    print(f"{len(saved)} screenshots")
    return 0


if __name__ == "__main__":
    sys.exit(main())
