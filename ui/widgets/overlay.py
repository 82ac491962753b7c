"""In-window modal layers (never `exec()`: a nested loop would break qasync tasks).

An Overlay covers its parent, dims it, and shows one centred panel; a
coroutine that needs an answer awaits `ask()`, which resolves when a button
of the panel resolves it or the overlay is dismissed (then None).
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget


class Overlay(QWidget):
    def __init__(self, parent: QWidget, name: str = "overlay") -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAccessibleName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.panel = QFrame(self)
        self.panel.setProperty("role", "dialog")
        self.panel.setObjectName(f"{name}-panel")
        self.body = QVBoxLayout(self.panel)
        self.body.setContentsMargins(32, 28, 32, 28)
        self.body.setSpacing(18)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self._future: asyncio.Future[Any] | None = None
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if watched is parent and parent is not None and event.type() == QEvent.Type.Resize:
            self.setGeometry(parent.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0, 170))
        p.end()

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        self.panel.setFocus()

    async def ask(self) -> Any:
        """Shows the overlay and waits for `resolve()`; None when dismissed."""
        self.dismiss()
        self._future = asyncio.get_running_loop().create_future()
        self.open()
        try:
            return await self._future
        finally:
            self._future = None
            self.hide()

    def resolve(self, value: Any) -> None:
        fut = self._future
        if fut is not None and not fut.done():
            fut.set_result(value)
        self.hide()

    def dismiss(self) -> None:
        self.resolve(None)
