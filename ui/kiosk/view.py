"""The kiosk: attract -> the card's apps -> one app -> a service -> the result -> the apps.

This widget drives the screens from card events, idle timers and taps; the
work itself is app/ (identity, catalog, delivery) awaited on the asyncio
loop, so the Qt thread never waits on the card or the network. Card removed:
a clear message and back to the attract screen. Idle: "Still there?" 20 s
before the reset; the reset also puts the language back. The staff button
asks for the staff PIN before anything else. The service flow is flow.py,
the overlays (idle warning, staff PIN, staff menu) overlays.py.

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

from app.errors import TouchpointError
from ui import theme
from ui.kiosk.attract import AttractScreen
from ui.tasks import TaskGroup
from ui.widgets.langbar import LanguageBar

if TYPE_CHECKING:  # app.catalog, app.client, app.delivery pull httpx: imported on first use
    import asyncio

    from app.catalog import AppEntry
    from app.delivery import DeliveryResult
    from app.identity import CardIdentity
    from ui.context import UiContext
    from ui.kiosk.apps import AppsScreen
    from ui.kiosk.detail import DetailScreen
    from ui.kiosk.flow import ServiceFlow
    from ui.kiosk.idle import IdleWatcher
    from ui.kiosk.overlays import KioskOverlays
    from ui.kiosk.service import ServiceScreen
    from ui.widgets.overlay import Overlay
    from ui.widgets.pinpad import PinPad
    from ui.widgets.touchkeyboard import TouchKeyboard

log = logging.getLogger(__name__)


class KioskView(QFrame):  # a frame: the style sheet paints its background (no WA_ flag)
    staff_requested = Signal()  # the staff PIN was right and staff mode was chosen
    exit_requested = Signal()  # the staff PIN was right and "exit kiosk" was chosen
    link_activated = Signal(str)  # a description link, outside kiosk mode only
    # made by ensure_built(), after the first frame
    idle: IdleWatcher
    apps: AppsScreen
    detail: DetailScreen
    service: ServiceScreen
    loading: QLabel
    keyboard: TouchKeyboard  # the kiosk's own (settings.kiosk) only
    overlays: KioskOverlays  # and the overlays' parts below
    flow: ServiceFlow
    idle_overlay: Overlay
    idle_title: QLabel
    idle_text: QLabel
    idle_button: QPushButton
    pin_overlay: Overlay
    pinpad: PinPad
    menu_overlay: Overlay
    menu_title: QLabel
    menu_staff: QPushButton
    menu_exit: QPushButton
    menu_close: QPushButton

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *,
                 staff_button: bool = True, lazy: bool = False) -> None:
        """`lazy`: only the header and the attract screen now, the rest after the first frame
        (`ensure_built()`; every entry point calls it), so the kiosk is on screen sooner."""
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("kiosk")
        self.ident: CardIdentity | None = None
        self.entries: list[AppEntry] = []
        self.current: AppEntry | None = None
        self.delivering = False
        self.last_result: DeliveryResult | None = None
        self._load_task: asyncio.Task[None] | None = None
        self.tasks = TaskGroup("kiosk")
        self.generation = 0  # bumped on every reset: late answers of an old session are dropped
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
        self.attract.large_text.connect(ctx.access.set_large_text)
        self.attract.high_contrast.connect(ctx.access.set_high_contrast)
        ctx.access.changed.connect(self.restyle)
        ctx.language.changed.connect(self._language_changed)
        ctx.backend_failed.connect(lambda msg: self.attract.set_status(
            self.tr("The service is not available right now.")))
        ctx.on_close(self.close_async)
        self._built = False
        self.restyle()
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
        from ui.kiosk.flow import ServiceFlow
        from ui.kiosk.idle import IdleWatcher
        from ui.kiosk.overlays import KioskOverlays
        from ui.kiosk.service import ServiceScreen

        ctx = self.ctx
        s = ctx.settings
        self.idle = IdleWatcher(s.idle_s, s.warn_s, self)
        self.apps = AppsScreen(ctx.images, self)
        self.detail = DetailScreen(ctx.images, self)
        self.service = ServiceScreen(ctx.images, self)
        # a kiosk opens no browser: its descriptions show a link's address as text
        self.detail.links_as_text = self.service.links_as_text = s.kiosk
        self.loading = QLabel(self)
        self.loading.setObjectName("loading")
        self.loading.setProperty("role", "title")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        screens: tuple[QWidget, ...] = (self.apps, self.detail, self.service, self.loading)
        for screen in screens:
            self.stack.addWidget(screen)

        if s.kiosk:  # a touch screen: no keyboard but ours (the desktop has a real one)
            from ui.widgets.touchkeyboard import add_keyboard

            self.keyboard = add_keyboard(self.service.ask_page, self, ctx.language)
        self.overlays = KioskOverlays(self)
        self.flow = ServiceFlow(self)
        self.idle.reset.connect(self.reset)

        self.apps.opened.connect(self.open_entry)
        self.apps.finished.connect(self.finish)
        self.detail.back.connect(self.show_apps)
        self.detail.action.connect(self.flow.start)
        self.detail.link.connect(self._link)
        self.service.done.connect(self.flow.after_result)
        ctx.hub.card_changed.connect(self._card_changed)
        self._retranslate_rest()
        from ui.kiosk.cardload import card_already_there

        card_already_there(self)  # its event went to nobody: read it now

    # -- helpers --------------------------------------------------------------------------
    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        return self.tasks.spawn(coro)

    @property
    def screen_name(self) -> str:
        """The name of the visible screen (tests and screenshots use it)."""
        current = self.stack.currentWidget()
        return current.objectName() if current is not None else ""

    def go(self, widget: QWidget) -> None:
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
            self.end_session()
            self.idle.set_enabled(False)
        else:
            from ui.kiosk.cardload import card_already_there

            card_already_there(self)

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
        was_in_session = self.ident is not None or self.stack.currentWidget() is not self.attract
        self.end_session()
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
        self._load_task = self._spawn(self._load_card(self.generation))

    async def _load_card(self, generation: int) -> None:
        from ui.kiosk import cardload

        self.attract.set_status("")
        self.loading.setText(self.tr("Reading your card…"))
        self.go(self.loading)
        try:
            got = await cardload.read(self)
        finally:
            self._load_task = None
        if isinstance(got, str):
            self._fail_load(generation, got)
            return
        if generation != self.generation:
            return
        self.ident, self.entries = got
        self.apps.set_card(self.ident.printable_cin)
        self.apps.set_entries(self.entries)
        self.go(self.apps)

    def _fail_load(self, generation: int, message: str) -> None:
        if generation != self.generation:
            return
        self.ident = None
        self.go(self.attract)
        self.attract.set_status(message)

    async def reload(self) -> None:
        """The card's app states again (after a service, or in another language)."""
        if self.ident is None:
            return
        import asyncio

        from app.catalog import load_catalog

        generation = self.generation
        client = await self.ctx.client()
        try:
            entries = await asyncio.wait_for(load_catalog(client, self.ident.cin_hex,
                                                          self.ctx.lang),
                                             self.ctx.settings.wait_limit_s)
        except (TouchpointError, TimeoutError):
            log.exception("reloading the catalogue failed")
            return
        if generation != self.generation:
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
        self.go(self.apps if self.ident is not None else self.attract)

    def open_entry(self, entry: AppEntry) -> None:
        self.current = entry
        self.detail.show_entry(entry)
        self.go(self.detail)
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

        self.end_session()
        hub = self.ctx.hub
        if hub.reader().kind is ReaderKind.VIRTUAL and hub.present():
            self._spawn(hub.remove_virtual())

    def end_session(self) -> None:
        self.ensure_built()
        self.generation += 1
        self.ident = None
        self.entries = []
        self.current = None
        self.apps.set_entries([])
        self.apps.set_card("")
        self.flow.stop()
        self.overlays.dismiss_all()
        self.go(self.attract)

    def reset(self) -> None:
        """Idle: language, display settings and session back to the start."""
        self.ctx.language.reset()
        self.ctx.access.reset()
        self.finish()

    def restyle(self) -> None:
        """The look of the access settings (large text, high contrast) on every screen."""
        access = self.ctx.access
        self.setStyleSheet(theme.kiosk_qss(access.look()))
        self.attract.set_scale(access.look().scale)
        self.attract.animation.restyle()
        self.attract.sync_toggles(access.large_text, access.high_contrast)
        if self._built:
            self.apps.grid.restyle()
            self.detail.retranslate()  # its state badge is coloured by the look

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

    # -- staff ----------------------------------------------------------------------------
    def _staff(self) -> None:
        self.ensure_built()
        self.overlays.ask_pin()

    # -- language and keys ----------------------------------------------------------------
    def retranslate(self) -> None:
        self.brand.setText(self.tr("Card services"))
        self.staff_button.setText(self.tr("Staff"))
        self.staff_button.setAccessibleName(self.tr("Staff login"))
        self.staff_button.setAccessibleDescription(self.tr("Asks for the staff PIN"))
        if self._built:
            self._retranslate_rest()

    def _retranslate_rest(self) -> None:
        self.overlays.retranslate()
        self.flow.waiting.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from ui.kiosk.keys import handle_key

        if not handle_key(self, event):
            super().keyPressEvent(event)

    async def close_async(self) -> None:
        """Stops the session's tasks; safe after Qt already deleted the widget."""
        await self.tasks.cancel()
        if self._built and shiboken6.isValid(self.idle):
            self.idle.close()
