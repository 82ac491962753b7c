"""The kiosk's service flow: one tap on Install (or Uninstall, ...) to the result page.

The delivery runner does describe -> fields -> confirm -> deliver; this
shows each step on the service page: the description with its fields and
the confirm button when the runner asks, the progress once the delivery has
started, then the result. Cancel on the service page (or the card taken away
before the start) goes back to the application, with nothing delivered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QBoxLayout

from app.catalog import Action, AppEntry
from app.delivery import DeliveryResult, DeliveryRunner, Outcome, Phase, Progress
from app.description import Field, ServiceDescription, UserAction
from ui.kiosk.waiting import ProgressWait
from ui.widgets.replace_card import ReplaceCard

if TYPE_CHECKING:
    from ui.kiosk.view import KioskView

translate = QCoreApplication.translate  # in the view's context, where its .ts entries are


def repair_steps(entry: AppEntry, action: Action) -> list[str]:
    """The services to run for `action`: a repair is the app's uninstall (the backend
    purges what it left), then the install chosen (app/repair.py)."""
    if action.kind != "repair":
        return [action.service_id]
    uninstall = [a.service_id for a in entry.actions if a.kind == "uninstall"][:1]
    return [*uninstall, action.service_id]


class ServiceFlow:
    """Runs the service the visitor chose and moves the kiosk's screens along with it."""

    def __init__(self, view: KioskView) -> None:
        self.view = view
        self.runner: DeliveryRunner | None = None
        self._generation = -1  # the kiosk session the runner belongs to
        self._confirmed: ServiceDescription | None = None  # confirmed along with its fields
        s = view.ctx.settings
        self.waiting = ProgressWait(view.service, s.slow_s, s.wait_limit_s)
        self._replace: ReplaceCard | None = None

    def start(self, entry: AppEntry, action: Action) -> None:
        view = self.view
        if view.delivering or view.ident is None or self.runner is not None:
            return
        view.tasks.spawn(self._run(entry, action, view.generation))

    def replace_card(self) -> ReplaceCard:
        """"Place your card again" on the progress page (made on first use), where "do not
        remove your card" was: while it shows, it is the page's one message and Cancel."""
        if self._replace is None:
            page = self.view.service.progress_page
            box = self._replace = ReplaceCard(self.view.ctx, page)
            center = Qt.AlignmentFlag.AlignCenter
            box.title.setProperty("role", "warning")
            box.countdown.setProperty("role", "subtitle")
            for label in (box.title, box.countdown):
                label.setAlignment(center)
            box_layout = box.layout()
            assert box_layout is not None
            box_layout.setSpacing(22)
            box_layout.setAlignment(box.cancel_button, Qt.AlignmentFlag.AlignHCenter)
            layout = page.layout()
            assert isinstance(layout, QBoxLayout)
            layout.insertWidget(layout.indexOf(self.view.service.keep), box)
            box.waiting.connect(self.waiting.card_away)
        return self._replace

    def stop(self) -> None:
        """The session ends (card removed, idle reset): a delivery not yet started stops."""
        if self.runner is not None and not self.view.delivering:
            self.runner.cancel()
        self.view.service.cancel()

    async def _run(self, entry: AppEntry, action: Action, generation: int) -> None:
        view = self.view
        ident = view.ident
        assert ident is not None
        client = await view.ctx.client()
        view.loading.setText(translate("KioskView", "One moment…"))
        view.go(view.loading)
        self._generation = generation
        started = False
        for service_id in repair_steps(entry, action):  # one service, or a repair's two
            self._confirmed = None
            self.runner = DeliveryRunner(client, view.ctx.hub.reader(), ident,
                                         on_progress=self._progress, on_fields=self._fields,
                                         on_confirm=self._confirm, on_action=self._actions)
            self.runner.on_card_gone = self.replace_card().wait
            try:
                result = await self.runner.run(entry.app_id, service_id)
            finally:
                self.runner = None
                self.waiting.stop()
                started = started or view.delivering
                view.delivering = False
            if started:
                view.last_result = result
            if generation != view.generation:
                return
            if not result.success:
                break
        if not started and result.outcome is Outcome.CANCELLED:
            view.go(view.detail)  # the visitor said no: back to the application
            return
        if result.outcome in (Outcome.CARD_REMOVED, Outcome.DIFFERENT_CARD):
            view.ident = None  # putting the card back starts over and shows its state
        self.show_result(result)

    # -- the runner's callbacks -----------------------------------------------------------
    def _progress(self, progress: Progress) -> None:
        view = self.view
        if progress.phase is Phase.STARTING and not view.delivering:
            if self._generation != view.generation:
                assert self.runner is not None
                self.runner.cancel()  # the session ended while the user was asked
                return
            view.delivering = True
            view.idle.set_enabled(False)
            view.service.description = self._description()
            view.service.language = view.ctx.lang
            view.service.start_progress()
            view.stack.setCurrentWidget(view.service)
            assert self.runner is not None
            self.waiting.start(self.runner)
        if view.delivering:
            view.service.show_progress(progress)
            self.waiting.on_progress(progress)

    async def _fields(self, fields: tuple[Field, ...]) -> dict[str, Any] | None:
        """Before the start: the description's fields (and its confirmation, in one page);
        during the delivery: a user-interaction operation."""
        view = self.view
        description = self._description()
        if not view.delivering:
            values = await self._ask(description, fields)
            if values is not None and description.confirmation_required:
                self._confirmed = description
            return values
        view.idle.set_enabled(True)
        self.waiting.pause()
        try:
            values = await view.service.ask(description, view.ctx.lang, fields)
        finally:
            view.idle.set_enabled(False)
        view.service.start_progress()
        return values

    async def _actions(self, actions: tuple[UserAction, ...]) -> bool:
        """During the delivery: the service's user actions, shown until acknowledged."""
        view = self.view
        view.idle.set_enabled(True)
        self.waiting.pause()
        try:
            ok = await view.service.acknowledge(actions, view.ctx.lang)
        finally:
            view.idle.set_enabled(False)
        view.service.start_progress()
        return ok

    async def _confirm(self, description: ServiceDescription) -> bool:
        if self._confirmed is description:
            return True  # confirmed on the page that asked for the fields
        return await self._ask(description, None) is not None

    async def _ask(self, description: ServiceDescription,
                   fields: tuple[Field, ...] | None) -> dict[str, Any] | None:
        view = self.view
        if self._generation != view.generation:
            return None
        view.go(view.service)
        return await view.service.ask(description, view.ctx.lang, fields)

    def _description(self) -> ServiceDescription:
        described = self.runner.description if self.runner is not None else None
        return described if described is not None else ServiceDescription()

    # -- the result -----------------------------------------------------------------------
    def show_result(self, result: DeliveryResult) -> None:
        view = self.view
        view.service.language = view.ctx.lang
        view.service.show_result(result)
        view.go(view.service)

    def after_result(self) -> None:
        """The visitor closed the result: the card's applications again, or the start."""
        view = self.view
        if not view.ctx.hub.present() or view.ident is None:
            view.end_session()
            view.attract.set_status(translate(
                "KioskView", "Hold your card to the reader to see its applications."))
            return
        view.current = None
        view.loading.setText(translate("KioskView", "One moment…"))
        view.go(view.loading)
        view.tasks.spawn(self._reload_then_apps())

    async def _reload_then_apps(self) -> None:
        await self.view.reload()
        if self.view.ident is not None:
            self.view.go(self.view.apps)
