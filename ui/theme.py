"""Sizes, colours and style sheets in one place.

Touch targets are at least 48 px (WCAG 2.5.5 asks 44); colours were chosen
for contrast against their background (white on the kiosk navy is about
15:1, every badge and button text is above 4.5:1).
"""

from __future__ import annotations

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
    return QColor(bg), QColor(fg)


KIOSK_QSS = f"""
#kiosk {{ background: {BG}; }}
#kiosk QLabel {{ color: {TEXT}; font-size: 20px; }}
#kiosk QLabel[role="title"] {{ font-size: 34px; font-weight: bold; }}
#kiosk QLabel[role="subtitle"] {{ font-size: 22px; color: {MUTED}; }}
#kiosk QLabel[role="muted"] {{ color: {MUTED}; }}
#kiosk QLabel[role="warning"] {{ color: {ACCENT_HI}; font-size: 24px; font-weight: bold; }}
#kiosk QLabel[role="advice"] {{ background: {DANGER}; color: #ffffff; padding: 12px;
    border-radius: 8px; }}
#kiosk QLabel[role="body"] {{ font-size: 20px; }}
#kiosk QPushButton {{ min-height: {TOUCH}px; min-width: {TOUCH}px; padding: 8px 22px;
    font-size: 20px; color: {TEXT}; background: {SURFACE_2}; border: 2px solid {SURFACE_2};
    border-radius: 10px; }}
#kiosk QPushButton:focus {{ border-color: {FOCUS}; }}
#kiosk QPushButton:pressed {{ background: {SURFACE}; }}
#kiosk QPushButton[kind="primary"] {{ background: {ACCENT}; border-color: {ACCENT};
    font-weight: bold; }}
#kiosk QPushButton[kind="danger"] {{ background: {DANGER}; border-color: {DANGER}; }}
#kiosk QPushButton[kind="lang"] {{ padding: 6px 14px; font-size: 18px; background: transparent;
    border: 2px solid {SURFACE_2}; }}
#kiosk QPushButton[kind="lang"]:checked {{ background: {SURFACE_2}; border-color: {MUTED}; }}
#kiosk QPushButton[kind="quiet"] {{ background: transparent; border-color: transparent;
    color: {MUTED}; font-size: 16px; }}
#kiosk QFrame[role="panel"] {{ background: {SURFACE}; border-radius: 14px; }}
#kiosk QLineEdit, #kiosk QDateEdit, #kiosk QComboBox {{ min-height: {TOUCH}px; font-size: 20px;
    padding: 4px 10px; color: #111111; background: #ffffff; border-radius: 6px; }}
#kiosk QCheckBox, #kiosk QRadioButton {{ color: {TEXT}; font-size: 20px; min-height: {TOUCH}px;
    spacing: 12px; }}
#kiosk QCheckBox::indicator, #kiosk QRadioButton::indicator {{ width: 32px; height: 32px; }}
#kiosk QProgressBar {{ min-height: 28px; border-radius: 8px; background: {SURFACE_2};
    color: {TEXT}; text-align: center; font-size: 18px; }}
#kiosk QProgressBar::chunk {{ background: {ACCENT}; border-radius: 8px; }}
#kiosk QListView {{ background: transparent; border: none; }}
#kiosk QScrollArea {{ background: transparent; border: none; }}
#kiosk QScrollArea > QWidget > QWidget {{ background: transparent; }}
#overlay QFrame[role="dialog"] {{ background: {SURFACE}; border: 2px solid {MUTED};
    border-radius: 16px; }}
"""

DESKTOP_QSS = f"""
QPushButton, QToolButton, QComboBox, QLineEdit {{ min-height: 36px; }}
QPushButton[kind="primary"] {{ font-weight: bold; }}
QTabBar::tab {{ min-height: 32px; padding: 4px 16px; }}
QLabel[role="warning"] {{ color: {DANGER}; font-weight: bold; }}
QLabel[role="title"] {{ font-size: 18px; font-weight: bold; }}
"""


def apply_app_font(app: QApplication) -> None:
    """One explicit font so screenshots and layouts do not depend on the machine's default."""
    font = QFont("DejaVu Sans")
    font.setPointSize(11)
    app.setFont(font)


def restyle(widget: object) -> None:
    """Re-applies the style after a dynamic property change."""
    from PySide6.QtWidgets import QWidget

    if isinstance(widget, QWidget):
        widget.style().unpolish(widget)
        widget.style().polish(widget)
