"""Tester mode: run any service of any backend on any reader and read the APDU trace.

Backend (the bundled one by default, or the URL of one the tester runs with
their own SP), application and service (free text allowed, for services the
catalogue does not list), reader (virtual or real). The trace table decodes
every command and status word; filter, copy, save as text or JSON. The HTTP
exchanges of the delivery are in the second tab (both tabs: tracetabs.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.cards import enrich, identify
from app.catalog import app_descriptions, services_of
from app.delivery import DeliveryResult, DeliveryRunner, Progress
from app.description import Field
from app.errors import TouchpointError
from app.i18n import pick
from app.trace import Trace, TraceEntry
from ui import theme
from ui.context import UiContext
from ui.httplog import Exchange
from ui.labels import outcome_label, phase_label
from ui.tasks import TaskGroup
from ui.tester.timing import TimingChooser
from ui.tester.tracetabs import TraceTabs
from ui.widgets.actions import ActionsView
from ui.widgets.build import button_row, labelled
from ui.widgets.fields import FieldsForm
from ui.widgets.readerpanel import ReaderPanel

log = logging.getLogger(__name__)


class TesterPanel(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("tester-panel")
        self.setStyleSheet(theme.DESKTOP_QSS)
        self.trace = Trace()
        self.result: DeliveryResult | None = None
        self.runner: DeliveryRunner | None = None
        self._fields_answer: asyncio.Future[dict[str, Any] | None] | None = None
        self.tasks = TaskGroup("tester")

        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        # backend
        self.backend_box = QGroupBox(self)
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
        self.backend_status = QLabel(self.backend_box)
        self.backend_status.setObjectName("tester-backend-status")
        self.backend_status.setWordWrap(True)
        bform.addRow(self.backend_status)
        left.addWidget(self.backend_box)
        # service
        self.service_box = QGroupBox(self)
        sform = QFormLayout(self.service_box)
        self.app_combo = QComboBox(self.service_box)
        self.app_combo.setObjectName("tester-app")
        self.app_combo.setEditable(True)
        self.service_combo = QComboBox(self.service_box)
        self.service_combo.setObjectName("tester-service")
        self.service_combo.setEditable(True)
        self.app_label = labelled(sform, self.app_combo)
        self.service_label = labelled(sform, self.service_combo)
        self.refresh_button = QPushButton(self.service_box)
        self.refresh_button.setObjectName("tester-refresh")
        sform.addRow(self.refresh_button)
        left.addWidget(self.service_box)
        self.readers = ReaderPanel(ctx.hub, self)
        left.addWidget(self.readers)
        self.timing = TimingChooser(ctx.hub, self)
        left.addWidget(self.timing)
        # fields asked during a run
        self.fields_box = QGroupBox(self)
        fcol = QVBoxLayout(self.fields_box)
        self.fields = FieldsForm(ctx.images, self.fields_box)
        self.fields.setObjectName("tester-fields")
        self.fields_send = QPushButton(self.fields_box)
        self.fields_send.setObjectName("tester-fields-send")
        fcol.addWidget(self.fields)
        fcol.addWidget(self.fields_send)
        self.fields_box.hide()
        left.addWidget(self.fields_box)
        self.user_actions = ActionsView(self)  # user actions asked during a run
        self.user_actions.setObjectName("tester-actions")
        self.user_actions.hide()
        left.addWidget(self.user_actions)
        run_row, (self.run_button, self.cancel_button) = button_row(
            self, "tester-run", "tester-cancel", primary=True)
        left.addLayout(run_row)
        self.status = QLabel(self)
        self.status.setObjectName("tester-status")
        self.status.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("tester-progress")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        left.addWidget(self.status)
        left.addWidget(self.bar)
        left.addStretch(1)

        self.tabs = TraceTabs(self)
        # the tabs' parts, by the names the panel's callers know
        self.model, self.proxy, self.table = self.tabs.model, self.tabs.proxy, self.tabs.table
        self.http_model, self.http_detail = self.tabs.http_model, self.tabs.http_detail
        self.http_table, self.filter_edit = self.tabs.http_table, self.tabs.filter_edit
        self.direction_combo = self.tabs.direction_combo
        outer.addLayout(left, 2)
        outer.addWidget(self.tabs, 5)

        self.connect_button.clicked.connect(self._connect)
        self.bundled_button.clicked.connect(self._bundled)
        self.refresh_button.clicked.connect(self.refresh)
        self.app_combo.currentIndexChanged.connect(self._app_chosen)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.fields_send.clicked.connect(self._send_fields)
        self.save_text_button, self.save_json_button = (self.tabs.save_text_button,
                                                        self.tabs.save_json_button)
        self.tabs.clear_button.clicked.connect(self.clear_trace)
        self.save_text_button.clicked.connect(lambda: self._choose_save("txt"))
        self.save_json_button.clicked.connect(lambda: self._choose_save("json"))
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
        except TouchpointError as exc:
            self.backend_status.setText(str(exc))

    def _bundled(self) -> None:
        self.tasks.spawn(self._bundled_async())

    async def _bundled_async(self) -> None:
        self.backend_status.setText(self.tr("Starting the bundled backend…"))
        try:
            await self.ctx.use_bundled()
        except TouchpointError as exc:
            self.backend_status.setText(str(exc))

    def refresh(self) -> None:
        self.tasks.spawn(self._refresh_async())

    async def _refresh_async(self) -> None:
        try:
            descriptions = await app_descriptions(await self.ctx.client())
        except TouchpointError as exc:
            self.backend_status.setText(str(exc))
            return
        current = self.app_combo.currentText()
        self.app_combo.blockSignals(True)
        self.app_combo.clear()
        for app_id, desc in descriptions.items():
            self.app_combo.addItem(app_id, desc)
            name = pick(desc.get("name"), self.ctx.lang)
            self.app_combo.setItemData(self.app_combo.count() - 1, f"{name}",
                                       Qt.ItemDataRole.ToolTipRole)
        self.app_combo.blockSignals(False)
        i = self.app_combo.findText(current)
        self.app_combo.setCurrentIndex(i if i >= 0 else 0)
        await self._fill_services()

    def _app_chosen(self, _index: int = 0) -> None:
        self.tasks.spawn(self._app_chosen_async(_index))

    async def _app_chosen_async(self, _index: int = 0) -> None:
        await self._fill_services()

    async def _fill_services(self) -> None:
        app_id = self.app_combo.currentText().strip()
        desc = self.app_combo.currentData()
        sids: dict[str, str] = services_of(desc) if isinstance(desc, dict) else {}
        client = self.ctx.client_now()
        if client is not None and app_id:
            with contextlib.suppress(TouchpointError):
                for sid in await client.list_services(app_id):
                    sids.setdefault(sid, "")
        if app_id != self.app_combo.currentText().strip():
            return
        self.service_combo.clear()
        for sid in sids:
            self.service_combo.addItem(sid)

    def select(self, app_id: str, service_id: str) -> None:
        self.app_combo.setCurrentText(app_id)
        self.service_combo.setCurrentText(service_id)

    # -- the run ----------------------------------------------------------------------------
    def run(self) -> None:
        self.tasks.spawn(self._run_async())

    async def _run_async(self) -> None:
        if self.runner is not None:
            return
        app_id = self.app_combo.currentText().strip()
        sid = self.service_combo.currentText().strip()
        if not app_id or not sid:
            self.status.setText(self.tr("Choose an application and a service."))
            return
        hub = self.ctx.hub
        if not hub.present():
            self.status.setText(self.tr("No card in %1.").replace("%1", hub.active))
            return
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.bar.setRange(0, 0)
        self.trace = Trace()
        self.tabs.clear()  # the second tab shows this delivery's exchanges
        self.trace.subscribe(self.model.append)
        self.result = None
        try:
            client = await self.ctx.client()
            reader = hub.reader()
            self.status.setText(self.tr("Reading the card…"))
            ident = await identify(reader, observer=self.trace.record)
            await enrich(client, ident)
            self.trace.note(f"card {ident.printable_cin} in {reader.name}")
            self.runner = DeliveryRunner(client, reader, ident, trace=self.trace,
                                         on_progress=self._progress, on_fields=self._ask_fields,
                                         on_confirm=lambda _d: True, on_action=lambda a:
                                         self.user_actions.ask_shown(a, self.ctx.lang))
            self.result = await self.runner.run(app_id, sid)
        except TouchpointError as exc:
            self.status.setText(str(exc))
        finally:
            self.runner = None
            self.run_button.setEnabled(True)
            self.cancel_button.setEnabled(False)
            self.fields_box.hide()
            if self.bar.maximum() == 0:
                self.bar.setRange(0, 1)
        if self.result is not None:
            self._show_result(self.result)

    def cancel(self) -> None:
        if self.runner is not None:
            self.runner.cancel()
        if self._fields_answer is not None and not self._fields_answer.done():
            self._fields_answer.set_result(None)
        self.user_actions.cancel()

    def _progress(self, p: Progress) -> None:
        if p.apdus_expected:
            self.bar.setRange(0, p.apdus_expected)
            self.bar.setValue(min(p.apdus_done, p.apdus_expected))
        self.status.setText(f"{phase_label(p.phase)} ({p.apdus_done}/{p.apdus_expected})"
                            if p.apdus_expected else phase_label(p.phase))

    async def _ask_fields(self, fields: tuple[Field, ...]) -> dict[str, Any] | None:
        self.fields.build(fields, self.ctx.lang)
        self.fields_box.show()
        self.fields.focus_first()
        self._fields_answer = asyncio.get_running_loop().create_future()
        try:
            return await self._fields_answer
        finally:
            self._fields_answer = None
            self.fields_box.hide()

    def _send_fields(self) -> None:
        if not self.fields.check():
            return  # the reason is shown under the input; nothing is sent
        if self._fields_answer is not None and not self._fields_answer.done():
            self._fields_answer.set_result(self.fields.values())

    def _show_result(self, r: DeliveryResult) -> None:
        text = r.text(self.ctx.lang)
        self.status.setText(
            self.tr("%1: %2 — %3 APDUs, %4 HTTP round trips, %5 s")
            .replace("%1", outcome_label(r.outcome)).replace("%2", text or r.outcome.value)
            .replace("%3", str(r.apdus)).replace("%4", str(r.http_round_trips))
            .replace("%5", f"{r.seconds:.2f}"))
        if r.apdus and self.bar.maximum() > 0:
            self.bar.setValue(self.bar.maximum() if r.success else self.bar.value())

    # -- trace --------------------------------------------------------------------------------
    def visible_entries(self) -> list[TraceEntry]:
        return self.tabs.visible_entries()

    def copy_selection(self) -> str:
        return self.tabs.copy_selection()

    def select_rows(self, rows: list[int]) -> None:
        self.tabs.select_rows(rows)

    def _choose_save(self, kind: str) -> None:
        dialog = QFileDialog(self, self.tr("Save the trace"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("JSON (*.json)") if kind == "json"
                             else self.tr("Text (*.txt)"))
        dialog.setDefaultSuffix(kind)
        dialog.fileSelected.connect(lambda path: self.save_trace(path, kind))
        dialog.open()  # not exec(): a nested loop would stall the asyncio tasks

    def save_trace(self, path: str, kind: str | None = None) -> Path | None:
        target = Path(path)
        if kind == "json" and target.suffix.lower() != ".json":
            target = target.with_suffix(".json")
        try:
            saved = self.trace.save(target)
        except OSError as exc:
            self.status.setText(self.tr("The trace could not be saved: %1").replace(
                "%1", exc.strerror or str(exc)))
            return None
        self.status.setText(self.tr("Trace saved to %1").replace("%1", str(saved)))
        return saved

    def clear_trace(self) -> None:
        self.trace = Trace()
        self.tabs.clear()
        self.ctx.http.clear()

    # -- HTTP -----------------------------------------------------------------------------
    def _on_exchange(self, ex: Exchange) -> None:
        self.http_model.append(ex)

    # -- language ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.backend_box.setTitle(self.tr("Backend"))
        self.url_label.setText(self.tr("URL"))
        self.url_edit.setPlaceholderText(self.tr("empty: the bundled backend"))
        self.token_label.setText(self.tr("Device token"))
        self.connect_button.setText(self.tr("Connect"))
        self.bundled_button.setText(self.tr("Use the bundled backend"))
        self.service_box.setTitle(self.tr("Service"))
        self.app_label.setText(self.tr("Application"))
        self.service_label.setText(self.tr("Service"))
        self.refresh_button.setText(self.tr("Refresh the list"))
        self.fields_box.setTitle(self.tr("The service needs"))
        self.fields_send.setText(self.tr("Send"))
        self.run_button.setText(self.tr("Run"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.timing.retranslate()
        self.tabs.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    async def close_async(self) -> None:
        self._unsub_http()
        if self.runner is not None:
            self.runner.cancel()
        await self.tasks.cancel()
