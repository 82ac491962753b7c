"""The tester's right side, in tabs: the APDU trace (filter, copy, save what is shown), the
HTTP exchanges (save as HAR) and the runs kept (ui/tester/runsview.py).

Extra panes go in with one line: a pane beside the trace table into
`trace_split` (a QSplitter), a whole view as a tab (`addTab`).

The tables show models the panel fills (ui/tester/models.py); the texts are
in the panel's translation context ("TesterPanel"), where its .ts entries are.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.trace import TraceEntry
from ui.tester.detail import ApduDetail
from ui.tester.models import ExchangeModel, TraceFilter, TraceModel
from ui.tester.runsview import RunsPage
from ui.widgets.build import button_row, rows_table

translate = QCoreApplication.translate


class TraceTabs(QTabWidget):
    """The trace table with its filter and buttons; the HTTP exchanges with the one chosen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tester-tabs")
        trace_page = QWidget()
        tcol = self.trace_column = QVBoxLayout(trace_page)
        frow = QHBoxLayout()
        self.filter_edit = QLineEdit(trace_page)
        self.filter_edit.setObjectName("trace-filter")
        self.filter_edit.setClearButtonEnabled(True)
        self.direction_combo = QComboBox(trace_page)
        self.direction_combo.setObjectName("trace-direction")
        frow.addWidget(self.filter_edit, 1)
        frow.addWidget(self.direction_combo)
        tcol.addLayout(frow)
        self.model = TraceModel(self)
        self.proxy = TraceFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = rows_table(trace_page, "trace-table", self.proxy, stretch=3)
        self.table.setWordWrap(False)
        self.detail = ApduDetail(trace_page)  # the selected row's exchange, explained
        tsplit = QSplitter(Qt.Orientation.Vertical, trace_page)
        tsplit.addWidget(self.table)
        tsplit.addWidget(self.detail)
        self.trace_split = QSplitter(Qt.Orientation.Horizontal, trace_page)
        self.trace_split.setObjectName("trace-split")
        self.trace_split.setChildrenCollapsible(False)
        self.trace_split.addWidget(tsplit)
        tcol.addWidget(self.trace_split, 1)
        trow, (self.copy_button, self.save_text_button, self.save_json_button,
               self.clear_button) = button_row(trace_page, "trace-copy", "trace-save-text",
                                               "trace-save-json", "trace-clear")
        trow.addStretch(1)
        tcol.addLayout(trow)
        http_page = QWidget()
        hcol = QVBoxLayout(http_page)
        self.http_model = ExchangeModel(self)
        self.http_table = rows_table(http_page, "http-table", self.http_model, stretch=2)
        self.http_detail = QPlainTextEdit(http_page)
        self.http_detail.setObjectName("http-detail")
        self.http_detail.setReadOnly(True)
        split = QSplitter(Qt.Orientation.Vertical, http_page)
        split.addWidget(self.http_table)
        split.addWidget(self.http_detail)
        hcol.addWidget(split)
        hrow, (self.save_har_button,) = button_row(http_page, "http-save-har")
        hrow.addStretch(1)
        hcol.addLayout(hrow)
        self.runs_page = RunsPage()
        self.addTab(trace_page, "")
        self.addTab(http_page, "")
        self.addTab(self.runs_page, "")
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.direction_combo.currentIndexChanged.connect(
            lambda i: self.proxy.set_direction(self.direction_combo.itemData(i)))
        self.copy_button.clicked.connect(self.copy_selection)
        for changed in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                        self.proxy.layoutChanged):  # the Save tooltips say how many are shown
            changed.connect(lambda *_: self._save_tips())
        self.http_table.selectionModel().currentRowChanged.connect(self._show_exchange)
        QShortcut(QKeySequence.StandardKey.Copy, self.table, self.copy_selection)
        self.detail.follow(self.table, self.proxy, self.model)

    def visible_entries(self) -> list[TraceEntry]:
        out = []
        for row in range(self.proxy.rowCount()):
            out.append(self.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole))
        return out

    def copy_selection(self) -> str:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows:
            rows = list(range(self.proxy.rowCount()))
        lines = []
        for row in rows:
            src = self.proxy.mapToSource(self.proxy.index(row, 0))
            e = self.model.entries[src.row()]
            lines.append("\t".join(self.model.cells(e)))
        text = "\n".join(lines)
        QGuiApplication.clipboard().setText(text)
        return text

    def select_rows(self, rows: list[int]) -> None:
        sel = self.table.selectionModel()
        sel.clearSelection()
        for row in rows:
            sel.select(self.proxy.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                       | QItemSelectionModel.SelectionFlag.Rows)

    def clear(self) -> None:
        self.model.clear()
        self.http_model.clear()
        self.http_detail.clear()

    def show_rows(self, entries: list[TraceEntry], exchanges: list[Any]) -> None:
        """Shows one run: its trace and its HTTP exchanges (the filter stays as it is)."""
        self.model.set_rows(entries)
        self.http_model.set_rows(exchanges)
        self.http_detail.clear()
        self._save_tips()

    def _save_tips(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        tip = (translate("TesterPanel", "Saves the %1 rows the filter shows (of %2)")
               if shown != total else translate("TesterPanel", "Saves all %1 rows")
               ).replace("%1", str(shown)).replace("%2", str(total))
        self.save_text_button.setToolTip(tip)
        self.save_json_button.setToolTip(tip)

    def _show_exchange(self, current: Any, _previous: Any) -> None:
        ex = self.http_model.data(self.http_model.index(current.row(), 0),
                                  Qt.ItemDataRole.UserRole)
        if ex is None:
            self.http_detail.clear()
            return
        status = "—" if ex.status is None else str(ex.status)
        self.http_detail.setPlainText(
            f"{ex.method} {ex.path}\n\n{ex.request_body}\n\n→ {status}\n\n{ex.response_body}")

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(
            translate("TesterPanel", "Filter (command, data, status word…)"))
        self.filter_edit.setAccessibleName(translate("TesterPanel", "Filter the trace"))
        current = self.direction_combo.currentIndex()
        self.direction_combo.blockSignals(True)
        self.direction_combo.clear()
        self.direction_combo.addItem(translate("TesterPanel", "All"), None)
        self.direction_combo.addItem(translate("TesterPanel", "Commands"), ">>")
        self.direction_combo.addItem(translate("TesterPanel", "Answers"), "<<")
        self.direction_combo.addItem(translate("TesterPanel", "Notes"), "--")
        self.direction_combo.setCurrentIndex(max(0, current))
        self.direction_combo.blockSignals(False)
        self.direction_combo.setAccessibleName(translate("TesterPanel", "Direction"))
        self.copy_button.setText(translate("TesterPanel", "Copy"))
        self.save_text_button.setText(translate("TesterPanel", "Save shown as text…"))
        self.save_json_button.setText(translate("TesterPanel", "Save shown as JSON…"))
        self.save_har_button.setText(translate("TesterPanel", "Save as HAR…"))
        self.save_har_button.setToolTip(translate(
            "TesterPanel", "The HTTP exchanges of the run shown, as a HAR 1.2 file for browser "
            "tools (tokens and Authorization headers masked)"))
        self._save_tips()
        self.clear_button.setText(translate("TesterPanel", "Clear"))
        self.table.setAccessibleName(translate("TesterPanel", "APDU trace"))
        self.http_table.setAccessibleName(translate("TesterPanel", "HTTP exchanges"))
        self.setTabText(0, translate("TesterPanel", "APDU trace"))
        self.setTabText(1, translate("TesterPanel", "HTTP exchanges"))
        self.setTabText(2, translate("TesterPanel", "Runs"))
        self.runs_page.retranslate()
        self.model.retranslate()
        self.http_model.retranslate()
        self.detail.retranslate()
        self._size_columns()

    def _size_columns(self) -> None:
        """Fixed widths (measuring every row on each append would be quadratic) that fit the
        header in the current language; the data column takes the rest, and every cell shows
        its whole text as a tooltip."""
        fm = self.table.fontMetrics()
        headers = self.model.headers()
        samples = {0: "00:00:00.000", 1: "from card", 2: "GET DATA [CPLC]", 4: "6A82 not found",
                   5: "00.00"}
        for column, sample in samples.items():
            width = max(fm.horizontalAdvance(sample), fm.horizontalAdvance(headers[column]) + 8)
            self.table.setColumnWidth(column, width + 16)
        http_headers = self.http_model.headers()
        for column, sample in {0: "00:00:00.000", 1: "POST", 3: "200", 4: "0000.0"}.items():
            width = max(fm.horizontalAdvance(sample), fm.horizontalAdvance(http_headers[column]))
            self.http_table.setColumnWidth(column, width + 24)
