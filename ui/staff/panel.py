"""Staff mode: one service over a stack of cards, "tap next card" after "tap next card".

Pick the application and its service, give the field values once (or one CSV row per
card), start, then present cards one after the other: each is identified, skipped if
done already (unless asked), delivered (an install on an Unstable app: repaired first,
app/repair.py), logged with its CIN, result and duration; then it must be taken away.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.cards import enrich, identify
from app.catalog import app_descriptions, service_titles, services_of
from app.delivery import DeliveryResult, DeliveryRunner
from app.description import ServiceDescription
from app.errors import TouchpointError
from app.i18n import pick
from app.personalisation import BatchError, BatchLog, BatchRow, ValueSource, masked_values
from app.repair import run_or_repair
from ui import theme
from ui.context import UiContext
from ui.labels import action_label
from ui.staff.logtable import LogTable, totals_text
from ui.staff.waiting import StaffWait
from ui.tasks import TaskGroup
from ui.usertext import batch_sentence, error_sentence, file_sentence, result_sentence
from ui.widgets.actions import ActionsView
from ui.widgets.build import ask_file, button_row, labelled, text_label
from ui.widgets.fields import FieldsForm
from ui.widgets.readerpanel import ReaderPanel
from ui.widgets.replace_card import ReplaceCard, with_grace
from ui.widgets.scrollcolumn import ScrollColumn

log = logging.getLogger(__name__)


class StaffPanel(QWidget):
    back_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *,
                 back_button: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("staff-panel")
        self.setStyleSheet(theme.desktop_qss())
        self.log = BatchLog()
        self.values: ValueSource | None = None  # from CSV; None: the form's values
        self.description = ServiceDescription()
        self.running = False
        self._task: asyncio.Task[None] | None = None
        self._state_waiters: list[tuple[bool, asyncio.Future[None]]] = []
        self.tasks = TaskGroup("staff")
        self._described: tuple[str | None, str | None] | None = None
        self._wanted: tuple[str, str] | None = None  # select()'s service, until it is listed
        self.waiting = StaffWait(self)  # issue 18 point 2

        self.page = QVBoxLayout(self)  # the setup and the log side by side; below: a keyboard
        self.page.addLayout(outer := QHBoxLayout(), 1)
        # the setup scrolls (a service may ask for many fields); Start/Stop stay below it
        self.setup_area = ScrollColumn("staff-setup", self)
        setup = QWidget(self.setup_area)
        scrolled = QVBoxLayout(setup)
        scrolled.setContentsMargins(0, 0, 4, 0)
        left = QVBoxLayout()
        self.setup_box = QGroupBox(setup)
        form = QFormLayout(self.setup_box)
        self.app_combo = QComboBox(self.setup_box)
        self.app_combo.setObjectName("staff-app")
        self.service_combo = QComboBox(self.setup_box)
        self.service_combo.setObjectName("staff-service")
        self.app_label = labelled(form, self.app_combo)
        self.service_label = labelled(form, self.service_combo)
        self.fields = FieldsForm(ctx.images, self.setup_box)
        self.fields.setObjectName("staff-fields")
        form.addRow(self.fields)
        csv_row, (self.csv_button, self.csv_clear) = button_row(
            self.setup_box, "staff-csv", "staff-csv-clear")
        form.addRow(csv_row)
        self.csv_label = text_label(self.setup_box, "staff-csv-label")
        form.addRow(self.csv_label)
        # deliver again to cards done; an install on an Unstable app: repair it first
        self.again, self.repair = QCheckBox(self.setup_box), QCheckBox(self.setup_box)
        for box, name in ((self.again, "staff-again"), (self.repair, "staff-repair")):
            box.setObjectName(name)
            form.addRow(box)
        self.repair.setChecked(True)
        scrolled.addWidget(self.setup_box)
        self.readers = ReaderPanel(ctx.hub, setup)
        scrolled.addWidget(self.readers)
        scrolled.addStretch(1)
        self.setup_area.setWidget(setup)
        left.addWidget(self.setup_area, 1)
        buttons, (self.start_button, self.stop_button) = button_row(
            self, "staff-start", "staff-stop", primary=True)
        left.addLayout(buttons)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("staff-back")
        self.back_button.setVisible(back_button)
        self.back_button.clicked.connect(self.back_requested)
        left.addWidget(self.back_button)

        right = QVBoxLayout()
        self.status, self.totals, self.warning = QLabel(self), QLabel(self), QLabel(self)
        self.table, self.export_button = LogTable(self), QPushButton(self)
        for w, name in ((self.status, "status"), (self.totals, "totals"),
                        (self.export_button, "export"), (self.warning, "warning")):
            w.setObjectName(f"staff-{name}")
        self.status.setProperty("role", "title")
        self.status.setWordWrap(True)
        self.warning.setProperty("role", "warning")
        self.warning.setWordWrap(True)
        right.addWidget(self.status)
        self.replace_card = ReplaceCard(ctx, self)  # the card left mid-delivery
        right.addWidget(self.replace_card)
        self.waiting.follow(self.replace_card)
        self.user_actions = ActionsView(self)  # a service's user actions, per card
        self.user_actions.setObjectName("staff-actions")
        self.user_actions.hide()
        right.addWidget(self.user_actions)
        right.addWidget(self.totals)
        right.addWidget(self.table, 1)
        right.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignRight)
        right.addWidget(self.warning)
        outer.addLayout(left, 2)
        outer.addLayout(right, 3)

        self.app_combo.currentIndexChanged.connect(self._app_chosen)
        self.service_combo.currentIndexChanged.connect(self._service_chosen)
        self.csv_button.clicked.connect(self._choose_csv)
        self.csv_clear.clicked.connect(self.clear_csv)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.export_button.clicked.connect(self._choose_export)
        ctx.hub.card_changed.connect(self._card_changed)
        ctx.backend_ready.connect(lambda _url: self.refresh())
        ctx.language.changed.connect(lambda code: self.fields.relabel(code))
        ctx.on_close(self.close_async)
        self.retranslate()
        if ctx.client_now() is not None:
            self.refresh()

    # -- setup ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Lists the applications of the current backend."""
        self.tasks.spawn(self._refresh())

    async def _refresh(self) -> None:
        try:
            descriptions = await app_descriptions(await self.ctx.client())
        except TouchpointError as exc:
            self.status.setText(error_sentence(exc))
            return
        current = self.app_combo.currentData()
        self.app_combo.blockSignals(True)
        self.app_combo.clear()
        for app_id, desc in descriptions.items():
            name = pick(desc.get("name"), self.ctx.lang) or app_id
            self.app_combo.addItem(name, (app_id, desc))
            self.app_combo.setItemData(self.app_combo.count() - 1, f"{name} ({app_id})",
                                       Qt.ItemDataRole.ToolTipRole)
        self.app_combo.blockSignals(False)
        index = next((i for i in range(self.app_combo.count())
                      if self.app_combo.itemData(i)[0] == (current or (None,))[0]), 0)
        self.app_combo.setCurrentIndex(index)
        self._app_chosen(index)

    def _app_chosen(self, index: int) -> None:
        data = self.app_combo.itemData(index)
        self.service_combo.blockSignals(True)
        self.service_combo.clear()
        if data:
            _app_id, desc = data
            for sid, kind in services_of(desc).items():
                self.service_combo.addItem(f"{action_label(kind)} ({sid})", sid)
                self.service_combo.setItemData(self.service_combo.count() - 1, sid,
                                               Qt.ItemDataRole.ToolTipRole)
            self.tasks.spawn(self._more_services(_app_id))
        self.service_combo.blockSignals(False)
        self._service_chosen(self.service_combo.currentIndex())

    async def _more_services(self, app_id: str) -> None:
        """The app's other services after its lifecycle ones, then every one's own title."""
        sids = []
        with contextlib.suppress(TouchpointError):
            sids = await (await self.ctx.client()).list_services(app_id)
        for sid in sids if self.app_id == app_id else []:
            if self.service_combo.findData(sid) < 0:
                self.service_combo.addItem(sid, sid)
        if self._wanted is not None and self._wanted[0] == app_id:  # select() came first
            self.select(*self._wanted)
        sids = [self.service_combo.itemData(i) for i in range(self.service_combo.count())]
        with contextlib.suppress(TouchpointError):
            titles = await service_titles(await self.ctx.client(), app_id, sids, self.ctx.lang)
            for sid, title in titles.items():
                i = self.service_combo.findData(sid)
                if i >= 0 and self.app_id == app_id:
                    self.service_combo.setItemText(i, title)

    def select(self, app_id: str, service_id: str) -> None:
        """Chooses app and service, as picking them does (a service not listed yet: later)."""
        self._wanted = (app_id, service_id)
        for i in range(self.app_combo.count()):
            if self.app_combo.itemData(i)[0] == app_id:
                self.app_combo.setCurrentIndex(i)
                break
        if (i := self.service_combo.findData(service_id)) >= 0:
            self.service_combo.setCurrentIndex(i)
            self._wanted = None

    @property
    def app_id(self) -> str | None:
        data = self.app_combo.currentData()
        return data[0] if data else None

    @property
    def service_id(self) -> str | None:
        sid = self.service_combo.currentData()
        return sid if isinstance(sid, str) else None

    def _service_chosen(self, _index: int = 0) -> None:
        self.tasks.spawn(self._describe())

    async def _describe(self) -> None:
        """The chosen service's description: its fields become the form."""
        app_id, sid = self.app_id, self.service_id
        if (app_id, sid) == self._described:
            return  # already built: keep what staff typed
        self._described = (app_id, sid)
        self.description = ServiceDescription()
        self.fields.build((), self.ctx.lang)
        if not app_id or not sid:
            return
        try:
            client = await self.ctx.client()
            description = await client.describe(app_id, sid)
        except TouchpointError as exc:
            self._described = None
            self.status.setText(error_sentence(exc))
            return
        if (self.app_id, self.service_id) != (app_id, sid) or self._described != (app_id, sid):
            return
        self.description = description
        self.fields.build(description.fields, self.ctx.lang)

    def _choose_csv(self) -> None:
        ask_file(self, self.tr("Values per card (CSV)"), self.tr("CSV files (*.csv)"),
                 self.load_csv)

    def load_csv(self, path: str) -> bool:
        try:
            self.values = ValueSource.read(path, [f.id for f in self.fields.inputs])
        except (OSError, UnicodeDecodeError, BatchError) as exc:
            self.values = None
            self.csv_label.setText(
                batch_sentence(exc) if isinstance(exc, BatchError) else
                file_sentence("not-text" if isinstance(exc, UnicodeDecodeError) else
                              "unreadable", path, exc))
            return False
        n = len(self.values.rows) + len(self.values.by_cin)
        self.csv_label.setText(self.tr("%n card row(s) from %1", "", n).replace("%1", path))
        self.fields.setEnabled(False)
        return True

    def clear_csv(self) -> None:
        self.values = None
        self.csv_label.setText("")
        self.fields.setEnabled(True)

    # -- the run ------------------------------------------------------------------------
    def start(self) -> None:
        if self.running or not self.app_id or not self.service_id:
            return
        if self.values is None and not self.fields.check():
            return  # the reason is shown under the input; no card is touched
        self.running = True
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.setup_box.setEnabled(False)
        self._task = self.tasks.spawn(self._run())

    def stop(self) -> None:
        self.running = False
        self.waiting.cancel()
        self.user_actions.cancel()
        for _want, fut in self._state_waiters:
            if not fut.done():
                fut.cancel()
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.setup_box.setEnabled(True)
        self.status.setText(self.tr("Stopped"))

    def _card_changed(self, name: str, present: bool) -> None:
        if name != self.ctx.hub.active:
            return
        for want, fut in list(self._state_waiters):
            if want == present and not fut.done():
                fut.set_result(None)

    async def _wait_card(self, present: bool) -> None:
        if self.ctx.hub.present() == present:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (present, fut)
        self._state_waiters.append(entry)
        try:
            await fut
        finally:
            self._state_waiters.remove(entry)

    async def _run(self) -> None:
        app_id, sid = self.app_id, self.service_id
        assert app_id and sid
        source = self.values or ValueSource(fixed={k: str(v) for k, v in
                                                   self.fields.values().items()})
        try:
            client = await self.ctx.client()
            while self.running:
                self.status.setText(self.tr("Tap the next card"))
                await self._wait_card(True)
                await self._one_card(client, app_id, sid, source)
                if not self.running:
                    break
                self.status.setText(self.tr("Take the card away"))
                await self._wait_card(False)
        except asyncio.CancelledError:
            pass
        except TouchpointError as exc:
            self.status.setText(error_sentence(exc))
        finally:
            if self.running:
                self.stop()

    async def _one_card(self, client: Any, app_id: str, sid: str, source: ValueSource) -> None:
        t0 = time.monotonic()
        reader = self.ctx.hub.reader()
        self.status.setText(self.tr("Working on the card… do not remove it"))
        try:
            ident = await identify(reader)
            await enrich(client, ident)
        except TouchpointError as exc:
            log.warning("staff: reading the card failed: %s", exc)  # the row says it in words
            self._add(BatchRow(time.time(), "?", "reader-error", time.monotonic() - t0,
                               error_sentence(exc)))
            return
        cin = ident.printable_cin
        if self.log.already_done(cin) and not self.again.isChecked():
            self._add(BatchRow(time.time(), cin, "skipped", 0.0,
                               self.tr("already done: not delivered again")))
            return
        try:
            values = source.values_for(ident.cin_hex)
        except BatchError as exc:
            self._add(BatchRow(time.time(), cin, "failure", 0.0, batch_sentence(exc)))
            return
        desc = self.app_combo.currentData()[1] if self.repair.isChecked() else None

        def delivery(app: str, service: str) -> Awaitable[DeliveryResult]:
            runner = with_grace(self.replace_card, DeliveryRunner(
                client, reader, ident, fields=values, on_progress=self.waiting.on_progress,
                on_action=lambda x: self.user_actions.ask_shown(x, self.ctx.lang)))
            self.waiting.start(runner)
            return runner.run(app, service)

        result = await run_or_repair(  # an Unstable app: uninstall, then this install
            lambda: client.device_apps(ident.cin_hex), app_id, desc, sid, delivery)
        message = self.waiting.message(result, result_sentence(result, self.ctx.lang))
        self._add(BatchRow(time.time(), cin, result.outcome.value, time.monotonic() - t0,
                           message), values)

    def _add(self, row: BatchRow, values: dict[str, str] | None = None) -> None:
        d = self.description
        row = dataclasses.replace(row, app=self.app_id or "", service=self.service_id or "",
                                  fields=masked_values(d.fields, values or {}, d.encrypted))
        self.log.add(row)
        self.table.add(row)
        self._totals()

    def _totals(self) -> None:
        self.totals.setText(totals_text(self.log))

    # -- export -------------------------------------------------------------------------
    def _choose_export(self) -> None:
        ask_file(self, self.tr("Export the log"), self.tr("CSV files (*.csv)"), self.export_csv,
                 save_suffix="csv")

    def export_csv(self, path: str) -> bool:
        try:
            self.log.save_csv(path)
        except OSError as exc:
            self.status.setText(file_sentence("log-not-saved", path, exc))
            return False
        self.status.setText(self.tr("Log saved to %1").replace("%1", path))
        return True

    # -- language -----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setup_box.setTitle(self.tr("What to deliver"))
        self.app_label.setText(self.tr("Application"))
        self.service_label.setText(self.tr("Service"))
        self.csv_button.setText(self.tr("Values per card from CSV…"))
        self.csv_clear.setText(self.tr("Same values for every card"))
        self.again.setText(self.tr("Deliver again to cards already done"))
        self.repair.setText(self.tr("Repair an app that needs it (uninstall, then install)"))
        self.start_button.setText(self.tr("Start"))
        self.stop_button.setText(self.tr("Stop"))
        self.back_button.setText(self.tr("Back to the kiosk"))
        self.export_button.setText(self.tr("Export log as CSV…"))
        self.table.setAccessibleName(self.tr("Cards done"))
        self.table.retranslate()
        if not self.running:
            self.status.setText(self.tr("Choose the service, then press Start"))
        self._totals()
        pins = self.ctx.pins
        self.warning.setText(self.tr("No secure keyring is available: the staff PIN hash is kept "
                                     "in %1 (readable only by this user).").replace(
            "%1", str(pins.path)) if pins.in_file else "")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    async def close_async(self) -> None:
        self.running = False
        for _want, fut in self._state_waiters:
            if not fut.done():
                fut.cancel()
        await self.tasks.cancel()
