"""The tester's detail pane: the selected trace row's exchange, explained (app/apdudecode.py).

Left: the whole command and answer in hex with an ASCII column. Right: the
header fields, the command's data and the answer as trees; a value too long
for its column shows whole when hovered.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.apdudecode import Explained, exchange_at, hex_dump
from app.tlvexplain import Node
from ui.tester.models import TraceModel

translate = QCoreApplication.translate
_TIP_WIDTH = 64
_HEX_WIDTH = 8  # bytes per line: the dump stays narrow and the tree gets the width


def _tip(text: str) -> str:
    """Long hex has no spaces to wrap at: cut it into lines for the tooltip."""
    return "\n".join(text[i:i + _TIP_WIDTH] for i in range(0, len(text), _TIP_WIDTH))


def _item(parent: QTreeWidget | QTreeWidgetItem, node: Node) -> QTreeWidgetItem:
    item = QTreeWidgetItem(parent, [node.label, node.value])
    item.setToolTip(0, node.label)
    item.setToolTip(1, _tip(node.value))
    for child in node.children:
        _item(item, child)
    return item


class ApduDetail(QWidget):
    """Shows one exchange; `follow` ties it to the trace table's current row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("apdu-detail")
        self.explained: Explained | None = None
        self._model: TraceModel | None = None
        self._proxy: QSortFilterProxyModel | None = None
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        self.title.setObjectName("apdu-title")
        self.title.setWordWrap(True)
        col.addWidget(self.title)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.hex = QPlainTextEdit(split)
        self.hex.setObjectName("apdu-hex")
        self.hex.setReadOnly(True)
        self.hex.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.hex.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.tree = QTreeWidget(split)
        self.tree.setObjectName("apdu-tree")
        self.tree.setColumnCount(2)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        digits = self.hex.fontMetrics().horizontalAdvance("0" * (10 + 4 * _HEX_WIDTH))
        self.hex.setMinimumWidth(digits + 24)  # offset, hex and ASCII without scrolling
        split.addWidget(self.hex)
        split.addWidget(self.tree)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        col.addWidget(split, 1)
        self.retranslate()

    def follow(self, table: QTableView, proxy: QSortFilterProxyModel, model: TraceModel) -> None:
        self._model, self._proxy = model, proxy
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        model.modelReset.connect(self.clear)

    def _current_changed(self, current: QModelIndex, _previous: Any = None) -> None:
        if self._model is None or self._proxy is None or not current.isValid():
            self.clear()
            return
        self.show_row(self._proxy.mapToSource(current).row())

    def show_row(self, row: int) -> None:
        """Explains source row `row` of the trace model (a command or its answer)."""
        explained = exchange_at(self._model.entries, row) if self._model is not None else None
        if explained is None:
            self.clear()
        else:
            self.show_explained(explained)

    def show_explained(self, e: Explained) -> None:
        self.explained = e
        self.title.setText(translate("ApduDetail", "%1 — secure channel: %2")
                           .replace("%1", e.name).replace("%2", e.session))
        parts = [translate("ApduDetail", "Command"), hex_dump(e.command, _HEX_WIDTH), ""]
        if e.answer is None:
            parts.append(translate("ApduDetail", "No answer"))
        else:
            parts += [translate("ApduDetail", "Answer"), hex_dump(e.answer, _HEX_WIDTH)]
        self.hex.setPlainText("\n".join(parts))
        self.tree.clear()
        for title, nodes in ((translate("ApduDetail", "Header"), e.header),
                             (translate("ApduDetail", "Command data"), e.command_tree),
                             (translate("ApduDetail", "Answer"), e.answer_tree)):
            if not nodes and e.command_tree is nodes:
                continue  # a command without data: no empty group
            top = QTreeWidgetItem(self.tree, [title, ""])
            for node in nodes:
                _item(top, node)
            top.setExpanded(True)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)  # but never more than 45 % of the tree
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0),
                                        max(160, int(self.tree.viewport().width() * 0.45))))

    def clear(self) -> None:
        self.explained = None
        self.hex.clear()
        self.tree.clear()
        self.title.setText(translate("ApduDetail",
                                     "Select a row of the trace to see its APDU explained."))

    def rows(self) -> list[tuple[int, str, str]]:
        """The tree as (depth, field, value), for tests and copying."""
        out: list[tuple[int, str, str]] = []

        def walk(item: QTreeWidgetItem | None, depth: int) -> None:
            if item is None:
                return
            out.append((depth, item.text(0), item.text(1)))
            for i in range(item.childCount()):
                walk(item.child(i), depth + 1)

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i), 0)
        return out

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([translate("ApduDetail", "Field"),
                                   translate("ApduDetail", "Value")])
        self.tree.setAccessibleName(translate("ApduDetail", "APDU fields"))
        self.hex.setAccessibleName(translate("ApduDetail", "APDU in hex"))
        if self.explained is not None:
            self.show_explained(self.explained)
        else:
            self.clear()
