"""An on-screen keyboard for the kiosk's text fields, in the PIN pad's style.

Shown while a text field of the kiosk has the focus, hidden when the focus
leaves text fields (or on Done). Its keys take no focus, so the field keeps
it and each key types into the field that had it: letters (with the
language's own: å ä ö, ä ö ü ß, ñ), digits, - / . @, space, backspace, shift.
A field that takes digits (its input method hints say so: a card number, a
CVV, a numeric code) gets the digit layout: the digits, - / . @, backspace.
So does a date (a spin box, typed section by section: its keys go to it as
key presses, as a real keyboard's would).

Why not Qt's virtual keyboard: pip's pyside6-essentials does ship it (the
platform input context plugin and its QML), but with widgets it is a separate
QtQuick window that the offscreen platform never showed (tested:
`QGuiApplication.inputMethod().isVisible()` stayed False after `show()`, with
3 s of QML start), it would put QtQuick into the kiosk's start and the
packaged build, and it cannot be driven by the tests through real widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDateTimeEdit,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ui.i18n import Language

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
PUNCTUATION = "-/.@"  # an expiry MM/YY, a date, an e-mail address
EXTRA = {"sv": "åäö", "de": "äöüß", "es": "ñ"}  # the language's own letters, a row end
# touch-sized (theme.TOUCH is 48): the smallest a key gets; keys share the width beyond it.
# 12 keys a row (German) take 12 * 64 + 11 * 6 + 24 = 858 px, well inside a 1280 px kiosk.
KEY_W, KEY_H, GAP = 64, 54, 6
BORDER, PAD_V, PAD_H = 2, 2, 4
# the key's own box: the kiosk's button padding (8px 22px) would make each key 96 px wide and
# 68 px high, and the German keyboard (12 keys a row) wider than the kiosk; min-width and
# min-height in a style sheet are the contents' size, without padding and border
KEY_QSS = f"""
QPushButton {{ padding: {PAD_V}px {PAD_H}px;
    min-width: {KEY_W - 2 * (PAD_H + BORDER)}px; min-height: {KEY_H - 2 * (PAD_V + BORDER)}px; }}
