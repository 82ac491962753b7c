"""Tester mode: run any service of any backend on any reader and read the APDU trace.

Backend (the bundled one by default, or the URL of one the tester runs with
their own SP), application and service (listed by name and title; free text
allowed, for services the catalogue does not list), reader (virtual or real).
The trace table decodes every command and status word; filter, copy, save what
the filter shows as text or JSON. The HTTP exchanges of the delivery are in the
second tab (save as HAR), every run is kept in the third, where two can be compared
(tracetabs.py). The settings column scrolls, the Run and Cancel buttons, the status and
the progress bar stay below it: the panel fits a 1280×800 or 1366×768 laptop screen.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.cards import enrich, identify
from app.delivery import DeliveryResult, DeliveryRunner, Progress
from app.description import Field
from app.errors import TouchpointError
from app.runs import Run, RunList
from app.trace import Trace, TraceEntry
from app.wsdelivery import WsDeliveryRunner
from ui import theme
from ui.context import UiContext
from ui.httplog import Exchange
from ui.labels import outcome_label
from ui.tasks import TaskGroup
from ui.tester import saving
from ui.tester.contents import ContentsView
from ui.tester.gpptools import GppTools
from ui.tester.picker import ServicePicker
from ui.tester.timing import TimingChooser
from ui.tester.tracetabs import TraceTabs
from ui.tester.waiting import TesterWait
from ui.usertext import error_sentence, result_sentence, technical_sentence
from ui.widgets.actions import ActionsView
from ui.widgets.build import button_row, labelled, text_label
from ui.widgets.fields import FieldsForm
from ui.widgets.readerpanel import ReaderPanel
from ui.widgets.scrollcolumn import ScrollColumn

log = logging.getLogger(__name__)


class TesterPanel(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("tester-panel")
        self.setStyleSheet(theme.desktop_qss())
        self.trace = Trace()
        self.result: DeliveryResult | None = None
        self.runner: DeliveryRunner | None = None
        self._fields_answer: asyncio.Future[dict[str, Any] | None] | None = None
        self.tasks = TaskGroup("tester")
        self.runs = RunList()
        self.shown: Run | None = None  # the run the trace and HTTP tabs show
        self.live: Run | None = None  # the run going on
        self.waiting = TesterWait(self)  # slow, time limit, the bar (issue 18 point 2)

        outer = QHBoxLayout(self)
        self.settings_area = ScrollColumn("tester-settings", self)
        settings = QWidget(self.settings_area)
        left = QVBoxLayout(settings)
        left.setContentsMargins(0, 0, 4, 0)
        # backend
        self.backend_box = QGroupBox(settings)
        bform = QFormLayout(self.backend_box)
        self.url_edit = QLineEdit(self.backend_box)
        self.url_edit.setObjectName("tester-url")
        self.token_edit = QLineEdit(self.backend_box)
        self.token_edit.setObjectName("tester-token")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.url_label = labelled(bform, self.url_edit)
        self.token_label = labelled(bform, self.token_edit)
        brow, (self.connect_button, self.bundled_button) = button_row(
            self.backend_box, "tester-connect", "tester-bundled")
        bform.addRow(brow)
        self.backend_status = text_label(self.backend_box, "tester-backend-status")
        bform.addRow(self.backend_status)
        left.addWidget(self.backend_box)
        # service
        self.picker = ServicePicker(ctx, self.tasks, settings)
        self.picker.failed.connect(self.backend_status.setText)
        self.picker.run_requested.connect(self.run)  # Repair: its install, with the uninstall
        self.waiting.follow(self.picker.replace_card)
        # the picker's parts, by the names the panel's callers know
        self.service_box, self.app_combo = self.picker, self.picker.app_combo
        self.service_combo = self.picker.service_combo
        self.refresh_button = self.picker.refresh_button
        left.addWidget(self.picker)
        self.readers = ReaderPanel(ctx.hub, settings)
        left.addWidget(self.readers)
        self.timing = TimingChooser(ctx.hub, settings)
        left.addWidget(self.timing)
        # fields asked during a run: in the scrolling column, however many there are
        self.fields_box = QGroupBox(settings)
        fcol = QVBoxLayout(self.fields_box)
        self.fields = FieldsForm(ctx.images, self.fields_box)
        self.fields.setObjectName("tester-fields")
        fcol.addWidget(self.fields)
        self.fields_box.hide()
        left.addWidget(self.fields_box)
        self.user_actions = ActionsView(self)  # user actions asked during a run
        self.user_actions.setObjectName("tester-actions")
        self.user_actions.hide()
        left.addWidget(self.user_actions)
        left.addStretch(1)
        self.settings_area.setWidget(settings)
        # below the scrolling column, always on screen: Send, Run, Cancel, status, progress
        pinned = QVBoxLayout()
        self.fields_send = QPushButton(self)
        self.fields_send.setObjectName("tester-fields-send")
        self.fields_send.hide()
        pinned.addWidget(self.fields_send)
        run_row, (self.run_button, self.cancel_button) = button_row(
            self, "tester-run", "tester-cancel", primary=True)
        pinned.addLayout(run_row)
        self.status = text_label(self, "tester-status")
        self.bar = QProgressBar(self)
        self.bar.setObjectName("tester-progress")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        pinned.addWidget(self.status)
        pinned.addWidget(self.bar)
        column = QVBoxLayout()
        column.addWidget(self.settings_area, 1)
        column.addLayout(pinned)

        self.tabs = TraceTabs(self)
        # the tabs' parts, by the names the panel's callers know
        self.model, self.proxy, self.table = self.tabs.model, self.tabs.proxy, self.tabs.table
        self.http_model, self.http_detail = self.tabs.http_model, self.tabs.http_detail
        self.http_table, self.filter_edit = self.tabs.http_table, self.tabs.filter_edit
        self.direction_combo = self.tabs.direction_combo
        self.runs_page = self.tabs.runs_page
        self.gpp = GppTools(self)  # GPPro-style log: save, open, replay
        self.tabs.trace_column.addWidget(self.gpp)
        self.contents = ContentsView(ctx, busy=lambda: self.runner is not None)
        self.tabs.addTab(self.contents, "")  # what is on the card (issue 19, point 1)
        self.contents.states_read.connect(self.picker.note_states)  # Repair shown when needed
        outer.addLayout(column, 2)
        outer.addWidget(self.tabs, 5)

        self.connect_button.clicked.connect(self._connect)
        self.bundled_button.clicked.connect(self._bundled)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.fields_send.clicked.connect(self._send_fields)
        self.save_text_button, self.save_json_button = (self.tabs.save_text_button,
                                                        self.tabs.save_json_button)
        self.tabs.clear_button.clicked.connect(self.clear_trace)
        self.save_text_button.clicked.connect(lambda: self._choose_save("txt"))
        self.save_json_button.clicked.connect(lambda: self._choose_save("json"))
        self.tabs.save_har_button.clicked.connect(lambda: self._choose_save("har"))
        self.runs.subscribe(self._run_changed)
        self.runs_page.show_button.clicked.connect(self._show_selected_run)
        self.runs_page.table.doubleClicked.connect(lambda _i: self._show_selected_run())
        self._unsub_http = ctx.http.subscribe(self._on_exchange)
        ctx.backend_ready.connect(self._backend_ready)
        ctx.backend_failed.connect(lambda msg: self.backend_status.setText(msg))
        ctx.on_close(self.close_async)
        self.retranslate()
        current = ctx.client_now()
        if current is not None:
            self._backend_ready(current.base_url)

    # -- backend ----------------------------------------------------------------------------
    def _backend_ready(self, url: str) -> None:
        bundled = self.ctx.bundled_url == url
        self.backend_status.setText(
            self.tr("Connected to the bundled backend at %1").replace("%1", url) if bundled
            else self.tr("Connected to %1").replace("%1", url))
        self.refresh()

    def _connect(self) -> None:
        self.tasks.spawn(self._connect_async())

    async def _connect_async(self) -> None:
        url = self.url_edit.text().strip()
        if not url:
            await self._bundled_async()
            return
        if not url.startswith(("http://", "https://")):
            self.backend_status.setText(self.tr("The backend URL must start with http:// "
                                                "or https://"))
            return
        self.backend_status.setText(self.tr("Connecting…"))
        try:
            await self.ctx.connect_backend(url, self.token_edit.text().strip() or None)
        except TouchpointError as exc:  # the sentence, the URL and the error's name
            self.backend_status.setText(technical_sentence(exc, url))

    def _bundled(self) -> None:
        self.tasks.spawn(self._bundled_async())

    async def _bundled_async(self) -> None:
        self.backend_status.setText(self.tr("Starting the bundled backend…"))
        try:
            await self.ctx.use_bundled()
        except TouchpointError as exc:
            self.backend_status.setText(technical_sentence(exc))

    def refresh(self) -> None:
        self.picker.refresh()

    @property
    def app_id(self) -> str:
        return self.picker.app_id

    @property
    def service_id(self) -> str:
        return self.picker.service_id

    def select(self, app_id: str, service_id: str) -> None:
        self.picker.select(app_id, service_id)

    # -- the run ----------------------------------------------------------------------------
    def run(self) -> None:
        self.tasks.spawn(self._run_async())

    async def _run_async(self) -> None:
        if self.runner is not None:
            return
        app_id, sid = self.app_id, self.service_id
        # a ws:// or wss:// URL as the service is the whole delivery (fdsm's --run ws://)
        ws_url = sid if sid.startswith(("ws://", "wss://")) else None
        if not ws_url and (not app_id or not sid):
            self.status.setText(self.tr("Choose an application and a service."))
            return
        hub = self.ctx.hub
        if not hub.present():
            self.status.setText(self.tr("No card in %1.").replace("%1", hub.active))
            return
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.bar.setRange(0, 0)
        run = self.runs.start(app_id, sid, app_name=self._shown_name(self.app_combo, app_id),
                              service_title=self._shown_name(self.service_combo, sid),
                              reader=hub.active)
        self.live = run
        self.trace = run.trace
        self.show_run(run)  # a new run is shown; the earlier ones stay in the Runs tab
        self.trace.subscribe(lambda e: self._on_entry(run, e))
        self.result = None
        outcome = ""
        self.waiting.start()
        try:
            client = await self.ctx.client()
            reader = hub.reader()
            self.status.setText(self.tr("Reading the card…"))
            ident = await identify(reader, observer=self.trace.record)
            run.card = ident.printable_cin
            self.trace.note(f"card {ident.printable_cin} in {reader.name}")
            if ws_url:
                ws = WsDeliveryRunner(reader, ident, token=client.token, trace=self.trace,
                                      on_progress=self._progress)
                self.runner = ws
                self.result = await ws.run_url(ws_url)
            else:
                await enrich(client, ident)
                self.result = await self.picker.deliver(  # an Unstable app: repaired first
                    client, reader, ident, app_id, sid, lambda r: setattr(self, "runner", r),
                    trace=self.trace, on_progress=self._progress, on_fields=self._ask_fields,
                    on_confirm=lambda _d: True,
                    on_action=lambda a: self.user_actions.ask_shown(a, self.ctx.lang))
            outcome = outcome_label(self.result.outcome)
        except TouchpointError as exc:
            outcome = error_sentence(exc)  # the detail goes to the log
            self.status.setText(outcome)
        finally:
            self.waiting.stop()
            self.trace.flush()
            run.finish(outcome or self.tr("cancelled"))
            self.live = None
            self.runs.changed(run)
            self.runner = None
            self.run_button.setEnabled(True)
            self.cancel_button.setEnabled(False)
            self.fields_box.hide()
            self.fields_send.hide()
            if self.bar.maximum() == 0:
                self.bar.setRange(0, 1)
        if self.result is not None:
            self._show_result(self.result)
            self.contents.refresh()  # what the delivery left on the card

    def cancel(self) -> None:
        self.waiting.cancelling()
        if self.runner is not None:
            self.runner.cancel()
        if self._fields_answer is not None and not self._fields_answer.done():
            self._fields_answer.set_result(None)
        self.user_actions.cancel()

    def _progress(self, p: Progress) -> None:
        self.waiting.on_progress(p)

    @staticmethod
    def _shown_name(combo: QComboBox, value: str) -> str:
        i = combo.findData(value)
        return combo.itemText(i) if i >= 0 else ""

    async def _ask_fields(self, fields: tuple[Field, ...]) -> dict[str, Any] | None:
        self.fields.build(fields, self.ctx.lang)
        self.fields_box.show()
        self.fields_send.show()
        # once the column has laid the form out: scroll to it
        QTimer.singleShot(0, self.settings_area,
                          lambda: self.settings_area.ensureWidgetVisible(self.fields_box))
        self.fields.focus_first()
        self._fields_answer = asyncio.get_running_loop().create_future()
        try:
            return await self._fields_answer
        finally:
            self._fields_answer = None
            self.fields_box.hide()
            self.fields_send.hide()

    def _send_fields(self) -> None:
        if not self.fields.check():
            return  # the reason is shown under the input; nothing is sent
        if self._fields_answer is not None and not self._fields_answer.done():
            self._fields_answer.set_result(self.fields.values())

    def _show_result(self, r: DeliveryResult) -> None:
        text = result_sentence(r, self.ctx.lang)
        self.status.setText(self.waiting.result_note(r) +
            self.tr("%1: %2 — %3 APDUs, %4 HTTP round trips, %5 s")
            .replace("%1", outcome_label(r.outcome)).replace("%2", text or r.outcome.value)
            .replace("%3", str(r.apdus)).replace("%4", str(r.http_round_trips))
            .replace("%5", f"{r.seconds:.2f}"))

    # -- trace --------------------------------------------------------------------------------
    def visible_entries(self) -> list[TraceEntry]:
        return self.tabs.visible_entries()

    def copy_selection(self) -> str:
        return self.tabs.copy_selection()

    def select_rows(self, rows: list[int]) -> None:
        self.tabs.select_rows(rows)

    def _choose_save(self, kind: str) -> None:
        saving.choose(self, kind)

    def save_trace(self, path: str, kind: str | None = None) -> Path | None:
        """Saves the rows the filter shows (and says so in the file's header and here)."""
        return saving.save_trace(self, path, kind)

    def save_har(self, path: str) -> Path | None:
        """The HTTP exchanges shown (the run's), as HAR 1.2, credentials masked."""
        return saving.save_har(self, path)

    def clear_trace(self) -> None:
        """Forgets every finished run (the one going on stays)."""
        self.runs.runs[:] = [r for r in self.runs.runs if r is self.live]
        self.trace = self.live.trace if self.live else Trace()
        self.runs_page.model.set_runs(self.runs.runs)
        self.runs_page.compare_model.set_rows([])
        self.runs_page.compare_label.clear()
        self.ctx.http.clear()
        self.show_run(self.live)

    # -- runs -----------------------------------------------------------------------------
    def show_run(self, run: Run | None) -> None:
        """The trace and HTTP tabs show `run` (None: nothing)."""
        self.shown = None
        if run is None:
            self.tabs.clear()
            return
        run.trace.flush()  # what is pending goes in now, not twice (below and by the listener)
        self.shown = run
        self.tabs.show_rows(run.trace.entries, run.exchanges)

    def _on_entry(self, run: Run, entry: TraceEntry) -> None:
        rows = self.model.rows
        if self.shown is run and not any(r is entry for r in rows[-64:]):
            self.model.append(entry)

    def _show_selected_run(self) -> None:
        chosen = self.runs_page.selected_runs()
        if len(chosen) == 1:
            self.show_run(chosen[0])
            self.tabs.setCurrentIndex(0)

    def _run_changed(self, run: Run) -> None:
        model = self.runs_page.model
        if run in model.runs:
            row = model.runs.index(run)
            model.dataChanged.emit(model.index(row, 0), model.index(row, model.columnCount() - 1))
            self.runs_page.refresh_buttons()
        else:
            model.set_runs(self.runs.runs)

    # -- HTTP -----------------------------------------------------------------------------
    def _on_exchange(self, ex: Exchange) -> None:
        if self.live is not None:
            self.live.exchanges.append(ex)
        if self.shown is self.live:  # between runs (lists, connects): shown when no run is
            self.http_model.append(ex)

    # -- language ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.backend_box.setTitle(self.tr("Backend"))
        self.url_label.setText(self.tr("URL"))
        self.url_edit.setPlaceholderText(self.tr("empty: the bundled backend"))
        self.token_label.setText(self.tr("Device token"))
        self.connect_button.setText(self.tr("Connect"))
        self.bundled_button.setText(self.tr("Use the bundled backend"))
        self.picker.retranslate()
        self.fields_box.setTitle(self.tr("The service needs"))
        self.fields_send.setText(self.tr("Send"))
        self.run_button.setText(self.tr("Run"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.timing.retranslate()
        self.tabs.retranslate()
        self.gpp.retranslate()
        self.tabs.setTabText(self.tabs.indexOf(self.contents), self.contents.title())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    async def close_async(self) -> None:
        self._unsub_http()
        if self.runner is not None:
            self.runner.cancel()
        await self.tasks.cancel()
