"""Names and SP texts are plain text in the kiosk: markup in them is shown, never rendered
(issue 14 point 8; the backend stores them exactly as given)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

MARKUP = "<b>Bold</b> <img src=x>"


def _shows_markup_as_text(label: Any) -> None:
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == MARKUP
    # laid out as the literal characters: wider than the rendered "Bold" alone
    fm = QFontMetrics(label.font())
    assert label.sizeHint().width() >= fm.horizontalAdvance("<b>Bold</b>")


def test_detail_shows_html_in_names_as_text(qapp: Any, qtbot: Any) -> None:
    from app.catalog import AppEntry
    from ui.images import ImageCache
    from ui.kiosk.detail import DetailScreen

    screen = DetailScreen(ImageCache(allow_remote=False))
    qtbot.addWidget(screen)
    screen.resize(1024, 700)
    entry = AppEntry(app_id="5e550001", name=MARKUP, organization=MARKUP, description="d",
                     logo=None, state="NotInstalled", actions=())
    screen.show_entry(entry)
    screen.show()
    _shows_markup_as_text(screen.name)
    _shows_markup_as_text(screen.org)


def test_service_screen_shows_sp_texts_as_text(qapp: Any, qtbot: Any) -> None:
    from app.description import ServiceDescription
    from ui.images import ImageCache
    from ui.kiosk.service import ServiceScreen

    screen = ServiceScreen(ImageCache(allow_remote=False))
    qtbot.addWidget(screen)
    screen.description = ServiceDescription.from_dict(
        {"title": {"en": MARKUP}, "confirmationRequired": True})
    screen.language = "en"
    screen._fill_description()  # what ask() shows (ask itself waits for the visitor)
    screen.show()
    _shows_markup_as_text(screen.title)
    screen.start_progress()
    _shows_markup_as_text(screen.progress_title)
