"""A vertically scrolling column of settings that never scrolls sideways.

A service may ask for forty fields: the column scrolls, so what sits below it
(Run, Start, the progress bar) stays on a 768 px laptop screen. Its width is
its content's minimum width, so no label is cut at the left edge.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QScrollArea, QStyle, QWidget


class ScrollColumn(QScrollArea):
    MIN_HEIGHT = 120  # what the column needs at least; the rest scrolls

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _width(self) -> int:
        content = self.widget()
        inner = content.minimumSizeHint().width() if content is not None else 0
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return inner + bar + 2 * self.frameWidth()

    def minimumSizeHint(self) -> QSize:
        return QSize(self._width(), self.MIN_HEIGHT)

    def sizeHint(self) -> QSize:
        content = self.widget()
        return QSize(self._width(), content.sizeHint().height() if content is not None
                     else self.MIN_HEIGHT)
