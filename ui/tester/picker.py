"""The tester's application and service pickers: names and titles shown, ids behind them.

Both combos stay editable, so a tester can type the id of an application or a
service the catalogue does not list; `app_id` / `service_id` give the chosen
item's id, or the typed text. Texts are in the panel's translation context.

An app the backend says is Unstable on the card last delivered to (or read in the
Contents tab) gets its one action, Repair: the install chosen (else the app's first),
run with the uninstall and its purge first (app/repair.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QPushButton,
    QWidget,
)

from app.catalog import app_descriptions, service_titles, services_of
from app.delivery import DeliveryResult, DeliveryRunner
from app.errors import NotRepairableError, TouchpointError
from app.i18n import pick
from app.repair import RepairPlan, plan_repair, run_or_repair
from ui.context import UiContext
from ui.labels import action_hint, action_label
from ui.tasks import TaskGroup
from ui.usertext import technical_sentence
from ui.widgets.build import labelled
from ui.widgets.replace_card import ReplaceCard

translate = QCoreApplication.translate
DESC_ROLE = Qt.ItemDataRole.UserRole + 1  # an app item: UserRole its id, this its description


def combo_value(combo: QComboBox) -> str:
    """The id behind an editable combo: the chosen item's, or the free text typed in."""
    text = combo.currentText().strip()
    i = combo.currentIndex()
    if i >= 0 and combo.itemText(i) == combo.currentText() and combo.itemData(i):
        return str(combo.itemData(i))
    found = combo.findText(text)
    return str(combo.itemData(found)) if found >= 0 and combo.itemData(found) else text


