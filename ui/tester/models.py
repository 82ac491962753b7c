"""Table models of the tester: the APDU trace and the HTTP exchanges.

Rows are appended as they happen (listeners run on the asyncio loop, which is
the Qt thread); a proxy filters by free text over every column and by
direction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from app.trace import TraceEntry
from ui.httplog import Exchange

Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


def _stamp(t: float) -> str:
    return datetime.fromtimestamp(t).strftime("%H:%M:%S.%f")[:-3]


def direction_text(direction: str) -> str:
    if direction == ">>":
        return QCoreApplication.translate("Tester", "to card")
    if direction == "<<":
        return QCoreApplication.translate("Tester", "from card")
    return QCoreApplication.translate("Tester", "note")


class _RowsModel(QAbstractTableModel, Generic[R]):
    """A read-only table of rows appended as they happen; subclasses say what a row shows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[R] = []

    HEADERS: tuple[object, ...] = ()  # English sources (QT_TRANSLATE_NOOP) of the columns

    def headers(self) -> list[str]:
        return [QCoreApplication.translate("Tester", str(h)) for h in self.HEADERS]

    def cells(self, row: R) -> list[str]:
        raise NotImplementedError

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.endResetModel()

    def set_rows(self, rows: list[R]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def append(self, row: R) -> None:
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self.rows.append(row)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.headers()) - 1)


class TraceModel(_RowsModel[TraceEntry]):
    HEADERS = (QT_TRANSLATE_NOOP("Tester", "Time"), QT_TRANSLATE_NOOP("Tester", "Direction"),
               QT_TRANSLATE_NOOP("Tester", "Command"), QT_TRANSLATE_NOOP("Tester", "Data"),
               QT_TRANSLATE_NOOP("Tester", "Status word"),
               QT_TRANSLATE_NOOP("Tester", "Duration (ms)"))

    @property
    def entries(self) -> list[TraceEntry]:
        return self.rows

    def cells(self, e: TraceEntry) -> list[str]:
        note = e.direction == "--"
        return [
            _stamp(e.time),
            direction_text(e.direction),
            e.name,
            "" if note else e.data.hex(" ").upper(),
            f"{e.sw:04X} {e.meaning}".strip() if e.sw is not None else e.meaning,
            f"{e.duration_ms:.2f}" if e.duration_ms is not None else "",
        ]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:  # long data fields: all of it on hover
            role = Qt.ItemDataRole.DisplayRole
        if (role == Qt.ItemDataRole.ForegroundRole and index.isValid()
                and index.column() == 4):
            sw = self.rows[index.row()].sw
            if sw is not None:
                ok = sw == 0x9000 or sw >> 8 == 0x61
                return QColor("#1e7b34" if ok else "#b3261e")
        return super().data(index, role)

    def retranslate(self) -> None:
        super().retranslate()
        if self.rows:  # the direction column is translated text
            self.dataChanged.emit(self.index(0, 1), self.index(len(self.rows) - 1, 1))


class TraceFilter(QSortFilterProxyModel):
    """Free text over all columns (case-insensitive) and an optional direction."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.direction: str | None = None  # ">>", "<<", "--" or None for all

    def set_text(self, text: str) -> None:
        self._change(lambda: setattr(self, "text", text.strip().casefold()))

    def set_direction(self, direction: str | None) -> None:
        self._change(lambda: setattr(self, "direction", direction))

    def _change(self, apply: Callable[[], None]) -> None:
        # Qt 6.10 replaced invalidateRowsFilter() by begin/endFilterChange()
        if hasattr(self, "endFilterChange"):
            self.beginFilterChange()
            apply()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            apply()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, TraceModel)
        e = model.entries[row]
        if self.direction and e.direction != self.direction:
            return False
        if not self.text:
            return True
        hay = " ".join(model.cells(e)).casefold() + " " + e.data.hex().casefold()
        return self.text in hay


class ExchangeModel(_RowsModel[Exchange]):
    HEADERS = (QT_TRANSLATE_NOOP("Tester", "Time"), QT_TRANSLATE_NOOP("Tester", "Method"),
               QT_TRANSLATE_NOOP("Tester", "Path"), QT_TRANSLATE_NOOP("Tester", "Status"),
               QT_TRANSLATE_NOOP("Tester", "Duration (ms)"))

    @property
    def exchanges(self) -> list[Exchange]:
        return self.rows

    def cells(self, ex: Exchange) -> list[str]:
        return [_stamp(ex.time), ex.method, ex.path,
                "—" if ex.status is None else str(ex.status), f"{ex.duration_ms:.1f}"]
