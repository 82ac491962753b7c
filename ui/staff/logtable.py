"""The staff station's table of cards done: one row per card, newest at the bottom."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.delivery import Outcome
from app.personalisation import BatchLog, BatchRow
from ui.labels import outcome_short

translate = QCoreApplication.translate


class LogTable(QTableWidget):
    """Time, card, result, seconds and message of each card (texts in StaffPanel's context)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("staff-log")
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

    def add(self, row: BatchRow) -> None:
        n = self.rowCount()
        self.insertRow(n)
        stamp = time.strftime("%H:%M:%S", time.localtime(row.time))
        shown = outcome_short(Outcome(row.result)) if row.result in Outcome._value2member_map_ \
            else translate("StaffPanel", "Skipped") if row.result == "skipped" else row.result
        for c, text in enumerate((stamp, row.cin, shown, f"{row.seconds:.1f}", row.message)):
            self.setItem(n, c, QTableWidgetItem(text))
        self.scrollToBottom()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([
            translate("StaffPanel", "Time"), translate("StaffPanel", "Card (CIN)"),
            translate("StaffPanel", "Result"), translate("StaffPanel", "Seconds"),
            translate("StaffPanel", "Message")])


def totals_text(log: BatchLog) -> str:
    """"Cards: N" is the table's row count; cards/min only once it means something."""
    c = log.counts()
    text = (translate("StaffPanel", "Cards: %1 · OK: %2 · Failed: %3 · Skipped: %4")
            .replace("%1", str(len(log.rows))).replace("%2", str(c["ok"]))
            .replace("%3", str(c["failed"])).replace("%4", str(c["skipped"])))
    rate = log.cards_per_minute()
    if rate is not None:
        text += translate("StaffPanel", " · %1 cards/min").replace("%1", f"{rate:.1f}")
    return text
