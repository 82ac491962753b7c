"""Sizes, colours and style sheets in one place.

Touch targets are at least 48 px (WCAG 2.5.5 asks 44); colours were chosen
for contrast against their background (white on the kiosk navy is about
15:1, every badge and button text is above 4.5:1).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication

TOUCH = 48  # minimum height/width of anything a finger presses, in px
TILE_W, TILE_H = 320, 200
LOGO = 88

BG = "#0f1b2d"
SURFACE = "#1b2b44"
SURFACE_2 = "#24385a"
TEXT = "#ffffff"
MUTED = "#c9d4e3"  # about 11:1 on BG
ACCENT = "#1f7a70"  # white text on it: about 5.3:1
ACCENT_HI = "#f1c40f"
DANGER = "#b3261e"  # white text: about 6.5:1
FOCUS = "#f1c40f"
LINK = "#8ecae6"  # about 9:1 on BG and SURFACE

BADGES: dict[str, tuple[str, str]] = {  # state -> (background, text)
    "NotInstalled": ("#4a5568", "#ffffff"),
    "Installed": ("#1e7b34", "#ffffff"),
    "Suspended": ("#f1c40f", "#111111"),
    "Unstable": ("#b3261e", "#ffffff"),
}


def badge_colors(state: str) -> tuple[QColor, QColor]:
    bg, fg = BADGES.get(state, BADGES["NotInstalled"])
    if _look.palette is not NORMAL:  # high contrast: the badge is an outlined black pill
        return QColor("#000000"), QColor("#ffff00" if state == "Unstable" else "#ffffff")
    return QColor(bg), QColor(fg)


@dataclass(frozen=True)
class Palette:
    """The colours a look is drawn with (the normal navy one, or high contrast)."""

    bg: str
    surface: str
    surface_2: str
    text: str
    muted: str
    accent: str
    accent_hi: str
    danger: str
    focus: str
    link: str
    border: str  # outlines of panels and buttons (transparent in the normal look)


NORMAL = Palette(BG, SURFACE, SURFACE_2, TEXT, MUTED, ACCENT, ACCENT_HI, DANGER, FOCUS, LINK,
                 SURFACE_2)
# high contrast: white and yellow on black (21:1 and 19:1), every edge drawn
HIGH_CONTRAST = Palette("#000000", "#000000", "#000000", "#ffffff", "#ffffff", "#000000",
                        "#ffff00", "#000000", "#ffff00", "#ffff00", "#ffffff")

LARGE_SCALE = 1.4  # large text: every font size of the look times this


@dataclass(frozen=True)
class Look:
    """What the accessibility settings choose: a palette and a text scale."""

    palette: Palette = NORMAL
    scale: float = 1.0

    def px(self, size: int) -> int:
        return round(size * self.scale)


_look = Look()


def look() -> Look:
    """The look in use (painting delegates and the attract animation read it)."""
    return _look


def set_look(new: Look) -> None:
    global _look
    _look = new


def kiosk_qss(lk: Look | None = None) -> str:
    """The kiosk's style sheet in `lk` (default: the look in use)."""
    lk = lk or _look
    c, px = lk.palette, lk.px
    return f"""
#kiosk {{ background: {c.bg}; }}
#kiosk QLabel {{ color: {c.text}; font-size: {px(20)}px; }}
#kiosk QLabel[role="title"] {{ font-size: {px(34)}px; font-weight: bold; }}
#kiosk QLabel[role="subtitle"] {{ font-size: {px(22)}px; color: {c.muted}; }}
#kiosk QLabel[role="muted"] {{ color: {c.muted}; }}
#kiosk QLabel[role="warning"] {{ color: {c.accent_hi}; font-size: {px(24)}px; font-weight: bold; }}
#kiosk QLabel[role="advice"] {{ background: {c.danger}; color: #ffffff; padding: 12px;
    border: 2px solid {c.border}; border-radius: 8px; }}
#kiosk QLabel[role="body"] {{ font-size: {px(20)}px; }}
#kiosk QPushButton {{ min-height: {TOUCH}px; min-width: {TOUCH}px; padding: 8px 22px;
    font-size: {px(20)}px; color: {c.text}; background: {c.surface_2};
    border: 2px solid {c.border}; border-radius: 10px; }}
#kiosk QPushButton:focus {{ border-color: {c.focus}; }}
#kiosk QPushButton:pressed {{ background: {c.surface}; }}
#kiosk QPushButton[kind="primary"] {{ background: {c.accent}; border-color: {c.accent
    if c is NORMAL else c.accent_hi}; font-weight: bold; }}
#kiosk QPushButton[kind="danger"] {{ background: {c.danger}; border-color: {c.danger
    if c is NORMAL else c.accent_hi}; }}
#kiosk QPushButton[kind="lang"] {{ padding: 6px 14px; font-size: {px(18)}px;
    background: transparent; border: 2px solid {c.border}; }}
#kiosk QPushButton[kind="lang"]:checked {{ background: {c.surface_2}; border-color: {c.muted}; }}
#kiosk QPushButton[kind="quiet"] {{ background: transparent; border-color: transparent;
    color: {c.muted}; font-size: {px(16)}px; }}
#kiosk QPushButton[kind="toggle"] {{ background: transparent; border: 2px solid {c.border};
    color: {c.text}; font-size: {px(18)}px; padding: 6px 16px; }}
/* checked: inverted, never bold (Qt does not resize a button for a pseudo-state's font) */
#kiosk QPushButton[kind="toggle"]:checked {{ background: {c.text}; color: {c.bg};
    border-color: {c.text}; }}
#kiosk QPushButton[kind="quiet"]:focus, #kiosk QPushButton[kind="toggle"]:focus {{
    border-color: {c.focus}; }}
#kiosk QFrame[role="panel"] {{ background: {c.surface}; border-radius: 14px;
    border: {0 if c is NORMAL else 2}px solid {c.border}; }}
#kiosk QLineEdit, #kiosk QDateEdit, #kiosk QComboBox {{ min-height: {TOUCH}px;
    font-size: {px(20)}px; padding: 4px 10px; color: #111111; background: #ffffff;
    border-radius: 6px; }}
#kiosk QLineEdit:focus, #kiosk QComboBox:focus {{ border: 2px solid {c.focus}; }}
#kiosk QCheckBox, #kiosk QRadioButton {{ color: {c.text}; font-size: {px(20)}px;
    min-height: {TOUCH}px; spacing: 12px; }}
#kiosk QCheckBox::indicator, #kiosk QRadioButton::indicator {{ width: 32px; height: 32px; }}
#kiosk QProgressBar {{ min-height: 28px; border-radius: 8px; background: {c.surface_2};
    color: {c.text}; text-align: center; font-size: {px(18)}px; border: 2px solid {c.border}; }}
#kiosk QProgressBar::chunk {{ background: {c.accent if c is NORMAL else c.accent_hi};
    border-radius: 8px; }}
#kiosk QListView {{ background: transparent; border: none; }}
#kiosk QScrollArea {{ background: transparent; border: none; }}
#kiosk QScrollArea > QWidget > QWidget {{ background: transparent; }}
#overlay QFrame[role="dialog"] {{ background: {c.surface}; border: 2px solid {c.muted};
    border-radius: 16px; }}
"""


