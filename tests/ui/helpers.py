"""Small steps a visitor takes, for the kiosk tests: tap, wait for what is shown."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from app.catalog import AppEntry

SECRET = "73656372"
HELLO = "68656c6f"
WAIT = 20_000
# what no end user or staff should read: an HTTP method word, an API path, a status code
TECHNICAL = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|HTTP)\b|/v3/|\b[1-5]\d\d\b")


def assert_no_technical_text(text: str) -> None:
    """Issue 18: a label says one sentence and the next step, never "POST /v3/… HTTP 412"."""
    found = TECHNICAL.search(text)
    assert found is None, f"technical text {found.group(0)!r} in: {text}"


def tap(qtbot: Any, widget: QWidget) -> None:
    """A tap on something the visitor can see (new widgets are shown on the next loop turn)."""
    qtbot.waitUntil(widget.isVisible, timeout=2000)
    assert widget.isEnabled(), f"{widget.objectName()} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def wait_screen(qtbot: Any, view: Any, name: str, timeout: int = WAIT) -> None:
    qtbot.waitUntil(lambda: view.screen_name == name, timeout=timeout)


def entry(view: Any, app_id: str) -> AppEntry:
    return next(e for e in view.apps.grid.entries() if e.app_id == app_id)


def tap_tile(qtbot: Any, view: Any, app_id: str) -> None:
    grid = view.apps.grid
    rect = grid.tile_rect(app_id)
    assert rect.isValid(), f"no tile for {app_id}"
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center()))
    wait_screen(qtbot, view, "detail")


def start_with_demo_card(qtbot: Any, view: Any) -> None:
    tap(qtbot, view.attract.demo_button)
    wait_screen(qtbot, view, "apps")


def wait_result(qtbot: Any, view: Any, timeout: int = WAIT) -> None:
    svc = view.service
    qtbot.waitUntil(lambda: view.screen_name == "service"
                    and svc.stack.currentWidget() is svc.result_page, timeout=timeout)


def wait_ask(qtbot: Any, view: Any) -> None:
    svc = view.service
    qtbot.waitUntil(lambda: view.screen_name == "service"
                    and svc.stack.currentWidget() is svc.ask_page, timeout=WAIT)


def back_to_apps(qtbot: Any, view: Any) -> None:
    tap(qtbot, view.service.result_button)
    wait_screen(qtbot, view, "apps")
