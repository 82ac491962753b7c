"""What the desktop window remembers between runs (QSettings): geometry, tab, language,
the tester's backend URL and the last reader.

Only the desktop window: the kiosk is configured by its operator in
/etc/default/se-touchpoint and starts the same way every time. Nothing secret
is kept here (the tester's token field is never saved; DESIGN.md: secrets
live in the OS keyring). The file is $TOUCHPOINT_HOME/touchpoint.ini when
that is set (tests, kiosks), else Qt's per-user INI file
(~/.config/se-touchpoint/touchpoint.ini on Linux).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:
    from ui.windows import DesktopWindow

TABS = ("card", "staff", "tester")


def open_settings() -> QSettings:
    home = os.environ.get("TOUCHPOINT_HOME")
    if home:
        return QSettings(str(Path(home) / "touchpoint.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "se-touchpoint",
                     "touchpoint")


def _text(settings: QSettings, key: str) -> str:
    value = settings.value(key, "")
    return value if isinstance(value, str) else ""


def saved_language(settings: QSettings | None = None) -> str | None:
    """The language chosen last time (read before the window exists: the context needs it)."""
    return _text(settings or open_settings(), "language") or None


def saved_tab(settings: QSettings | None = None) -> str:
    tab = _text(settings or open_settings(), "window/tab")
    return tab if tab in TABS else "card"


def restore(window: DesktopWindow, settings: QSettings | None = None) -> None:
    """Geometry, tester URL and reader as saved; the tab is the caller's (--mode wins)."""
    s = settings or open_settings()
    geometry = s.value("window/geometry")
    if isinstance(geometry, QByteArray | bytes) and geometry:
        window.restoreGeometry(QByteArray(geometry))
    url = _text(s, "tester/backendUrl")
    if url and not window.tester.url_edit.text():
        window.tester.url_edit.setText(url)
    reader = _text(s, "reader")
    if reader:
        follow_reader(window, reader)


def follow_reader(window: DesktopWindow, name: str) -> None:
    """Makes `name` the active reader now, or as soon as it shows up (PC/SC readers are
    reported after the window is made); a choice of the user's meanwhile wins."""
    hub = window.ctx.hub
    if any(slot.name == name for slot in hub.slots()):
        hub.set_active(name)
        return
    start = hub.active

    def appeared() -> None:
        if hub.active != start:  # someone chose since: leave it
            hub.readers_changed.disconnect(appeared)
        elif any(slot.name == name for slot in hub.slots()):
            hub.readers_changed.disconnect(appeared)
            hub.set_active(name)

    hub.readers_changed.connect(appeared)


def save(window: DesktopWindow, settings: QSettings | None = None) -> None:
    s = settings or open_settings()
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/tab", window.current_tab())
    s.setValue("language", window.ctx.language.code)
    s.setValue("tester/backendUrl", window.tester.url_edit.text().strip())
    s.setValue("reader", window.ctx.hub.active)
    s.sync()
