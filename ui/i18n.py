"""The UI's language: Qt translators for the chrome, a language tag for app content.

Chrome (every string the UI itself shows) goes through Qt's translation
system: `.ts` sources in ui/translations/, built to `.qm` by the Makefile.
App content (names, descriptions, service texts) comes from the backend as
multilanguage strings and is picked with app.i18n, so the two always switch
together: `Language.set()` swaps the translator (Qt then sends LanguageChange
to every widget) and emits `changed` so screens re-pick their content.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Signal

from app import i18n as app_i18n
from app.paths import qm_dir

log = logging.getLogger(__name__)

# Native names: a visitor looks for their own language, not for its English name.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "sv": "Svenska",
    "es": "Español",
    "de": "Deutsch",
}
DEFAULT = "en"
QM_PREFIX = "touchpoint_"


def supported(tag: str | None) -> str:
    """The supported language closest to `tag` (sv-FI -> sv), else the default."""
    norm = app_i18n.normalize(tag)
    if norm:
        base = norm.split("-")[0]
        if base in LANGUAGES:
            return base
    return DEFAULT


class Language(QObject):
    """The current language of one QApplication."""

    changed = Signal(str)

    def __init__(self, default: str = DEFAULT, directory: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.default = supported(default)
        self.directory = directory or qm_dir()
        self._code = ""
        self._translators: list[QTranslator] = []
        self.missing: list[str] = []  # languages whose .qm could not be loaded
        self.set(self.default)

    @property
    def code(self) -> str:
        return self._code or DEFAULT

    def set(self, code: str) -> None:
        """Switches chrome and content; a language without its .qm keeps English chrome."""
        code = supported(code)
        if code == self._code and self._translators:
            return
        app = QCoreApplication.instance()
        for t in self._translators:
            if app is not None:
                app.removeTranslator(t)
        self._translators = []
        if app is not None:  # English too: its .qm has the plural forms
            ours = QTranslator(self)
            path = self.directory / f"{QM_PREFIX}{code}.qm"
            if ours.load(str(path)):
                self._translators.append(ours)
            else:
                if code not in self.missing:
                    self.missing.append(code)
                log.warning("no UI translation for %s at %s (run the Makefile's .qm build)",
                            code, path)
            qt = QTranslator(self)
            qt_path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if code != DEFAULT and qt.load(f"qtbase_{code}", qt_path):
                self._translators.append(qt)
            for t in self._translators:
                app.installTranslator(t)
        self._code = code
        QLocale.setDefault(QLocale(code))
        self.changed.emit(code)

    def reset(self) -> None:
        """Back to the kiosk's default language (idle reset)."""
        self.set(self.default)