class ServicePicker(QGroupBox):
    failed = Signal(str)  # the list could not be had: the backend's error
    run_requested = Signal()  # Repair chose the install: run it (as the Run button does)

    def __init__(self, ctx: UiContext, tasks: TaskGroup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self._wanted: str | None = None  # a service asked for before its list was there
        sform = QFormLayout(self)
        self.app_combo = QComboBox(self)
        self.app_combo.setObjectName("tester-app")
        self.app_combo.setEditable(True)
        self.service_combo = QComboBox(self)
        self.service_combo.setObjectName("tester-service")
        self.service_combo.setEditable(True)
        self.app_label = labelled(sform, self.app_combo)
        self.service_label = labelled(sform, self.service_combo)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("tester-refresh")
        sform.addRow(self.refresh_button)
        # an install on an Unstable app: uninstall (with the purge) first (app/repair.py)
        self.repair = QCheckBox(self)
        self.repair.setObjectName("tester-repair")
        self.repair.setChecked(True)
        sform.addRow(self.repair)
        # the app needs repair on the card last delivered to: its one action, Repair
        self.states: dict[str, str] = {}  # that card's apps' states, per the backend
        self.repair_button = QPushButton(self)
        self.repair_button.setObjectName("tester-repair-now")
        self.repair_button.hide()
        self.repair_button.clicked.connect(self._repair)
        sform.addRow(self.repair_button)
        self.replace_card = ReplaceCard(ctx, self)  # the card left mid-delivery
        sform.addRow(self.replace_card)
        self.refresh_button.clicked.connect(self.refresh)
        self.app_combo.currentIndexChanged.connect(self._app_chosen)
        self.app_combo.currentIndexChanged.connect(self._show_repair)

    @property
    def app_id(self) -> str:
        return combo_value(self.app_combo)

    @property
    def service_id(self) -> str:
        return combo_value(self.service_combo)

    async def deliver(self, client: Any, reader: Any, ident: Any, app_id: str, service_id: str,
                      on_runner: Callable[[DeliveryRunner], None], **kw: Any) -> DeliveryResult:
        """The service, or the repair ending with it (an install on an Unstable app, when
        the box is ticked): a new runner per delivery, handed to `on_runner` (for Cancel)."""
        i = self.app_combo.findData(app_id)
        desc = self.app_combo.itemData(i, DESC_ROLE) if i >= 0 and self.repair.isChecked() \
            else None

        def run(a: str, s: str) -> Awaitable[DeliveryResult]:
            runner = DeliveryRunner(client, reader, ident, **kw)
            runner.on_card_gone = self.replace_card.wait
            on_runner(runner)
            return runner.run(a, s)
        result = await run_or_repair(lambda: client.device_apps(ident.cin_hex), app_id,
                                     desc if isinstance(desc, dict) else None, service_id, run)
        self.tasks.spawn(self._read_states(client, ident.cin_hex))  # not holding up the result
        return result

    async def _read_states(self, client: Any, cin_hex: str) -> None:
        """What the card's apps need now (Repair, for an Unstable one)."""
        with contextlib.suppress(TouchpointError):
            self.note_states(await client.device_apps(cin_hex))

    # -- repair -----------------------------------------------------------------------------
    def note_states(self, states: dict[str, str]) -> None:
        self.states = dict(states)
        self._show_repair()

    def _show_repair(self, _index: int = 0) -> None:
        self.repair_button.setVisible(self.states.get(self.app_id) == "Unstable")

    def repair_plan(self) -> RepairPlan:
        """The chosen app's repair, ending with the chosen install (else its first)."""
        i = self.app_combo.findData(self.app_id)
        desc = self.app_combo.itemData(i, DESC_ROLE) if i >= 0 else None
        desc = desc if isinstance(desc, dict) else {}
        try:
            return plan_repair(self.app_id, desc, self.service_id)
        except NotRepairableError:  # the service chosen is no install: the app's first
            return plan_repair(self.app_id, desc)

    def _repair(self) -> None:
        try:
            plan = self.repair_plan()
        except TouchpointError as exc:
            self.failed.emit(technical_sentence(exc, str(exc)))
            return
        self.repair.setChecked(True)  # the install on an Unstable app: uninstall it first
        self._choose_service(plan.install)
        self.run_requested.emit()

    def refresh(self) -> None:
        self.tasks.spawn(self._refresh_async())

    async def _refresh_async(self) -> None:
        try:
            descriptions = await app_descriptions(await self.ctx.client())
        except TouchpointError as exc:
            self.failed.emit(technical_sentence(exc))
            return
        current = self.app_id
        self.app_combo.blockSignals(True)
        self.app_combo.clear()
        for app_id, desc in descriptions.items():
            name = pick(desc.get("name"), self.ctx.lang) or app_id
            self.app_combo.addItem(name, app_id)
            i = self.app_combo.count() - 1
            self.app_combo.setItemData(i, desc, DESC_ROLE)
            self.app_combo.setItemData(i, f"{name} ({app_id})", Qt.ItemDataRole.ToolTipRole)
        self.app_combo.blockSignals(False)
        i = self.app_combo.findData(current)
        self.app_combo.setCurrentIndex(i if i >= 0 else 0)
        await self._fill_services()

    def _app_chosen(self, _index: int = 0) -> None:
        self.service_combo.clear()  # never the last app's services under this app's name
        self.tasks.spawn(self._fill_services())

    async def _fill_services(self) -> None:
        app_id = self.app_id
        i = self.app_combo.currentIndex()
        desc = self.app_combo.itemData(i, DESC_ROLE) if i >= 0 else None
        sids: dict[str, str] = services_of(desc) if isinstance(desc, dict) else {}
        client = self.ctx.client_now()
        titles: dict[str, str] = {}
        if client is not None and app_id:
            with contextlib.suppress(TouchpointError):
                for sid in await client.list_services(app_id):
                    sids.setdefault(sid, "")
            with contextlib.suppress(TouchpointError):
                titles = await service_titles(client, app_id, list(sids), self.ctx.lang)
        if app_id != self.app_id:
            return
        self.service_combo.clear()
        for sid, kind in sids.items():
            title = titles.get(sid) or (f"{action_label(kind)} ({sid})" if kind else sid)
            self.service_combo.addItem(title, sid)
            self.service_combo.setItemData(self.service_combo.count() - 1, sid,
                                           Qt.ItemDataRole.ToolTipRole)
        if self._wanted is not None:
            self._choose_service(self._wanted)

    def select(self, app_id: str, service_id: str) -> None:
        """Chooses by ids (tests and scripts); an id not listed is typed in as free text."""
        self._wanted = service_id  # kept for the list the app choice is about to bring
        i = self.app_combo.findData(app_id)
        if i >= 0:
            self.app_combo.setCurrentIndex(i)
        else:
            self.app_combo.setCurrentText(app_id)
        self._choose_service(service_id)

    def _choose_service(self, service_id: str) -> None:
        i = self.service_combo.findData(service_id)
        if i >= 0:
            self.service_combo.setCurrentIndex(i)
            self._wanted = None
        else:
            self.service_combo.setCurrentText(service_id)

    def retranslate(self) -> None:
        self.setTitle(translate("TesterPanel", "Service"))
        self.app_label.setText(translate("TesterPanel", "Application"))
        self.service_label.setText(translate("TesterPanel", "Service"))
        self.refresh_button.setText(translate("TesterPanel", "Refresh the list"))
        self.repair.setText(translate("TesterPanel", "Repair an app that needs it "
                                                     "(uninstall, then install)"))
        self.repair_button.setText(action_label("repair"))
        self.repair_button.setAccessibleName(action_label("repair"))
        self.repair_button.setAccessibleDescription(action_hint("repair"))
