"""The tester's GlobalPlatformPro log buttons: save the trace as `gp -d` prints it, open one
(a colleague's), and replay it against the card in the active reader (app/gpptrace.py).

A log keeps commands with their answers, so Save writes the whole trace, not
the filtered rows, and says so. Replay shows its own exchanges in the trace
table as they happen and ends with the comparison (a secure channel cannot
be replayed: the report says where and why it stopped).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QLabel, QVBoxLayout, QWidget

from app import gpptrace
from app.errors import TouchpointError
from app.trace import Trace
from ui.usertext import file_technical_sentence, technical_sentence
from ui.widgets.build import button_row

if TYPE_CHECKING:
    from ui.tester.panel import TesterPanel

translate = QCoreApplication.translate


class GppTools(QWidget):
    def __init__(self, panel: TesterPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.records: list[gpptrace.Record] | None = None  # the log opened last
        self.report: gpptrace.ReplayReport | None = None
        self.replaying = False
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        row, (self.save_button, self.open_button, self.replay_button) = button_row(
            self, "trace-save-gpp", "trace-open-gpp", "trace-replay")
        row.addStretch(1)
        col.addLayout(row)
        self.status = QLabel(self)
        self.status.setObjectName("trace-gpp-status")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        self.save_button.clicked.connect(lambda: self._choose(save=True))
        self.open_button.clicked.connect(lambda: self._choose(save=False))
        self.replay_button.clicked.connect(self.replay)
        self.retranslate()

    def _choose(self, save: bool) -> None:
        title = (translate("GppTools", "Save the trace as a GlobalPlatformPro log") if save
                 else translate("GppTools", "Open a GlobalPlatformPro log"))
        dialog = QFileDialog(self, title)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save
                             else QFileDialog.AcceptMode.AcceptOpen)
        dialog.setNameFilter(translate("GppTools", "GlobalPlatformPro log (*.txt *.log)"))
        if save:
            dialog.setDefaultSuffix("txt")
        dialog.fileSelected.connect(self.save if save else self.open)
        dialog.open()  # not exec(): a nested loop would stall the asyncio tasks

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def save(self, path: str) -> Path | None:
        entries = self.panel.trace.entries
        try:
            saved = gpptrace.save(entries, path)
        except OSError as exc:
            self._say(file_technical_sentence("gpp-not-saved", str(path), exc))
            return None
        n = sum(1 for e in entries if e.direction == ">>")
        self._say(translate("GppTools", "Saved %1 exchanges to %2 (the whole trace: a log keeps "
                                        "each command with its answer).")
                  .replace("%1", str(n)).replace("%2", str(saved)))
        return saved

    def open(self, path: str) -> bool:
        try:
            records = gpptrace.load(path)
        except gpptrace.GppFormatError as exc:
            self._say(file_technical_sentence("not-gpp", path, exc))
            return False
        except TouchpointError as exc:  # not there, not readable
            self._say(file_technical_sentence("unreadable", path, exc))
            return False
        self.records = records
        self._show(gpptrace.to_trace(records))
        n = sum(1 for r in records if r.note is None)
        self._say(translate("GppTools", "Opened %1 exchanges from %2. Replay sends them to the "
                                        "card.").replace("%1", str(n)).replace("%2", path))
        return True

    def _show(self, trace: Trace) -> None:
        self.panel.trace = trace
        self.panel.tabs.clear()
        for entry in trace.entries:
            self.panel.model.append(entry)

    def replay(self) -> None:
        self.panel.tasks.spawn(self.replay_async())

    async def replay_async(self) -> gpptrace.ReplayReport | None:
        panel = self.panel
        if self.replaying or panel.runner is not None:
            self._say(translate("GppTools", "Wait for the run to end."))
            return None
        records = self.records or gpptrace.records_of(panel.trace.entries)
        if not any(r.note is None for r in records):
            self._say(translate("GppTools", "Nothing to replay: open a GlobalPlatformPro log "
                                            "or run a service first."))
            return None
        hub = panel.ctx.hub
        if not hub.present():
            self._say(translate("GppTools", "No card in %1.").replace("%1", hub.active))
            return None
        self.replaying = True
        self.replay_button.setEnabled(False)
        trace = Trace()
        panel.trace = trace
        panel.tabs.clear()
        trace.subscribe(panel.model.append)
        self._say(translate("GppTools", "Replaying %1 commands…")
                  .replace("%1", str(sum(1 for r in records if r.note is None))))
        try:
            self.report = await gpptrace.replay(hub.reader(), records, observer=trace.record)
            trace.flush()
        except TouchpointError as exc:
            self._say(technical_sentence(exc))
            return None
        finally:
            self.replaying = False
            self.replay_button.setEnabled(True)
        self._say(translate("GppTools", "Replay: %1").replace("%1", self.report.summary()))
        return self.report

    def retranslate(self) -> None:
        self.save_button.setText(translate("GppTools", "Save as GPPro log…"))
        self.open_button.setText(translate("GppTools", "Open a GPPro log…"))
        self.replay_button.setText(translate("GppTools", "Replay on the card"))
        self.replay_button.setToolTip(translate(
            "GppTools", "Sends the opened log's commands (or this trace's) to the card and "
                        "compares the answers"))
