"""The tester's "Runs" tab: every run kept (service, card, result, duration), and two of them
side by side with the APDUs that differ highlighted (the alignment is app/runs.py's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.runs import Diff, DiffRow, Run, compare_runs
from ui.widgets.build import button_row, rows_table

Index = QModelIndex | QPersistentModelIndex
translate = QCoreApplication.translate
# highlight of a compared row, by kind (light tints: the text stays readable)
TINTS = {Diff.CHANGED: QColor("#fff1c2"), Diff.LEFT_ONLY: QColor("#ffd9d6"),
         Diff.RIGHT_ONLY: QColor("#d6f0dc")}


class _Table(QAbstractTableModel):
    HEADERS: tuple[object, ...] = ()  # English sources (QT_TRANSLATE_NOOP)

    def headers(self) -> list[str]:
        return [translate("Tester", str(h)) for h in self.HEADERS]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def _rows(self) -> list[Any]:
        raise NotImplementedError

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None


class RunsModel(_Table):
    HEADERS = (QT_TRANSLATE_NOOP("Tester", "Run"), QT_TRANSLATE_NOOP("Tester", "Started"),
               QT_TRANSLATE_NOOP("Tester", "Service"), QT_TRANSLATE_NOOP("Tester", "Card"),
               QT_TRANSLATE_NOOP("Tester", "Result"), QT_TRANSLATE_NOOP("Tester", "Seconds"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.runs: list[Run] = []

    def _rows(self) -> list[Run]:
        return self.runs

    def cells(self, r: Run) -> list[str]:
        return [str(r.number), datetime.fromtimestamp(r.started).strftime("%H:%M:%S"),
                r.service_label, r.card, r.result or translate("Tester", "running…"),
                "" if r.seconds is None else f"{r.seconds:.2f}"]

    def set_runs(self, runs: list[Run]) -> None:
        self.beginResetModel()
        self.runs = list(runs)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        run = self.runs[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(run)[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return run
        return None


class CompareModel(_Table):
    HEADERS = (QT_TRANSLATE_NOOP("Tester", "Command"), QT_TRANSLATE_NOOP("Tester", "Left APDU"),
               QT_TRANSLATE_NOOP("Tester", "Left SW"), QT_TRANSLATE_NOOP("Tester", "Right APDU"),
               QT_TRANSLATE_NOOP("Tester", "Right SW"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[DiffRow] = []

    def _rows(self) -> list[DiffRow]:
        return self.rows

    def set_rows(self, rows: list[DiffRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def cells(self, row: DiffRow) -> list[str]:
        e = row.left or row.right
        assert e is not None
        arrow = "→" if e.direction == ">>" else "←"

        def side(x: Any) -> tuple[str, str]:
            if x is None:
                return "—", ""
            return x.data.hex(" ").upper(), "" if x.sw is None else f"{x.sw:04X}"

        left, right = side(row.left), side(row.right)
        return [f"{arrow} {e.name}", left[0], left[1], right[0], right[1]]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return TINTS.get(row.kind)
        if role == Qt.ItemDataRole.ForegroundRole and row.kind in TINTS:
            return QColor("#1b1b1b")
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


class RunsPage(QWidget):
    """The runs table (pick one to show its trace, two to compare) over the comparison."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = QVBoxLayout(self)
        self.model = RunsModel(self)
        self.table = rows_table(self, "runs-table", self.model, stretch=2)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        row, (self.show_button, self.compare_button) = button_row(
            self, "runs-show", "runs-compare")
        row.addStretch(1)
        self.compare_label = QLabel(self)
        self.compare_label.setObjectName("runs-compare-label")
        self.compare_label.setWordWrap(True)
        self.compare_model = CompareModel(self)
        self.compare_table: QTableView = rows_table(self, "runs-compare-table",
                                                    self.compare_model, stretch=1)
        self.compare_table.setWordWrap(False)
        self.compare_table.horizontalHeader().setSectionResizeMode(  # both APDU columns share
            3, self.compare_table.horizontalHeader().sectionResizeMode(1))
        top = QWidget(self)
        tcol = QVBoxLayout(top)
        tcol.setContentsMargins(0, 0, 0, 0)
        tcol.addWidget(self.table, 1)
        tcol.addLayout(row)
        bottom = QWidget(self)
        bcol = QVBoxLayout(bottom)
        bcol.setContentsMargins(0, 0, 0, 0)
        bcol.addWidget(self.compare_label)
        bcol.addWidget(self.compare_table, 1)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(top)
        self.split.addWidget(bottom)
        self.split.setStretchFactor(1, 2)
        col.addWidget(self.split)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.refresh_buttons())
        self.compare_button.clicked.connect(self.compare_selected)
        self.refresh_buttons()

    def selected_runs(self) -> list[Run]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.runs[r] for r in rows]

    def refresh_buttons(self) -> None:
        chosen = self.selected_runs()
        self.show_button.setEnabled(len(chosen) == 1)
        self.compare_button.setEnabled(len(chosen) == 2 and not any(r.running for r in chosen))

    def compare_selected(self) -> list[DiffRow]:
        chosen = self.selected_runs()
        if len(chosen) != 2:
            return []
        return self.compare(chosen[0], chosen[1])

    def compare(self, left: Run, right: Run) -> list[DiffRow]:
        rows = compare_runs(left, right)
        self.compare_model.set_rows(rows)
        differ = sum(r.differs for r in rows)
        self.compare_label.setText(
            translate("TesterPanel", "Run %1 (left) against run %2 (right): %3 of %4 APDUs "
                      "differ (highlighted)")
            .replace("%1", str(left.number)).replace("%2", str(right.number))
            .replace("%3", str(differ)).replace("%4", str(len(rows))))
        self.compare_table.setColumnWidth(0, 220)
        return rows

    def retranslate(self) -> None:
        self.show_button.setText(translate("TesterPanel", "Show its trace"))
        self.compare_button.setText(translate("TesterPanel", "Compare the two selected"))
        self.compare_button.setToolTip(translate(
            "TesterPanel", "Select two finished runs (Ctrl+click) to see their APDUs side by "
            "side"))
        self.table.setAccessibleName(translate("TesterPanel", "Runs"))
        self.compare_table.setAccessibleName(translate("TesterPanel", "Compared runs"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 5)
        self.compare_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 4)
