"""Large text and high contrast: the visitor's two display settings, for one session.

Both are toggled from the attract screen (and the Card tab's, on the desktop),
kept in the context's Settings so every screen made later uses them, and put
back to the start-up values when the kiosk resets for the next visitor (as the
language is). Changing one re-styles the open windows through `changed`;
painted parts (tiles, the attract animation) read `ui.theme.look()`.

Imported by the attract screen, so only QtCore/QtWidgets classes here (no `Qt`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from ui import theme

if TYPE_CHECKING:
    from ui.context import Settings


class Access(QObject):
    changed = Signal()

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._start = (settings.large_text, settings.high_contrast)
        self._apply(emit=False)

    @property
    def large_text(self) -> bool:
        return self.settings.large_text

    @property
    def high_contrast(self) -> bool:
        return self.settings.high_contrast

    def look(self) -> theme.Look:
        return theme.Look(theme.HIGH_CONTRAST if self.high_contrast else theme.NORMAL,
                          theme.LARGE_SCALE if self.large_text else 1.0)

    def set_large_text(self, on: bool) -> None:
        if on != self.settings.large_text:
            self.settings.large_text = on
            self._apply()

    def set_high_contrast(self, on: bool) -> None:
        if on != self.settings.high_contrast:
            self.settings.high_contrast = on
            self._apply()

    def reset(self) -> None:
        """The next visitor starts with the settings the kiosk was started with."""
        if (self.large_text, self.high_contrast) != self._start:
            self.settings.large_text, self.settings.high_contrast = self._start
            self._apply()

    def _apply(self, emit: bool = True) -> None:
        theme.set_look(self.look())
        app = QApplication.instance()
        if isinstance(app, QApplication) and (emit or self.large_text):
            theme.apply_app_font(app)
        if emit:
            self.changed.emit()