def desktop_qss(lk: Look | None = None) -> str:
    """The desktop tabs' style sheet in `lk` (their fonts follow the application font)."""
    lk = lk or _look
    c = lk.palette
    base = f"""
QPushButton, QToolButton, QComboBox, QLineEdit {{ min-height: {lk.px(36)}px; }}
QPushButton[kind="primary"] {{ font-weight: bold; }}
QTabBar::tab {{ min-height: {lk.px(32)}px; padding: 4px 16px; }}
QLabel[role="warning"] {{ color: {DANGER if c is NORMAL else c.accent_hi}; font-weight: bold; }}
QLabel[role="title"] {{ font-size: {lk.px(18)}px; font-weight: bold; }}
"""
    if c is NORMAL:
        return base
    return base + f"""
QWidget {{ background: {c.bg}; color: {c.text}; }}
QPushButton, QToolButton, QComboBox, QLineEdit, QTabBar::tab, QGroupBox, QAbstractItemView,
QHeaderView::section {{ border: 2px solid {c.border}; background: {c.bg}; color: {c.text}; }}
QPushButton:focus, QLineEdit:focus, QComboBox:focus, QAbstractItemView:focus {{
    border-color: {c.focus}; }}
QTabBar::tab:selected, QAbstractItemView::item:selected {{ background: {c.text}; color: {c.bg}; }}
QPushButton:disabled, QLabel:disabled {{ color: #bbbbbb; }}
"""


KIOSK_QSS = kiosk_qss(Look())
DESKTOP_QSS = desktop_qss(Look())

APP_FONT_PT = 11


def apply_app_font(app: QApplication) -> None:
    """One explicit font so screenshots and layouts do not depend on the machine's default."""
    font = QFont("DejaVu Sans")
    font.setPointSize(round(APP_FONT_PT * _look.scale))
    app.setFont(font)


def restyle(widget: object) -> None:
    """Re-applies the style after a dynamic property change."""
    from PySide6.QtWidgets import QWidget

    if isinstance(widget, QWidget):
        widget.style().unpolish(widget)
        widget.style().polish(widget)
