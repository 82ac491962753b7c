"""The reader list: live as readers come and go and cards are put on and taken off.

The virtual card is always there, with buttons to take it away, put it back
and present a fresh card, so a tester or staff member can rehearse without
hardware.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.readers.base import ReaderKind
from ui.readers import ReaderHub


class ReaderPanel(QWidget):
    def __init__(self, hub: ReaderHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        self.title.setProperty("role", "title")
        self.list = QListWidget(self)
        self.list.setObjectName("reader-list")
        self.list.setMinimumHeight(96)
        self.list.currentItemChanged.connect(self._chosen)
        col.addWidget(self.title)
        col.addWidget(self.list)
        row = QHBoxLayout()
        self.put_button = QPushButton(self)
        self.put_button.setObjectName("virtual-put")
        self.take_button = QPushButton(self)
        self.take_button.setObjectName("virtual-take")
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("virtual-new")
        for b in (self.put_button, self.take_button, self.new_button):
            row.addWidget(b)
        col.addLayout(row)
        self.put_button.clicked.connect(self._put)
        self.take_button.clicked.connect(self._take)
        self.new_button.clicked.connect(self._new)
        hub.readers_changed.connect(self.refresh)
        # bound methods, not lambdas: Qt drops these connections with the panel
        hub.card_changed.connect(self._card_changed)
        hub.active_changed.connect(self._active_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Readers"))
        self.list.setAccessibleName(self.tr("Readers"))
        self.put_button.setText(self.tr("Put virtual card"))
        self.take_button.setText(self.tr("Take virtual card away"))
        self.new_button.setText(self.tr("New virtual card"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for slot in self.hub.slots():
            state = self.tr("card present") if slot.present else self.tr("no card")
            mark = "●" if slot.present else "○"
            shown = self.tr("Virtual card (cardsim)") if slot.kind is ReaderKind.VIRTUAL \
                else slot.name  # a real reader's name is its driver's, in no language
            item = QListWidgetItem(f"{mark}  {shown}  ({state})")
            item.setData(Qt.ItemDataRole.UserRole, slot.name)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{shown}, {state}")
            self.list.addItem(item)
            if slot.name == self.hub.active:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        virtual = next(s for s in self.hub.slots() if s.kind is ReaderKind.VIRTUAL)
        self.put_button.setEnabled(not virtual.present)
        self.take_button.setEnabled(virtual.present)

    def _card_changed(self, _name: str, _present: bool) -> None:
        self.refresh()

    def _active_changed(self, _name: str) -> None:
        self.refresh()

    def item_text(self, name: str) -> str:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                return item.text()
        return ""

    def _chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.hub.set_active(item.data(Qt.ItemDataRole.UserRole))

    @asyncSlot()
    async def _put(self) -> None:
        await self.hub.insert_virtual()

    @asyncSlot()
    async def _take(self) -> None:
        await self.hub.remove_virtual()

    @asyncSlot()
    async def _new(self) -> None:
        await self.hub.new_virtual_card()
