"""Checks over a rendered screen: text that does not fit its space, controls without a name.

Used by tests/ui/test_every_screen.py, which renders every screen in every language.
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSlider,
               QAbstractSpinBox, QTextEdit, QTabBar)
SLACK = 1  # px: rounding between text layout and metrics


def _plain(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.PlainText:
        return text
    if label.textFormat() == Qt.TextFormat.RichText or QtGui.Qt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def label_problem(label: QLabel) -> str | None:
    """Why `label`'s text does not fit, or None. A word-wrapped label must be as high as its
    text needs at its width (heightForWidth) and no word wider than it; any other label must
    be as wide as its longest line."""
    text = _plain(label).replace("\u2028", "\n")
    if not text.strip() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    fm = QFontMetrics(label.font())
    rect = label.contentsRect()
    width = rect.width() - 2 * max(0, label.margin()) - max(0, label.indent())
    lines = [line for line in text.split("\n") if line.strip()]
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height() + SLACK:
            return f"needs {need} px of height, has {label.height()}"
        widest = max(fm.horizontalAdvance(w) for line in lines for w in line.split())
        if widest > width + SLACK:
            return f"a word needs {widest} px, has {width}"
        return None
    widest = max(fm.horizontalAdvance(line) for line in lines)
    if widest > width + SLACK:
        return f"needs {widest} px of width, has {width}"
    return None


def button_problem(button: QPushButton) -> str | None:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text.strip():
        return None
    opt = QStyleOptionButton()
    button.initStyleOption(opt)
    space = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt,
                                          button).width()
    if not button.icon().isNull():
        space -= button.iconSize().width() + 4
    widest = max(QFontMetrics(button.font()).horizontalAdvance(line)
                 for line in text.split("\n"))
    if widest > space + SLACK:
        return f"needs {widest} px of width, has {space}"
    return None


def clipped(root: QWidget) -> list[str]:
    """Every visible label and push button under `root` whose text is cut."""
    found = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible() or w.width() <= 0:
            continue
        problem = label_problem(w) if isinstance(w, QLabel) else \
            button_problem(w) if isinstance(w, QPushButton) else None
        if problem:
            text = w.text().replace("\n", " ")[:60]  # type: ignore[attr-defined]
            found.append(f"{type(w).__name__} {w.objectName() or '?'} {text!r}: {problem}")
    return found


def accessible_name(w: QWidget) -> str:
    """The name a screen reader says for `w` (Qt's accessibility tree: its own accessible
    name, a button's text, or the label whose buddy it is)."""
    iface = QAccessible.queryAccessibleInterface(w)
    name = iface.text(QAccessible.Text.Name) if iface is not None else ""
    return (name or w.accessibleName()).strip()


def _part_of_a_view(w: QWidget) -> bool:
    """Scroll bars and headers of a table or list, the text field of an editable combo box:
    the screen reader reaches them through their owner (as its column headers, scroll
    position or value), which is checked itself."""
    if isinstance(w, QLineEdit) and isinstance(w.parentWidget(), QComboBox | QAbstractSpinBox):
        return True
    if not isinstance(w, QScrollBar | QHeaderView):
        return False
    parent = w.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent is not None


def controls(root: QWidget) -> list[QWidget]:
    """The visible interactive controls under `root`, each on its own."""
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, INTERACTIVE) and w.isVisible() and not _part_of_a_view(w)]


def unnamed(root: QWidget) -> list[str]:
    """Every visible interactive control under `root` without an accessible name."""
    found = []
    for w in controls(root):
        if not accessible_name(w):
            parent = w.parentWidget()
            found.append(f"{type(w).__name__} {w.objectName() or '?'} in "
                         f"{type(parent).__name__} {parent.objectName() if parent else ''}")
    return found


def undescribed(root: QWidget) -> list[str]:
    """Visible interactive controls with no accessible description and no tooltip."""
    found = []
    for w in controls(root):
        if not (w.accessibleDescription().strip() or w.toolTip().strip()):
            found.append(f"{type(w).__name__} {w.objectName() or '?'}")
    return found
