"""Large text and high contrast from the attract screen, kept for the session and reset for
the next visitor; the kiosk by keyboard alone (Tab, Enter, Esc/Backspace back, and Esc
never a way out of the kiosk). Real widgets on the real backend and the virtual card."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from tests.ui.helpers import (
    SECRET,
    ask_install,
    shown,
    shown_kiosk,
    start_with_demo_card,
    tap,
    wait_screen,
)
from ui import theme
from ui.kiosk.view import KioskView
from ui.windows import KioskWindow


def _kiosk(make_ctx: Any, qtbot: Any, **kw: Any) -> KioskView:
    return shown_kiosk(qtbot, make_ctx(**kw))


def test_large_text_from_the_attract_screen_scales_every_screen_then_resets(
        make_ctx: Any, qtbot: Any) -> None:
    view = _kiosk(make_ctx, qtbot, idle_s=3.0, warn_s=1.0)
    normal_title = view.attract.title.font().pixelSize()
    normal_button = view.attract.demo_button.font().pixelSize()
    tap(qtbot, view.attract.large_button)
    assert view.ctx.settings.large_text and view.attract.large_button.isChecked()
    assert view.attract.title.font().pixelSize() == round(normal_title * theme.LARGE_SCALE)
    qtbot.waitUntil(lambda: view.attract.demo_button.font().pixelSize() > normal_button)
    start_with_demo_card(qtbot, view)  # the setting stays with the visitor's session
    assert view.apps.finish_button.font().pixelSize() == round(20 * theme.LARGE_SCALE)
    assert view.apps.grid.gridSize().width() > theme.TILE_W + 8
    # idle: the next visitor gets the kiosk as it started
    wait_screen(qtbot, view, "attract", timeout=10_000)
    assert not view.ctx.settings.large_text and not view.attract.large_button.isChecked()
    assert view.attract.title.font().pixelSize() == normal_title


def test_high_contrast_paints_black_with_white_and_yellow(make_ctx: Any, qtbot: Any) -> None:
    view = _kiosk(make_ctx, qtbot)
    assert view.grab().toImage().pixelColor(4, 790) == QColor(theme.BG)
    tap(qtbot, view.attract.contrast_button)
    qtbot.wait(30)
    image = view.grab().toImage()
    assert image.pixelColor(4, 790) == QColor("#000000")
    start_with_demo_card(qtbot, view)
    qtbot.wait(30)
    grid = view.apps.grid
    tile = grid.tile_rect(SECRET)
    shot = grid.viewport().grab().toImage()
    colours = {shot.pixelColor(x, y).name() for x in range(tile.left(), tile.right(), 3)
               for y in range(tile.top(), tile.bottom(), 3)}
    assert colours >= {"#000000", "#ffffff"}  # the tile: black, outlined and written in white
    assert theme.SURFACE not in colours
    view.ctx.access.set_high_contrast(False)
    qtbot.wait(30)
    assert theme.SURFACE in {grid.viewport().grab().toImage().pixelColor(tile.center()).name()}


def _key(qtbot: Any, widget: QWidget, key: Qt.Key) -> None:
    qtbot.keyClick(widget, key)
    qtbot.wait(20)


def test_the_kiosk_by_keyboard_alone(make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx(kiosk=True)
    window = shown(qtbot, KioskWindow(ctx))
    view = window.kiosk
    # the Tab chain reaches the demo card and both display toggles
    reached: set[QWidget] = set()
    w: QWidget = view.attract.demo_button
    for _ in range(100):
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            reached.add(w)
        w = w.nextInFocusChain()
    assert {view.attract.demo_button, view.attract.large_button,
            view.attract.contrast_button} <= reached
    # Space toggles, Enter presses
    view.attract.large_button.setFocus()
    _key(qtbot, view.attract.large_button, Qt.Key.Key_Space)
    assert ctx.settings.large_text
    view.attract.demo_button.setFocus()
    _key(qtbot, view.attract.demo_button, Qt.Key.Key_Return)
    wait_screen(qtbot, view, "apps")
    grid = view.apps.grid
    grid.setFocus()
    grid.setCurrentIndex(grid.model().index(grid.model_.row_of(SECRET), 0))
    _key(qtbot, grid, Qt.Key.Key_Return)
    wait_screen(qtbot, view, "detail")
    assert view.current is not None and view.current.app_id == SECRET
    # Esc goes back one screen; the window stays (Esc is no way out of the kiosk)
    _key(qtbot, view.detail.back_button, Qt.Key.Key_Escape)
    wait_screen(qtbot, view, "apps")
    assert window.isVisible()
    ask_install(qtbot, view)
    _key(qtbot, view.service.confirm_button, Qt.Key.Key_Backspace)  # = Cancel
    wait_screen(qtbot, view, "detail")
    # an overlay: Esc closes it, not the screen under it
    view.staff_button.click()
    qtbot.waitUntil(view.pin_overlay.isVisible)
    _key(qtbot, view.pinpad, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.pin_overlay.isVisible())
    assert view.screen_name == "detail"
    _key(qtbot, view.detail.back_button, Qt.Key.Key_Escape)
    wait_screen(qtbot, view, "apps")
    _key(qtbot, view.apps.finish_button, Qt.Key.Key_Escape)  # from the apps: finish
    wait_screen(qtbot, view, "attract")
    _key(qtbot, view.attract.demo_button, Qt.Key.Key_Escape)  # nothing before the attract
    assert window.isVisible() and not window.unlocked
