"""User actions a service asks for (a phone call to make, ...): shown, then acknowledged.

`ask()` shows the actions of one `action` operation and resolves True when the
user presses Done, False on Cancel (or cancel() from outside: card removed,
idle reset). Each action shows its description and, for a phone call, the
number to call (fdsm processUserAction shows the same two texts).
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.description import UserAction


class ActionsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("user-actions")
        self.shown: tuple[UserAction, ...] = ()
        self.language: str | None = None
        self._answer: asyncio.Future[bool] | None = None
        col = QVBoxLayout(self)
        col.setSpacing(12)
        self.list = QVBoxLayout()
        col.addLayout(self.list)
        col.addStretch(1)
        row = QHBoxLayout()
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("actions-cancel")
        self.done_button = QPushButton(self)
        self.done_button.setObjectName("actions-done")
        self.done_button.setProperty("kind", "primary")
        self.cancel_button.clicked.connect(lambda: self._resolve(False))
        self.done_button.clicked.connect(lambda: self._resolve(True))
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addWidget(self.done_button)
        col.addLayout(row)
        self._labels: list[QLabel] = []
        self.retranslate()

    def show_actions(self, actions: tuple[UserAction, ...], language: str | None) -> None:
        self.shown = actions
        self.language = language
        for label in self._labels:
            self.list.removeWidget(label)
            label.deleteLater()
        self._labels = []
        for i in range(len(actions)):
            label = QLabel(self)
            label.setObjectName(f"user-action-{i}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.list.addWidget(label)
            self._labels.append(label)
        self.relabel(language)

    def relabel(self, language: str | None) -> None:
        self.language = language
        self.cancel_button.setText(self.tr("Cancel"))
        self.done_button.setText(self.tr("Done"))
        for label, action in zip(self._labels, self.shown, strict=True):
            label.setText("\n".join(self.lines(action)))
            label.setAccessibleName(label.text())

    def lines(self, action: UserAction) -> list[str]:
        out = [t for t in (action.description.pick(self.language),) if t]
        if action.phone_number is not None:
            out.append(self.tr("Please call %1").replace("%1", action.phone_number))
        return out or [action.name]

    def retranslate(self) -> None:
        self.relabel(self.language)

    async def ask(self, actions: tuple[UserAction, ...], language: str | None) -> bool:
        self.show_actions(actions, language)
        self.cancel()
        self._answer = asyncio.get_running_loop().create_future()
        self.done_button.setFocus(Qt.FocusReason.OtherFocusReason)
        try:
            return await self._answer
        finally:
            self._answer = None

    async def ask_shown(self, actions: tuple[UserAction, ...], language: str | None) -> bool:
        """ask(), the view shown only while it waits (panels that keep it hidden)."""
        self.show()
        try:
            return await self.ask(actions, language)
        finally:
            self.hide()

    @property
    def waiting(self) -> bool:
        return self._answer is not None and not self._answer.done()

    def _resolve(self, value: bool) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(value)

    def cancel(self) -> None:
        self._resolve(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
