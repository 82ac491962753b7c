"""The attract screen: "Hold your card to the reader", with a card gliding onto a reader.

The animation runs only while the screen is visible (a kiosk idles here for
hours) and is drawn with QPainter at 30 frames a second.

This screen is the kiosk's first frame, so nothing here touches PySide6's `Qt`
namespace before that frame is painted: the binding builds that class, with
its hundred-odd enums, on first use, which costs about 40 ms, a fifth of a
bare PySide6 window's whole start. Even `QPainter.setPen()`/`setBrush()` and
`QBrush(QColor)` resolve their overloads through it, so the animation fills
paths with brushes taken from a palette, and draws outlines as filled stroke
paths; labels are centred through their `alignment` property by name. The
other screens are built after the first frame and use `Qt` freely;
tests/ui/test_startup.py checks that the first frame stays clear of it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QRectF, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QHideEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPaintEvent,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui import theme


def solid(color: QColor) -> QBrush:
    """A solid brush, made without `QBrush(QColor)` (see the module docstring)."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, color)
    return palette.window()


def rounded(rect: QRectF, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    return path


def outline(path: QPainterPath, width: float) -> QPainterPath:
    """The area a pen of `width` would cover along `path` (square caps, as QPen's default)."""
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    return stroker.createStroke(path)


class CardAnimation(QWidget):
    first_frame = Signal()  # once, after the first frame is painted (the start waits for it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(280, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._t0 = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(33)
        self._timer.timeout.connect(self.update)
        self.frame_at: float | None = None  # set when the first frame is painted (bench)
        self._reader = rounded(QRectF(-110, 30, 220, 70), 16)
        self._reader_edge = outline(self._reader, 3)
        self._card = rounded(QRectF(-80, -50, 160, 100), 12)
        self._card_edge = outline(self._card, 3)
        self._chip = rounded(QRectF(-60, -22, 36, 28), 5)
        self._brushes: dict[str, QBrush] = {}
        self.restyle()

    def restyle(self) -> None:
        """Brushes from the look in use (normal or high contrast)."""
        c = theme.look().palette
        reader, edge, card = (theme.SURFACE_2, theme.MUTED, theme.ACCENT) \
            if c is theme.NORMAL else ("#000000", "#ffffff", "#000000")
        self._brushes = {"reader": solid(QColor(reader)), "edge": solid(QColor(edge)),
                         "card": solid(QColor(card)), "white": solid(QColor("#ffffff")),
                         "chip": solid(QColor(theme.ACCENT_HI))}
        self.update()

    def showEvent(self, event: QShowEvent) -> None:
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        first = self.frame_at is None
        if first:
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
        brush = self._brushes
        # the reader: filled, then a 3-unit outline
        p.fillPath(self._reader, brush["reader"])
        p.fillPath(self._reader_edge, brush["edge"])
        # contactless waves, pulsing once the card is on the reader
        if phase >= 1.0:
            pulse = (t - 1.6) / 1.4
            for i in range(3):
                r = 30 + 22 * i + 10 * pulse
                alpha = max(0, int(255 * (1 - pulse) * (1 - i * 0.25)))
                arc = QPainterPath()
                box = QRectF(-r, -30 - r, 2 * r, 2 * r)
                arc.arcMoveTo(box, 30)
                arc.arcTo(box, 30, 120)
                p.fillPath(outline(arc, 5), solid(QColor(241, 196, 15, alpha)))
        # the card, coming down from above
        y = -95 + 65 * ease
        tilt = (1 - ease) * -12
        p.save()
        p.translate(0, y)
        p.rotate(tilt)
        p.fillPath(self._card, brush["card"])
        p.fillPath(self._card_edge, brush["white"])
        p.fillPath(self._chip, brush["chip"])
        p.restore()
        p.end()
        if first:
            self.first_frame.emit()


class AttractScreen(QWidget):
    demo_card = Signal()  # the visitor wants to use the embedded demo card
    tapped = Signal()  # a tap anywhere: read the card again if one is there
    large_text = Signal(bool)  # the display toggles (ui/access.py keeps them)
    high_contrast = Signal(bool)

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
        self.set_scale(1.0)
        self.subtitle = QLabel(self)
        self.subtitle.setProperty("role", "subtitle")
        self.status = QLabel(self)
        self.status.setObjectName("attract-status")
        self.status.setProperty("role", "warning")
        for label in (self.title, self.subtitle, self.status):
            label.setProperty("alignment", "AlignCenter")  # = Qt.AlignmentFlag.AlignCenter
            label.setWordWrap(True)
        self.demo_button = QPushButton(self)
        self.demo_button.setObjectName("demo-card")
        self.demo_button.setVisible(offer_demo_card)
        self.demo_button.clicked.connect(self.demo_card)
        centred = QHBoxLayout()  # = addWidget(..., Qt.AlignmentFlag.AlignHCenter)
        centred.addStretch(1)
        centred.addWidget(self.demo_button)
        centred.addStretch(1)
        self.large_button = QPushButton(self)
        self.large_button.setObjectName("large-text")
        self.contrast_button = QPushButton(self)
        self.contrast_button.setObjectName("high-contrast")
        toggles = QHBoxLayout()
        toggles.addStretch(1)
        for toggle, signal in ((self.large_button, self.large_text),
                               (self.contrast_button, self.high_contrast)):
            toggle.setCheckable(True)
            toggle.setProperty("kind", "toggle")
            toggle.toggled.connect(signal)
            toggles.addWidget(toggle)
        toggles.addStretch(1)
        col.addWidget(self.animation, 3)
        col.addWidget(self.title)
        col.addWidget(self.subtitle)
        col.addWidget(self.status)
        col.addLayout(centred)
        col.addStretch(1)
        col.addLayout(toggles)
        self.retranslate()

    def set_scale(self, scale: float) -> None:
        """The title's size (its font is set here, not by the style sheet) for large text."""
        font = QFont()
        font.setPixelSize(round(44 * scale))
        font.setBold(True)
        self.title.setFont(font)

    def sync_toggles(self, large: bool, contrast: bool) -> None:
        for toggle, on in ((self.large_button, large), (self.contrast_button, contrast)):
            toggle.blockSignals(True)
            toggle.setChecked(on)
            toggle.blockSignals(False)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Hold your card to the reader"))
        self.subtitle.setText(self.tr("See the applications on your card, add new ones and "
                                      "manage them."))
        self.demo_button.setText(self.tr("Use the demo card"))
        self.demo_button.setAccessibleName(self.tr("Use the demo card"))
        self.demo_button.setAccessibleDescription(self.tr("Starts with a virtual card instead "
                                                          "of your own"))
        self.large_button.setText(self.tr("Large text"))
        self.large_button.setAccessibleName(self.tr("Large text"))
        self.large_button.setAccessibleDescription(self.tr("Makes all text bigger"))
        self.contrast_button.setText(self.tr("High contrast"))
        self.contrast_button.setAccessibleName(self.tr("High contrast"))
        self.contrast_button.setAccessibleDescription(self.tr("White and yellow on black"))

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.tapped.emit()


