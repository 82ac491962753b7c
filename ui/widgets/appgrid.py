"""The card's applications as large touch tiles (logo, name, organization, state badge).

A list model and a painting delegate rather than one widget per app, so a
catalogue of a thousand applications costs a thousand small records, not
thousands of widgets. Kinetic scrolling makes it usable with a finger.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QScroller,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.catalog import AppEntry
from ui import theme
from ui.images import ImageCache
from ui.labels import state_label

EntryRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class AppListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[AppEntry] = []

    def set_entries(self, entries: list[AppEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        e = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return e.name
        if role == EntryRole:
            return e
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return f"{e.name}, {e.organization}, {state_label(e.state)}"
        return None

    def row_of(self, app_id: str) -> int:
        return next((i for i, e in enumerate(self.entries) if e.app_id == app_id), -1)


class TileDelegate(QStyledItemDelegate):
    def __init__(self, images: ImageCache, parent: Any = None) -> None:
        super().__init__(parent)
        self.images = images
        self.restyle()

    def restyle(self) -> None:
        """Fonts for the look in use (large text scales them)."""
        px = theme.look().px
        self.name_font = QFont()
        self.name_font.setPixelSize(px(22))
        self.name_font.setBold(True)
        self.org_font = QFont()
        self.org_font.setPixelSize(px(17))
        self.badge_font = QFont()
        self.badge_font.setPixelSize(px(16))
        self.badge_font.setBold(True)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        px = theme.look().px
        return QSize(px(theme.TILE_W), px(theme.TILE_H))

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        e: AppEntry | None = index.data(EntryRole)
        if e is None:
            return
        r = option.rect.adjusted(8, 8, -8, -8)
        state = option.state
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = theme.look().palette
        bg = QColor(c.surface_2 if state & QStyle.StateFlag.State_Selected else c.surface)
        p.setBrush(bg)
        focus = bool(state & QStyle.StateFlag.State_HasFocus)
        edge = QPen(QColor(c.border), 2) if c is not theme.NORMAL else Qt.PenStyle.NoPen
        p.setPen(QPen(QColor(c.focus), 3) if focus else edge)
        p.drawRoundedRect(r, 14, 14)
        pad = 18
        logo = self.images.pixmap(e.logo, theme.LOGO, e.name)
        p.drawPixmap(r.left() + pad, r.top() + pad, logo)
        text_x = r.left() + pad + theme.LOGO + 16
        text_w = r.right() - pad - text_x
        p.setPen(QColor(c.text))
        p.setFont(self.name_font)
        fm = QFontMetrics(self.name_font)
        name_rect = QRect(text_x, r.top() + pad, text_w, fm.height() * 2 + 2)
        p.drawText(name_rect, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop,
                   _elide_lines(e.name, fm, text_w, 2))
        p.setFont(self.org_font)
        p.setPen(QColor(c.muted))
        ofm = QFontMetrics(self.org_font)
        org_rect = QRect(text_x, name_rect.bottom() + 6, text_w, ofm.height() * 2)
        p.drawText(org_rect, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop,
                   _elide_lines(e.organization, ofm, text_w, 2))
        # state badge, bottom left, full text (elided only if the tile is too narrow)
        p.setFont(self.badge_font)
        bfm = QFontMetrics(self.badge_font)
        label = bfm.elidedText(state_label(e.state), Qt.TextElideMode.ElideRight,
                               r.width() - 2 * pad - 24)
        bw = bfm.horizontalAdvance(label) + 24
        bh = max(34, bfm.height() + 12)
        badge = QRect(r.left() + pad, r.bottom() - pad - bh, bw, bh)
        bgc, fgc = theme.badge_colors(e.state)
        p.setPen(QPen(fgc, 2) if c is not theme.NORMAL else Qt.PenStyle.NoPen)
        p.setBrush(bgc)
        p.drawRoundedRect(badge, 17, 17)
        p.setPen(fgc)
        p.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
        p.restore()


def _elide_lines(text: str, fm: QFontMetrics, width: int, lines: int) -> str:
    """Word-wrapped text cut to `lines` lines, the last one elided: long names never overflow."""
    words = text.split()
    out: list[str] = []
    current = ""
    for i, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if fm.horizontalAdvance(trial) <= width or not current:
            current = trial
            continue
        out.append(current)
        current = word
        if len(out) == lines - 1:
            current = " ".join(words[i:])
            break
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
    if out:
        out[-1] = fm.elidedText(out[-1], Qt.TextElideMode.ElideRight, width)
        out = [fm.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in out]
    return "\n".join(out)


class AppGrid(QListView):
    """Tiles in rows that reflow with the window; a tap opens the app."""

    opened = Signal(object)  # AppEntry

    def __init__(self, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_ = AppListModel(self)
        self.setModel(self.model_)
        self.setItemDelegate(TileDelegate(images, self))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setGridSize(QSize(theme.look().px(theme.TILE_W) + 8,
                               theme.look().px(theme.TILE_H) + 8))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QListView.Shape.NoFrame)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.clicked.connect(self._open)
        self.activated.connect(self._open)
        images.ready.connect(lambda _url: self.viewport().update())

    def set_entries(self, entries: list[AppEntry]) -> None:
        self.model_.set_entries(entries)

    def restyle(self) -> None:
        """Large text / high contrast: the tiles are painted again in the new look."""
        delegate = self.itemDelegate()
        if isinstance(delegate, TileDelegate):
            delegate.restyle()
        px = theme.look().px
        self.setGridSize(QSize(px(theme.TILE_W) + 8, px(theme.TILE_H) + 8))
        self.viewport().update()

    def entries(self) -> list[AppEntry]:
        return self.model_.entries

    def tile_rect(self, app_id: str) -> QRect:
        """Where the tile of `app_id` is, in viewport coordinates (tests tap there)."""
        row = self.model_.row_of(app_id)
        return self.visualRect(self.model_.index(row)) if row >= 0 else QRect()

    def _open(self, index: QModelIndex) -> None:
        e = index.data(EntryRole)
        if e is not None:
            self.opened.emit(e)
