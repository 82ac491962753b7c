"""Issue 18 point 5, on the kiosk's own screen size: the touch keyboard fits a 1280 px wide
kiosk in every language (the window never grows for it), its keys stay touch-sized, and
with it open the field being typed into is in sight inside the fields' scroll area."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QScrollArea

from tests.ui.helpers import ask_install, shown, start_with_demo_card, tap
from ui import theme
from ui.windows import KioskWindow

W, H = 1280, 800


@pytest.fixture
def window(make_ctx: Any, qtbot: Any, request: pytest.FixtureRequest) -> Iterator[KioskWindow]:
    ctx = make_ctx(language=request.param)
    win = shown(qtbot, KioskWindow(ctx), (W, H))
    yield win
    view = win.kiosk
    if getattr(view, "flow", None) is not None:  # the service asked: cancelled, not torn down
        view.service.cancel()
        qtbot.waitUntil(lambda: view.flow.runner is None, timeout=5000)


def _keyboard_open(qtbot: Any, win: KioskWindow) -> Any:
    view = win.kiosk
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view)
    qtbot.waitUntil(view.keyboard.isVisible)
    qtbot.wait(100)  # the layout settles (and would grow the window if it had to)
    return view


LANGS = ["en", "sv", "es", "de"]


@pytest.mark.parametrize("window", LANGS, indirect=True)
def test_the_keyboard_fits_the_kiosk_and_keeps_touch_sized_keys(window: KioskWindow,
                                                                qtbot: Any) -> None:
    view = _keyboard_open(qtbot, window)
    kb = view.keyboard
    assert kb.sizeHint().width() <= W and kb.minimumSizeHint().width() <= W
    assert window.minimumSizeHint().width() <= W
    assert window.width() == W and window.height() == H, window.size()
    assert kb.geometry().right() < view.width()
    keys = [b for b in kb.findChildren(type(kb.done_button)) if b.isVisible()]
    assert len(keys) >= 40
    for b in keys:
        assert b.width() >= theme.TOUCH and b.height() >= theme.TOUCH, (b.objectName(),
                                                                        b.size())
    if view.ctx.lang != "en":
        assert kb.extra and all(b.isVisible() for b in kb.extra)


@pytest.mark.parametrize("window", LANGS, indirect=True)
def test_the_focused_field_is_in_sight_above_the_keyboard(window: KioskWindow,
                                                          qtbot: Any) -> None:
    view = _keyboard_open(qtbot, window)
    field = view.service.form.input("nickname")
    assert field.hasFocus() and view.keyboard.target is field
    area = field.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    port = area.viewport()

    def in_sight() -> bool:
        top_left = field.mapTo(port, field.rect().topLeft())
        return port.rect().contains(QRect(top_left, field.size()))

    qtbot.waitUntil(in_sight, timeout=2000)
    # room for a field and its label at least: not a slit with a tiny scroll bar
    assert port.height() >= 2 * theme.TOUCH + 40, port.height()
    assert view.keyboard.geometry().top() >= area.geometry().bottom()


@pytest.mark.parametrize("window", ["en"], indirect=True)
def test_a_field_low_on_the_page_scrolls_into_sight_when_the_keyboard_opens(
        window: KioskWindow, qtbot: Any) -> None:
    """The keyboard closed (Done), the visitor taps a field near the bottom of the page: the
    keyboard takes its room, and the page scrolls so that the field stays in sight."""
    from app.description import Field

    view = _keyboard_open(qtbot, window)
    kb, form = view.keyboard, view.service.form
    tap(qtbot, kb.done_button)
    qtbot.waitUntil(lambda: not kb.isVisible())
    form.build(tuple(Field.from_json({"id": f"f{i}", "type": "edit", "label": f"Field {i}"})
                     for i in range(4)), "en")
    last = form.input("f3")
    qtbot.waitUntil(last.isVisible)
    area = last.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    area.ensureWidgetVisible(last)
    qtbot.wait(50)
    qtbot.mouseClick(last, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kb.isVisible() and kb.target is last)
    port = area.viewport()

    def in_sight() -> bool:
        top_left = last.mapTo(port, last.rect().topLeft())
        return port.rect().contains(QRect(top_left, last.size()))

    qtbot.waitUntil(in_sight, timeout=2000)
    qtbot.wait(100)
    assert in_sight()