"""
DIGIT_HINTS = (Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhFormattedNumbersOnly
               | Qt.InputMethodHint.ImhDialableCharactersOnly)


class TouchKeyboard(QWidget):
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("touch-keyboard")
        self.target: QLineEdit | QAbstractSpinBox | None = None
        self.shifted = False
        self.digits = False  # the digit layout: the focused field takes digits
        self.language = "en"
        col = QVBoxLayout(self)
        self.setStyleSheet(KEY_QSS)  # its own: preferred to the kiosk's for its keys
        col.setContentsMargins(12, GAP, 12, GAP)
        col.setSpacing(GAP)
        self.keys: dict[str, QPushButton] = {}
        self.grid = QGridLayout()
        self.grid.setSpacing(GAP)
        for r, row in enumerate(ROWS):
            for c, ch in enumerate(row):
                self.keys[ch] = self._key(ch, f"key-{ch}", lambda _=False, k=ch: self.type(k))
                self.grid.addWidget(self.keys[ch], r, c + (r > 1))
        self.extra: list[QPushButton] = []
        col.addLayout(self.grid)
        bottom = QHBoxLayout()
        bottom.setSpacing(GAP)
        self.shift_button = self._key("⇧", "key-shift", self.toggle_shift)
        self.shift_button.setCheckable(True)
        self.space_button = self._key("", "key-space", lambda: self.type(" "))
        self.backspace_button = self._key("⌫", "key-backspace", self.backspace)
        self.done_button = self._key("", "key-done", self.close_keyboard)
        self.done_button.setProperty("kind", "primary")
        bottom.addWidget(self.shift_button)
        bottom.addWidget(self.space_button, 1)  # the widest key, as on any keyboard
        bottom.addWidget(self.backspace_button)
        for ch in PUNCTUATION:
            self.keys[ch] = self._key(ch, f"key-{ch}", lambda _=False, k=ch: self.type(k))
            bottom.addWidget(self.keys[ch])
        bottom.addWidget(self.done_button)
        col.addLayout(bottom)
        self.hide()
        self.retranslate()

    def _key(self, text: str, name: str, slot: object) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(name)
        b.setMinimumSize(KEY_W, KEY_H)
        b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # fill the row
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus
        b.setAutoRepeat(name == "key-backspace")
        if text.strip():  # letters and digits say what they type; named keys get theirs
            b.setAccessibleName(text)
            b.setAccessibleDescription(self.tr("Types %1").replace("%1", text))
        b.clicked.connect(slot)
        return b

    # -- typing ----------------------------------------------------------------------------
    def attach(self, edit: QLineEdit | QAbstractSpinBox | None) -> None:
        old = self.target
        if old is not None and old is not edit and shiboken6.isValid(old):
            old.removeEventFilter(self)
        self.target = edit
        if edit is not None:
            edit.installEventFilter(self)  # its page goes away: so does the keyboard
            self.set_digits(isinstance(edit, QAbstractSpinBox)
                            or bool(edit.inputMethodHints() & DIGIT_HINTS))
            if isinstance(edit, QDateTimeEdit):  # typing starts over at its first section
                QTimer.singleShot(0, edit, lambda: edit.setSelectedSection(edit.sectionAt(0)))
        self.setVisible(edit is not None)

    def set_digits(self, digits: bool) -> None:
        """The digit layout (True) or the whole keyboard; digits and - / . @ are in both."""
        self.digits = digits
        letters = [b for ch, b in self.keys.items() if ch.isalpha()]
        for b in (*letters, self.shift_button, self.space_button):
            b.setVisible(not digits)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.target and event.type() in (QEvent.Type.Hide, QEvent.Type.Destroy):
            self.attach(None)
        return False

    def _typable(self) -> QLineEdit | QAbstractSpinBox | None:
        edit = self.target
        if edit is None or not shiboken6.isValid(edit) or not edit.isEnabled() or edit.isReadOnly():
            return None
        return edit

    @staticmethod
    def _press(box: QAbstractSpinBox, key: int, text: str) -> None:
        """A key press and release, as a real keyboard sends them (a spin box's sections)."""
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(box, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                  text))

    def type(self, text: str) -> None:
        edit = self._typable()
        if isinstance(edit, QAbstractSpinBox):
            self._press(edit, ord(text.upper()) if text.isascii() else 0, text)
        elif edit is not None:
            edit.insert(text.upper() if self.shifted else text)  # validators, max length apply
            edit.textEdited.emit(edit.text())
        if self.shifted:
            self.toggle_shift()

    def backspace(self) -> None:
        edit = self._typable()
        if isinstance(edit, QAbstractSpinBox):
            self._press(edit, Qt.Key.Key_Backspace, "\b")
        elif edit is not None:
            edit.backspace()
            edit.textEdited.emit(edit.text())

    def toggle_shift(self) -> None:
        self.shifted = not self.shifted
        self.shift_button.setChecked(self.shifted)
        self._label_keys()

    def close_keyboard(self) -> None:
        self.attach(None)
        self.closed.emit()

    # -- language --------------------------------------------------------------------------
    def set_language(self, code: str) -> None:
        self.language = code
        for b in self.extra:
            self.grid.removeWidget(b)
            self.keys.pop(b.objectName().removeprefix("key-"), None)
            b.deleteLater()
        self.extra = []
        for i, ch in enumerate(EXTRA.get(code, "")):
            b = self._key(ch, f"key-{ch}", lambda _=False, k=ch: self.type(k))
            self.keys[ch] = b
            self.extra.append(b)
            self.grid.addWidget(b, len(ROWS) - 1, len(ROWS[-1]) + 1 + i)  # after "m"
            b.setVisible(not self.digits)
        self._label_keys()

    def _label_keys(self) -> None:
        for ch, b in self.keys.items():
            shown = ch.upper() if self.shifted and ch != "ß" else ch
            b.setText(shown)
            b.setAccessibleName(shown)

    def retranslate(self) -> None:
        self.space_button.setText(self.tr("Space"))
        self.space_button.setAccessibleName(self.tr("Space"))
        self.space_button.setAccessibleDescription(self.tr("Types a space"))
        self.shift_button.setAccessibleName(self.tr("Capital letter"))
        self.backspace_button.setAccessibleName(self.tr("Delete the last character"))
        self.done_button.setText(self.tr("Done"))
        self.done_button.setAccessibleName(self.tr("Close the keyboard"))
        self.done_button.setAccessibleDescription(self.tr("Hides the keyboard; the text stays"))
        self.setAccessibleName(self.tr("On-screen keyboard"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class KeyboardFollower(QObject):
    """Shows `keyboard` while a text field inside `root` has the focus."""

    def __init__(self, root: QWidget, keyboard: TouchKeyboard) -> None:
        super().__init__(root)
        self.root = root
        self.keyboard = keyboard
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not shiboken6.isValid(self.root) or not shiboken6.isValid(self.keyboard):
            return
        if isinstance(new, QLineEdit | QAbstractSpinBox) and self.root.isAncestorOf(new) \
                and new.isVisible():
            self.keyboard.attach(new)
            parent = new.parentWidget()
            while parent is not None and not isinstance(parent, QScrollArea):
                parent = parent.parentWidget()
            if parent is not None:  # the field stays in sight above the keyboard
                area, edit = parent, new

                def show_field() -> None:
                    if shiboken6.isValid(edit) and shiboken6.isValid(area):
                        area.ensureWidgetVisible(edit)

                QTimer.singleShot(0, show_field)
        elif new is None or not self.keyboard.isAncestorOf(new):
            self.keyboard.attach(None)


def add_keyboard(host: QWidget, root: QWidget, language: Language) -> TouchKeyboard:
    """A keyboard at the bottom of `host`'s layout (the page with the fields: its scroll
    area gives up the room, the window never grows), following the focus of the text
    fields inside `root` and the language."""
    keyboard = TouchKeyboard(host)
    keyboard.set_language(language.code)
    language.changed.connect(keyboard.set_language)
    layout = host.layout()
    if layout is not None:
        layout.addWidget(keyboard)
    KeyboardFollower(root, keyboard)
    return keyboard
