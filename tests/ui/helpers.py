"""Small steps for the UI tests: a window shown, a tap, a wait for what is shown."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from app.catalog import AppEntry

if TYPE_CHECKING:
    from ui.kiosk.view import KioskView
    from ui.staff.panel import StaffPanel
    from ui.tester.panel import TesterPanel

W = TypeVar("W", bound=QWidget)

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


def shown(qtbot: Any, widget: W, size: tuple[int, int] | None = (1280, 800),
          exposed: bool = True) -> W:
    """qtbot.addWidget, resize (unless size is None), show, then waitExposed if `exposed`."""
    qtbot.addWidget(widget)
    if size is not None:
        widget.resize(*size)
    widget.show()
    if exposed:
        qtbot.waitExposed(widget)
    return widget


def shown_kiosk(qtbot: Any, ctx: Any, size: tuple[int, int] | None = (1280, 800),
                exposed: bool = True) -> KioskView:
    """The kiosk view of `ctx`, shown as `shown` does."""
    from ui.kiosk.view import KioskView

    return shown(qtbot, KioskView(ctx), size, exposed)


def shown_tester(qtbot: Any, ctx: Any, size: tuple[int, int] = (1280, 800)) -> TesterPanel:
    """The tester panel of `ctx`, shown, once its app list has two entries or more."""
    from ui.tester.panel import TesterPanel

    panel = shown(qtbot, TesterPanel(ctx), size, exposed=False)
    qtbot.waitUntil(lambda: panel.picker.app_combo.count() >= 2, timeout=10_000)
    return panel


def refreshed_tester(qtbot: Any, ctx: Any, size: tuple[int, int] = (1280, 800)) -> TesterPanel:
    """The tester panel of `ctx`, shown and refreshed, once it lists the SECRET app."""
    from ui.tester.panel import TesterPanel

    panel = shown(qtbot, TesterPanel(ctx), size, exposed=False)
    panel.refresh()
    qtbot.waitUntil(lambda: panel.app_combo.findData(SECRET) >= 0, timeout=10_000)
    return panel


def run_to_fields(qtbot: Any, panel: Any, nickname: str) -> None:
    """Taps the tester's Run; once the service asks for its fields, types `nickname`."""
    tap(qtbot, panel.run_button)
    qtbot.waitUntil(panel.fields_box.isVisible, timeout=20_000)
    qtbot.keyClicks(panel.fields.input("nickname"), nickname)


def staff_for_install(qtbot: Any, ctx: Any) -> StaffPanel:
    """The staff panel of `ctx`, shown at 1280x800, SECRET's install chosen, its nickname asked."""
    from ui.staff.panel import StaffPanel

    panel = shown(qtbot, StaffPanel(ctx), exposed=False)
    qtbot.waitUntil(lambda: panel.app_combo.count() >= 2, timeout=10_000)
    panel.select(SECRET, "install")
    qtbot.waitUntil(lambda: "nickname" in {f.id for f in panel.fields.fields}, timeout=10_000)
    return panel


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


def ask_install(qtbot: Any, view: Any, nickname: str | None = None) -> None:
    """From the apps screen: SECRET's tile, Install, its ask page (the nickname typed if given)."""
    tap_tile(qtbot, view, SECRET)
    tap(qtbot, view.detail.action_buttons["install"])
    wait_ask(qtbot, view)
    if nickname is not None:
        qtbot.keyClicks(view.service.form.input("nickname"), nickname)


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
