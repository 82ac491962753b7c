"""Issue 18 point 10: a kiosk on a bare X server (no window manager), with no browser,
and a quiet terminal; through the real kiosk window, backend and virtual card."""

from __future__ import annotations

import io
import logging
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from app import logs
from tests.ui.helpers import (
    SECRET,
    ask_install,
    shown_kiosk,
    start_with_demo_card,
    tap,
    tap_tile,
    wait_result,
)
from ui.kiosk.view import KioskView
from ui.main import show_kiosk


def test_the_kiosk_window_covers_the_whole_screen(make_ctx: Any, qtbot: Any) -> None:
    """showFullScreen alone leaves the window at its default size when no window manager
    acts on it: the window takes the screen's geometry itself."""
    ctx = make_ctx()
    window = show_kiosk(ctx, fullscreen=True)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    screen = window.screen()
    assert window.isFullScreen()
    assert window.geometry() == screen.geometry()
    window.kiosk.ensure_built()
    qtbot.waitUntil(lambda: window.kiosk.attract.isVisible())
    assert window.kiosk.geometry().size().width() == screen.geometry().width()


class Browser(QObject):
    """Stands in for the desktop's browser: records what would have been opened."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def kiosk(make_ctx: Any, qtbot: Any) -> tuple[Any, KioskView]:
    ctx = make_ctx()  # kiosk=True
    view = shown_kiosk(qtbot, ctx)
    return ctx, view


def test_a_description_link_is_an_address_to_read_not_to_tap(kiosk: Any, qtbot: Any) -> None:
    _ctx, view = kiosk
    browser = Browser()
    QDesktopServices.setUrlHandler("https", browser, "open")
    try:
        start_with_demo_card(qtbot, view)
        tap_tile(qtbot, view, SECRET)
        label = view.detail.description
        assert "<a " not in label.text()
        assert "the demo site (https://example.com/secret)" in label.text()
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(label.width() // 2, 10))
        qtbot.wait(100)
        assert browser.opened == [] and view.screen_name == "detail"
    finally:
        QDesktopServices.unsetUrlHandler("https")


def test_the_desktop_card_view_keeps_its_links(make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx(kiosk=False)
    view = shown_kiosk(qtbot, ctx, exposed=False)
    start_with_demo_card(qtbot, view)
    tap_tile(qtbot, view, SECRET)
    assert '<a href="https://example.com/secret"' in view.detail.description.text()


@pytest.fixture
def app_logging() -> Iterator[io.StringIO]:
    """The app's own logging set-up (ui.main: INFO by default) into a buffer; undone after."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers), sys.excepthook, threading.excepthook,
             {n: logging.getLogger(n).level for n in ("httpx", "httpcore", "asyncio",
                                                      "qasync", logs.API_LOGGER)})
    buf = io.StringIO()
    logs.setup(logging.INFO, stream=buf)
    yield buf
    for h in list(root.handlers):
        if h not in saved[1]:
            root.removeHandler(h)
    root.setLevel(saved[0])
    sys.excepthook, threading.excepthook = saved[2], saved[3]
    for name, level in saved[4].items():
        logging.getLogger(name).setLevel(level)


def test_no_log_line_per_http_request(kiosk: Any, qtbot: Any, app_logging: io.StringIO) -> None:
    """A whole visit (card, apps, install) talks to the backend dozens of times; the
    terminal at the default level gets none of it (httpx's "HTTP Request: ..." is DEBUG's)."""
    _ctx, view = kiosk
    log = logging.getLogger("touchpoint.test")
    log.info("visit starts")  # the buffer is the app's handler: INFO lines do arrive
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view, "quiet")
    tap(qtbot, view.service.confirm_button)
    wait_result(qtbot, view)
    requests = len(view.ctx.http.exchanges)
    text = app_logging.getvalue()
    assert "visit starts" in text
    lines = [line for line in text.splitlines() if "HTTP" in line or "/v3/" in line]
    assert lines == [], lines
    assert requests > 5


def test_full_screen_without_anyone_to_grant_it(qtbot: Any) -> None:
    """Offscreen Qt grants showFullScreen itself; a bare X server does not (no window
    manager acts on _NET_WM_STATE_FULLSCREEN). A window whose request goes unanswered
    still ends up with the screen's geometry, and follows the screen when it changes."""
    from PySide6.QtWidgets import QMainWindow

    from ui.fullscreen import fill_screen

    class Unanswered(QMainWindow):
        def showFullScreen(self) -> None:
            self.show()  # what a plain xinit session leaves: the default size

    window = Unanswered()
    qtbot.addWidget(window)
    window.resize(640, 400)
    fill_screen(window)
    qtbot.waitExposed(window)
    assert window.geometry() == window.screen().geometry()
    window.setGeometry(0, 0, 300, 200)  # as the screen changing size would leave it
    window.screen().geometryChanged.emit(window.screen().geometry())
    assert window.geometry() == window.screen().geometry()
