"""The tester's Save buttons: the trace as the filter shows it (text or JSON, with a header
saying what was left out) and the HTTP exchanges as HAR. Texts in the panel's context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

from app import har
from app.traceexport import ShownHeader, save_shown
from ui.usertext import file_technical_sentence

translate = QCoreApplication.translate


def choose(panel: Any, kind: str) -> None:
    title = (translate("TesterPanel", "Save the HTTP exchanges") if kind == "har"
             else translate("TesterPanel", "Save the trace as the filter shows it"))
    dialog = QFileDialog(panel, title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    filters = {"json": translate("TesterPanel", "JSON (*.json)"),
               "har": translate("TesterPanel", "HAR (*.har)")}
    dialog.setNameFilter(filters.get(kind, translate("TesterPanel", "Text (*.txt)")))
    dialog.setDefaultSuffix(kind)
    dialog.fileSelected.connect(lambda path: save_har(panel, path) if kind == "har"
                                else save_trace(panel, path, kind))
    dialog.open()  # not exec(): a nested loop would stall the asyncio tasks


def shown_header(panel: Any) -> ShownHeader:
    run = panel.shown
    what = (f"run {run.number}: {run.service_label} ({run.app_id}/{run.service_id})"
            + (f" on card {run.card}" if run.card else "") if run is not None else "")
    return ShownHeader(what, panel.filter_edit.text().strip(), panel.tabs.proxy.direction,
                       panel.tabs.proxy.rowCount(), panel.model.rowCount())


def save_trace(panel: Any, path: str, kind: str | None = None) -> Path | None:
    target = Path(path)
    kind = kind or ("json" if target.suffix.lower() == ".json" else "txt")
    if kind == "json" and target.suffix.lower() != ".json":
        target = target.with_suffix(".json")
    header = shown_header(panel)
    try:
        saved = save_shown(target, panel.visible_entries(), header, kind)
    except OSError as exc:
        panel.status.setText(file_technical_sentence("trace-not-saved", str(target), exc))
        return None
    done = translate("TesterPanel", "%1 of %2 trace rows (as the filter shows them) saved to %3")
    panel.status.setText(done.replace("%1", str(header.shown)).replace("%2", str(header.total))
                         .replace("%3", str(saved)))
    return saved


def save_har(panel: Any, path: str) -> Path | None:
    target = Path(path)
    if target.suffix.lower() != ".har":
        target = target.with_suffix(".har")
    client = panel.ctx.client_now()
    run = panel.shown
    exchanges = panel.http_model.exchanges
    try:
        saved = har.save(target, exchanges, client.base_url if client is not None else "",
                         f"run {run.number}: {run.service_label}" if run else "")
    except OSError as exc:
        panel.status.setText(file_technical_sentence("har-not-saved", str(target), exc))
        return None
    done = translate("TesterPanel", "%1 HTTP exchanges saved to %2 (HAR)")
    panel.status.setText(done.replace("%1", str(len(exchanges))).replace("%2", str(saved)))
    return saved
