"""The kiosk: attract -> the card's apps -> one app -> a service -> the result -> the apps.

This widget drives the screens from card events, idle timers and taps; the
work itself is app/ (identity, catalog, delivery) awaited on the asyncio
loop, so the Qt thread never waits on the card or the network. Card removed:
a clear message and back to the attract screen. Idle: "Still there?" 20 s
before the reset; the reset also puts the language back. The staff button
asks for the staff PIN before anything else.

Built lazily (the kiosk window), only the header and the attract screen exist
until `ensure_built()`: they are what the first frame shows, and they need
neither asyncio nor the readers (app.readers), so the kiosk can draw them
before the asyncio loop starts; `ensure_built()` runs inside the loop. Until
that frame is painted nothing may touch PySide6's `Qt` namespace either
(attract.py says why), hence its imports inside functions here.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import BackendError, NotAllowedInStateError, ReaderError, TouchpointError
from ui import theme
from ui.kiosk.attract import AttractScreen
from ui.tasks import TaskGroup
from ui.widgets.langbar import LanguageBar

if TYPE_CHECKING:  # app.catalog, app.client, app.delivery pull httpx: imported on first use
    import asyncio

    from app.catalog import Action, AppEntry
    from app.client import BackendClient, Field
    from app.delivery import DeliveryResult
    from app.identity import CardIdentity
    from ui.context import UiContext

log = logging.getLogger(__name__)


class KioskView(QFrame):  # a frame: the style sheet paints its background (no WA_ flag)
    staff_requested = Signal()  # the staff PIN was right and staff mode was chosen
    exit_requested = Signal()  # the staff PIN was right and "exit kiosk" was chosen
    link_activated = Signal(str)  # a description link, outside kiosk mode only

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *,
                 staff_button: bool = True, lazy: bool = False) -> None:
        """`lazy`: only the header and the attract screen now, the rest after the first frame
        (`ensure_built()`; every entry point calls it), so the kiosk is on screen sooner."""
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("kiosk")
        self.setStyleSheet(theme.KIOSK_QSS)
        self.ident: CardIdentity | None = None
        self.entries: list[AppEntry] = []
        self.current: AppEntry | None = None
        self.delivering = False
        self.last_result: DeliveryResult | None = None
        self._load_task: asyncio.Task[None] | None = None
        self.tasks = TaskGroup("kiosk")
        self._generation = 0  # bumped on every reset: late answers of an old session are dropped
        self.active = True  # False while another mode (staff, tester) owns the reader

        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        header = QHBoxLayout()
        header.setContentsMargins(24, 12, 24, 8)
        self.brand = QLabel(self)
        self.brand.setObjectName("brand")
        self.brand.setProperty("role", "subtitle")
        self.languages = LanguageBar(ctx.language, self)
        self.languages.setObjectName("language-bar")
        self.staff_button = QPushButton(self)
        self.staff_button.setObjectName("staff")
        self.staff_button.setProperty("kind", "quiet")
        self.staff_button.setVisible(staff_button)
        self.staff_button.clicked.connect(self._staff)
        header.addWidget(self.brand)
        header.addStretch(1)
        header.addWidget(self.languages)
        header.addWidget(self.staff_button)
        col.addLayout(header)

        self.stack = QStackedWidget(self)
        self.attract = AttractScreen(self, offer_demo_card=True)
        self.stack.addWidget(self.attract)
        col.addWidget(self.stack, 1)
        self.attract.demo_card.connect(self._demo_card)
        self.attract.tapped.connect(self._attract_tapped)
        ctx.language.changed.connect(self._language_changed)
        ctx.backend_failed.connect(lambda msg: self.attract.set_status(
            self.tr("The service is not available right now.")))
        ctx.on_close(self.close_async)
        self._built = False
        if not lazy:
            self.ensure_built()
        self.retranslate()
        self.stack.setCurrentWidget(self.attract)

    def ensure_built(self) -> None:
        """Makes the screens and overlays beyond the attract screen (once), and starts
        following the card: from inside the asyncio loop, where reader events arrive."""
        if self._built:
            return
        self._built = True
        from PySide6.QtCore import Qt

        from ui.kiosk.apps import AppsScreen
        from ui.kiosk.detail import DetailScreen
        from ui.kiosk.idle import IdleWatcher
        from ui.kiosk.service import ServiceScreen
        from ui.widgets.overlay import Overlay
        from ui.widgets.pinpad import PinPad

        ctx = self.ctx
        s = ctx.settings
        self.idle = IdleWatcher(s.idle_s, s.warn_s, self)
        self.apps = AppsScreen(ctx.images, self)
        self.detail = DetailScreen(ctx.images, self)
        self.service = ServiceScreen(ctx.images, self)
        self.loading = QLabel(self)
        self.loading.setObjectName("loading")
        self.loading.setProperty("role", "title")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        screens: tuple[QWidget, ...] = (self.apps, self.detail, self.service, self.loading)
        for screen in screens:
            self.stack.addWidget(screen)

        # overlays: idle warning, staff PIN, staff menu
        self.idle_overlay = Overlay(self, "idle")
        self.idle_title = QLabel()
        self.idle_title.setProperty("role", "title")
        self.idle_text = QLabel()
        self.idle_text.setObjectName("idle-countdown")
        self.idle_text.setWordWrap(True)
        self.idle_button = QPushButton()
        self.idle_button.setObjectName("still-here")
        self.idle_button.setProperty("kind", "primary")
        self.idle_button.clicked.connect(self._still_here)
        for part in (self.idle_title, self.idle_text, self.idle_button):
            self.idle_overlay.body.addWidget(part)
        self.pin_overlay = Overlay(self, "pin")
        self.pinpad = PinPad()
        self.pinpad.setObjectName("pinpad")
        self.pin_overlay.body.addWidget(self.pinpad)
        self.pinpad.submitted.connect(self._pin_entered)
        self.pinpad.cancelled.connect(self.pin_overlay.dismiss)
        self.menu_overlay = Overlay(self, "staff-menu")
        self.menu_title = QLabel()
        self.menu_title.setProperty("role", "title")
        self.menu_staff = QPushButton()
        self.menu_staff.setObjectName("menu-staff")
        self.menu_exit = QPushButton()
        self.menu_exit.setObjectName("menu-exit")
        self.menu_exit.setProperty("kind", "danger")
        self.menu_close = QPushButton()
        self.menu_close.setObjectName("menu-close")
        self.menu_staff.clicked.connect(lambda: self.menu_overlay.resolve("staff"))
        self.menu_exit.clicked.connect(lambda: self.menu_overlay.resolve("exit"))
        self.menu_close.clicked.connect(self.menu_overlay.dismiss)
        for item in (self.menu_title, self.menu_staff, self.menu_exit, self.menu_close):
            self.menu_overlay.body.addWidget(item)

        self.idle.warn.connect(self._idle_warn)
        self.idle.tick.connect(self._idle_tick)
        self.idle.resumed.connect(self.idle_overlay.dismiss)
        self.idle.reset.connect(self.reset)

        self.apps.opened.connect(self.open_entry)
        self.apps.finished.connect(self.finish)
        self.detail.back.connect(self.show_apps)
        self.detail.action.connect(self.start_service)
        self.detail.link.connect(self._link)
        self.service.done.connect(self._after_result)
        ctx.hub.card_changed.connect(self._card_changed)
        self._retranslate_rest()

    # -- helpers --------------------------------------------------------------------------
    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        return self.tasks.spawn(coro)

    @property
    def screen_name(self) -> str:
        """The name of the visible screen (tests and screenshots use it)."""
        current = self.stack.currentWidget()
        return current.objectName() if current is not None else ""

    def _go(self, widget: QWidget) -> None:
        self.ensure_built()
        self.stack.setCurrentWidget(widget)
        session_open = widget is not self.attract and not self.delivering and self.active
        self.idle.set_enabled(session_open)
        if widget is self.attract:
            self.idle_overlay.dismiss()

    # -- card events ----------------------------------------------------------------------
    def set_active(self, active: bool) -> None:
        """Another mode takes the reader: the kiosk forgets the card and stops listening."""
        self.ensure_built()
        if active == self.active:
            return
        self.active = active
        if not active:
            self._end_session()
            self.idle.set_enabled(False)

    def _card_changed(self, name: str, present: bool) -> None:
        self.ensure_built()
        if not self.active or name != self.ctx.hub.active:
            return
        if present:
            if self.ident is None or self.stack.currentWidget() is self.attract:
                self.load_card()
            return
        if self.delivering:
            return  # the delivery reports it (the runner sees the card go)
        self._card_gone()

    def _card_gone(self) -> None:
        self.service.cancel()
        was_in_session = self.ident is not None or self.stack.currentWidget() is not self.attract
        self._end_session()
        if was_in_session:
            self.attract.set_status(self.tr("Your card was removed. Hold it to the reader to "
                                            "start again."))

    def _attract_tapped(self) -> None:
        if self.active and self.ctx.hub.present() and self._load_task is None:
            self.load_card()

    def _demo_card(self) -> None:
        from app.readers.base import ReaderKind

        self.ensure_built()
        hub = self.ctx.hub
        hub.set_active(next(s.name for s in hub.slots() if s.kind is ReaderKind.VIRTUAL))
        if hub.present():
            self.load_card()
        else:
            self._spawn(hub.insert_virtual())

    def load_card(self) -> None:
        self.ensure_built()
        if self._load_task is not None and not self._load_task.done():
            return
        self._load_task = self._spawn(self._load_card(self._generation))

    async def _load_card(self, generation: int) -> None:
        from app.cards import enrich, identify
        from app.catalog import load_catalog
        from app.identity import IdentityError

        self.attract.set_status("")
        self.loading.setText(self.tr("Reading your card…"))
        self._go(self.loading)
        try:
            client = await self.ctx.client()
            reader = self.ctx.hub.reader()
            ident = await identify(reader)
            await enrich(client, ident)
            entries = await load_catalog(client, ident.cin_hex, self.ctx.lang)
        except IdentityError:
            self._fail_load(generation, self.tr("This card cannot be used here."))
            return
        except ReaderError:
            self._fail_load(generation, self.tr("The card could not be read. Hold it still "
                                                "on the reader and try again."))
            return
        except (BackendError, TouchpointError):
            log.exception("loading the card's applications failed")
            self._fail_load(generation, self.tr("The service is not available right now."))
            return
        finally:
            self._load_task = None
        if generation != self._generation:
            return
        self.ident = ident
        self.entries = entries
        self.apps.set_card(ident.printable_cin)
        self.apps.set_entries(entries)
        self._go(self.apps)

    def _fail_load(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.ident = None
        self._go(self.attract)
        self.attract.set_status(message)

    async def reload(self) -> None:
        """The card's app states again (after a service, or in another language)."""
        if self.ident is None:
            return
        from app.catalog import load_catalog

        generation = self._generation
        client = await self.ctx.client()
        try:
            entries = await load_catalog(client, self.ident.cin_hex, self.ctx.lang)
        except TouchpointError:
            log.exception("reloading the catalogue failed")
            return
        if generation != self._generation:
            return
        self.entries = entries
        self.apps.set_entries(entries)
        if self.current is not None:
            fresh = next((e for e in entries if e.app_id == self.current.app_id), None)
            if fresh is not None:
                self.current = fresh
                self.detail.show_entry(fresh, self.detail.feature)

    # -- navigation -----------------------------------------------------------------------
    def show_apps(self) -> None:
        self.current = None
        self._go(self.apps if self.ident is not None else self.attract)

    def open_entry(self, entry: AppEntry) -> None:
        self.current = entry
        self.detail.show_entry(entry)
        self._go(self.detail)
        self._spawn(self._load_feature(entry.app_id))

    async def _load_feature(self, app_id: str) -> None:
        client = self.ctx.client_now()
        if client is None:
            return
        with contextlib.suppress(TouchpointError):
            desc = await client.get_app(app_id)
            ref = desc.get("featureGraphic")
            if self.current is not None and self.current.app_id == app_id and \
                    isinstance(ref, str) and ref:
                self.detail.set_feature(ref)

    def finish(self) -> None:
        """The visitor is done: forget the card (and take the demo card away)."""
        from app.readers.base import ReaderKind

        self._end_session()
        hub = self.ctx.hub
        if hub.reader().kind is ReaderKind.VIRTUAL and hub.present():
            self._spawn(hub.remove_virtual())

    def _end_session(self) -> None:
        self.ensure_built()
        self._generation += 1
        self.ident = None
        self.entries = []
        self.current = None
        self.apps.set_entries([])
        self.apps.set_card("")
        self.service.cancel()
        for overlay in (self.idle_overlay, self.pin_overlay, self.menu_overlay):
            overlay.dismiss()
        self._go(self.attract)

    def reset(self) -> None:
        """Idle: language and session back to the start."""
        self.ctx.language.reset()
        self.finish()

    # -- the service flow ---------------------------------------------------------------
    def start_service(self, entry: AppEntry, action: Action) -> None:
        if self.delivering or self.ident is None:
            return
        self._spawn(self._run_service(entry, action, self._generation))

    async def _run_service(self, entry: AppEntry, action: Action, generation: int) -> None:
        from app.delivery import DeliveryResult, Outcome

        ident = self.ident
        assert ident is not None
        client = await self.ctx.client()
        self.loading.setText(self.tr("One moment…"))
        self._go(self.loading)
        try:
            info = await client.get_service(entry.app_id, action.service_id, ident.cin_hex)
        except NotAllowedInStateError:
            self._show_result(DeliveryResult(Outcome.NOT_ALLOWED))
            return
        except TouchpointError as exc:
            self._show_result(DeliveryResult(Outcome.BACKEND_ERROR, error=str(exc)))
            return
        if generation != self._generation:
            return
        raw = info.get("description")
        description: dict[str, Any] = raw if isinstance(raw, dict) else {}
        values: dict[str, Any] = {}
        self._go(self.service)
        if self.service.needs_answer(description):
            answer = await self.service.ask(description, self.ctx.lang)
            if answer is None or generation != self._generation:
                if generation == self._generation:
                    self._go(self.detail)
                return
            values = answer
        else:
            self.service.description = description
            self.service.language = self.ctx.lang
        await self._deliver(client, ident, entry, action, values, generation)

    async def _deliver(self, client: BackendClient, ident: CardIdentity, entry: AppEntry,
                       action: Action, values: dict[str, Any], generation: int) -> None:
        from app.delivery import DeliveryRunner, Outcome

        self.delivering = True
        self.idle.set_enabled(False)
        self.service.start_progress()
        self.stack.setCurrentWidget(self.service)
        runner = DeliveryRunner(client, self.ctx.hub.reader(), ident, fields=values,
                                on_progress=self.service.show_progress,
                                on_fields=self._more_fields)
        try:
            result = await runner.run(entry.app_id, action.service_id, describe=False)
        finally:
            self.delivering = False
        self.last_result = result
        if generation != self._generation:
            return
        if result.outcome is Outcome.CARD_REMOVED:
            self.ident = None  # putting the card back starts over and shows its state
        self._show_result(result)

    async def _more_fields(self, fields: tuple[Field, ...]) -> dict[str, Any] | None:
        """A user-interaction operation in the middle of a delivery."""
        self.idle.set_enabled(True)
        try:
            values = await self.service.ask(self.service.description, self.ctx.lang, fields)
        finally:
            self.idle.set_enabled(False)
        self.service.start_progress()
        return values

    def _show_result(self, result: DeliveryResult) -> None:
        self.service.language = self.ctx.lang
        self.service.show_result(result)
        self._go(self.service)

    def _after_result(self) -> None:
        if not self.ctx.hub.present() or self.ident is None:
            self._end_session()
            self.attract.set_status(self.tr("Hold your card to the reader to see its "
                                            "applications."))
            return
        self.current = None
        self.loading.setText(self.tr("One moment…"))
        self._go(self.loading)
        self._spawn(self._reload_then_apps())

    async def _reload_then_apps(self) -> None:
        await self.reload()
        if self.ident is not None:
            self._go(self.apps)

    # -- language -------------------------------------------------------------------------
    def _language_changed(self, code: str) -> None:
        if not self._built:
            return
        self.service.set_language(code)
        if self.ident is not None and not self.delivering:
            self._spawn(self.reload())

    def _link(self, url: str) -> None:
        if not self.ctx.settings.kiosk:
            self.link_activated.emit(url)

    # -- idle -----------------------------------------------------------------------------
    def _idle_warn(self, left: int) -> None:
        self._idle_tick(left)
        self.idle_overlay.open()
        self.idle_button.setFocus()

    def _idle_tick(self, left: int) -> None:
        self.idle_text.setText(self.tr("The screen will start over in %n second(s).", "", left))

    def _still_here(self) -> None:
        self.idle_overlay.dismiss()
        self.idle.poke()

    # -- staff ----------------------------------------------------------------------------
    def _staff(self) -> None:
        self.ensure_built()
        pins = self.ctx.pins
        self.pinpad.clear()
        if not pins.is_set():
            self.pinpad.set_message(self.tr("No staff PIN is set. Set one with: "
                                            "touchpoint --set-staff-pin"))
        else:
            self.pinpad.set_message("")
        self.pin_overlay.open()
        self.pinpad.setFocus()

    def _pin_entered(self, pin: str) -> None:
        self._spawn(self._check_pin(pin))

    async def _check_pin(self, pin: str) -> None:
        import asyncio

        pins = self.ctx.pins
        ok = await asyncio.get_running_loop().run_in_executor(None, pins.verify, pin)
        if not ok:
            wait = pins.locked_for()
            self.pinpad.set_message(
                self.tr("Too many wrong PINs. Wait %n second(s).", "", round(wait)) if wait
                else self.tr("Wrong PIN."))
            return
        self.pin_overlay.dismiss()
        choice = await self.menu_overlay.ask()
        if choice == "staff":
            self.staff_requested.emit()
        elif choice == "exit":
            self.exit_requested.emit()

    # -- language and keys ----------------------------------------------------------------
    def retranslate(self) -> None:
        self.brand.setText(self.tr("Card services"))
        self.staff_button.setText(self.tr("Staff"))
        self.staff_button.setAccessibleName(self.tr("Staff login"))
        if self._built:
            self._retranslate_rest()

    def _retranslate_rest(self) -> None:
        self.idle_title.setText(self.tr("Still there?"))
        self.idle_button.setText(self.tr("I'm still here"))
        self.menu_title.setText(self.tr("Staff"))
        self.menu_staff.setText(self.tr("Personalise cards"))
        self.menu_exit.setText(self.tr("Exit kiosk mode"))
        self.menu_close.setText(self.tr("Back to the kiosk"))
        if self.idle.warning:
            self._idle_tick(self.idle.left())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt

        if self.ctx.settings.kiosk and event.key() == Qt.Key.Key_Escape:
            event.accept()  # no way out of kiosk mode without the staff PIN
            return
        super().keyPressEvent(event)

    async def close_async(self) -> None:
        """Stops the session's tasks; safe after Qt already deleted the widget."""
        await self.tasks.cancel()
        if self._built and shiboken6.isValid(self.idle):
            self.idle.close()
