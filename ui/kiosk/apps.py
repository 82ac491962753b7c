"""The card's applications: a tile per app, and a way to finish."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.catalog import AppEntry
from ui.images import ImageCache
from ui.widgets.appgrid import AppGrid


class AppsScreen(QWidget):
    opened = Signal(object)  # AppEntry
    finished = Signal()

    def __init__(self, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("apps")
        col = QVBoxLayout(self)
        col.setContentsMargins(32, 12, 32, 24)
        col.setSpacing(12)
        top = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.card_label = QLabel(self)
        self.card_label.setProperty("role", "muted")
        self.card_label.setObjectName("card-cin")
        self.card_label.hide()  # a visitor has no use for the card's id; the staff log shows it
        self.finish_button = QPushButton(self)
        self.finish_button.setObjectName("finish")
        self.finish_button.clicked.connect(self.finished)
        top.addWidget(self.title, 1)
        top.addWidget(self.card_label, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.finish_button)
        col.addLayout(top)
        self.empty = QLabel(self)
        self.empty.setProperty("role", "subtitle")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.grid = AppGrid(images, self)
        self.grid.setObjectName("app-grid")
        self.grid.opened.connect(self.opened)
        col.addWidget(self.empty)
        col.addWidget(self.grid, 1)
        self._cin = ""
        self.retranslate()

    def set_card(self, printable_cin: str) -> None:
        self._cin = printable_cin
        self.retranslate()

    def set_entries(self, entries: list[AppEntry]) -> None:
        self.grid.set_entries(entries)
        self.empty.setVisible(not entries)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Applications for your card"))
        self.card_label.setText(self.tr("Card %1").replace("%1", self._cin) if self._cin else "")
        self.finish_button.setText(self.tr("Finish"))
        self.finish_button.setAccessibleName(self.tr("Finish and start over"))
        self.grid.setAccessibleName(self.tr("Applications"))
        self.finish_button.setAccessibleDescription(self.tr("Forgets your card so the next "
                                                            "person can start"))
        self.grid.setAccessibleDescription(self.tr("Choose an application to see what you can "
                                                   "do with it"))
        self.empty.setText(self.tr("No applications are available right now."))
        self.grid.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
