"""The language switcher: one button per language, each in its own language."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from ui.i18n import LANGUAGES, Language


class LanguageBar(QWidget):
    def __init__(self, language: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for code, native in LANGUAGES.items():
            b = QPushButton(native, self)
            b.setCheckable(True)
            b.setProperty("kind", "lang")
            b.setObjectName(f"lang-{code}")
            b.clicked.connect(lambda _=False, c=code: self.language.set(c))
            self.group.addButton(b)
            self.buttons[code] = b
            row.addWidget(b)
        language.changed.connect(self._sync)
        self._sync(language.code)
        self.retranslate()

    def _sync(self, code: str) -> None:
        button = self.buttons.get(code)
        if button is not None:
            button.setChecked(True)

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Language"))
        for code, b in self.buttons.items():
            b.setAccessibleName(self.tr("Language: %1").replace("%1", LANGUAGES[code]))
            b.setAccessibleDescription(self.tr("Shows the screens in this language"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
