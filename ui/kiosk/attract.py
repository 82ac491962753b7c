"""The attract screen: "Hold your card to the reader", with a card gliding onto a reader.

The animation runs only while the screen is visible (a kiosk idles here for
hours) and is drawn with QPainter at 30 frames a second.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHideEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QShowEvent,
)
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui import theme


class CardAnimation(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(280, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._t0 = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(33)
        self._timer.timeout.connect(self.update)
        self.frame_at: float | None = None  # set when the first frame is painted (bench)

    def showEvent(self, event: QShowEvent) -> None:
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.frame_at is None:
            self.frame_at = time.monotonic()
        t = (time.monotonic() - self._t0) % 3.0
        phase = min(1.0, t / 1.6)
        ease = 1 - (1 - phase) ** 3
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        s = min(w / 320, h / 270)  # the scene spans y -150..110 in its own units
        p.translate(w / 2, h / 2 + 20 * s)
        p.scale(s, s)
        # the reader
        p.setBrush(QColor(theme.SURFACE_2))
        p.setPen(QPen(QColor(theme.MUTED), 3))
        p.drawRoundedRect(QRectF(-110, 30, 220, 70), 16, 16)
        # contactless waves, pulsing once the card is on the reader
        if phase >= 1.0:
            pulse = (t - 1.6) / 1.4
            for i in range(3):
                r = 30 + 22 * i + 10 * pulse
                alpha = max(0, int(255 * (1 - pulse) * (1 - i * 0.25)))
                p.setPen(QPen(QColor(241, 196, 15, alpha), 5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawArc(QRectF(-r, -30 - r, 2 * r, 2 * r), 30 * 16, 120 * 16)
        # the card, coming down from above
        y = -95 + 65 * ease
        tilt = (1 - ease) * -12
        p.save()
        p.translate(0, y)
        p.rotate(tilt)
        p.setBrush(QColor(theme.ACCENT))
        p.setPen(QPen(QColor("#ffffff"), 3))
        p.drawRoundedRect(QRectF(-80, -50, 160, 100), 12, 12)
        p.setBrush(QColor(theme.ACCENT_HI))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(QRectF(-60, -22, 36, 28), 5, 5)
        p.restore()
        p.end()


class AttractScreen(QWidget):
    demo_card = Signal()  # the visitor wants to use the embedded demo card
    tapped = Signal()  # a tap anywhere: read the card again if one is there

    def __init__(self, parent: QWidget | None = None, *, offer_demo_card: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("attract")
        col = QVBoxLayout(self)
        col.setContentsMargins(40, 20, 40, 40)
        col.setSpacing(20)
        self.animation = CardAnimation(self)
        self.animation.setObjectName("attract-animation")
        self.title = QLabel(self)
        self.title.setObjectName("attract-title")
        self.title.setProperty("role", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        font = QFont()
        font.setPixelSize(44)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.subtitle.setProperty("role", "subtitle")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("attract-status")
        self.status.setProperty("role", "warning")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)
        self.demo_button = QPushButton(self)
        self.demo_button.setObjectName("demo-card")
        self.demo_button.setVisible(offer_demo_card)
        self.demo_button.clicked.connect(self.demo_card)
        col.addWidget(self.animation, 3)
        col.addWidget(self.title)
        col.addWidget(self.subtitle)
        col.addWidget(self.status)
        col.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignHCenter)
        col.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Hold your card to the reader"))
        self.subtitle.setText(self.tr("See the applications on your card, add new ones and "
                                      "manage them."))
        self.demo_button.setText(self.tr("Use the demo card"))
        self.demo_button.setAccessibleName(self.tr("Use the demo card"))

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.tapped.emit()


