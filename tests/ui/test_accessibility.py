"""Touch targets, accessible names, keyboard reach and contrast."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QPushButton, QWidget

from tests.ui.helpers import SECRET, shown_kiosk, start_with_demo_card, tap_tile
from ui import theme
from ui.windows import DesktopWindow


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("fg, bg", [
    (theme.TEXT, theme.BG), (theme.MUTED, theme.BG), (theme.TEXT, theme.SURFACE),
    (theme.MUTED, theme.SURFACE), (theme.TEXT, theme.SURFACE_2), (theme.TEXT, theme.ACCENT),
    (theme.TEXT, theme.DANGER), (theme.LINK, theme.BG), (theme.ACCENT_HI, theme.BG),
    *[(fg, bg) for bg, fg in theme.BADGES.values()],
])
def test_text_contrast_is_at_least_4_5(fg: str, bg: str) -> None:
    assert contrast(fg, bg) >= 4.5, (fg, bg, contrast(fg, bg))


def _visible_buttons(root: QWidget) -> list[QAbstractButton]:
    return [b for b in root.findChildren(QAbstractButton) if b.isVisible()]


def test_kiosk_touch_targets_and_names(make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx()
    view = shown_kiosk(qtbot, ctx)
    checked = 0
    start_with_demo_card(qtbot, view)
    for step in ("apps", "detail"):
        if step == "detail":
            tap_tile(qtbot, view, SECRET)
        qtbot.wait(30)
        for b in _visible_buttons(view):
            name = b.accessibleName() or b.text()
            assert name.strip(), f"a button without a name: {b.objectName()}"
            assert b.height() >= 44 and b.width() >= 44, (name, b.size())
            checked += 1
    assert checked >= 8
    # tiles are far bigger than a fingertip and tell screen readers what they are
    assert theme.TILE_H >= 44 and theme.TILE_W >= 44
    grid = view.apps.grid
    idx = grid.model().index(0, 0)
    assert ", " in grid.model().data(idx, Qt.ItemDataRole.AccessibleTextRole)


def test_pin_pad_keys_are_big(make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx()
    view = shown_kiosk(qtbot, ctx, exposed=False)
    view.staff_button.click()
    qtbot.wait(20)
    for b in view.pinpad.findChildren(QPushButton):
        if b.isVisible():
            assert b.height() >= 44 and b.width() >= 44


def test_desktop_modes_are_reachable_by_keyboard(make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    window = DesktopWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("tester")
    qtbot.wait(20)
    tester = window.tester
    chain: list[QWidget] = []
    w: QWidget | None = tester.url_edit
    for _ in range(200):
        assert w is not None
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(w)
        w = w.nextInFocusChain()
        if w is tester.url_edit:
            break
    for needed in (tester.token_edit, tester.connect_button, tester.app_combo,
                   tester.service_combo, tester.run_button, tester.filter_edit, tester.table):
        assert needed in chain, needed.objectName()
    # every control of the three tabs has a name a screen reader can say
    for panel in (tester, window.staff, window.gate):
        for b in panel.findChildren(QAbstractButton):
            assert (b.accessibleName() or b.text()).strip() or not b.isVisibleTo(panel), \
                b.objectName()
