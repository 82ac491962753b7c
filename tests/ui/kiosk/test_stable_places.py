"""Issue 18 point 4: controls do not move under the finger.

Through the real kiosk, backend and virtual card: the tiles keep their order when
the language changes (the backend's order, never the translated name), and each
action button keeps its place on the detail screen across the app's states.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt

from tests.ui.conftest import run
from tests.ui.helpers import (
    SECRET,
    back_to_apps,
    shown_kiosk,
    start_with_demo_card,
    tap,
    tap_tile,
    wait_ask,
    wait_result,
    wait_screen,
)
from ui.kiosk.view import KioskView


@pytest.fixture
def kiosk(make_ctx: Any, qtbot: Any) -> tuple[Any, KioskView]:
    ctx = make_ctx()
    view = shown_kiosk(qtbot, ctx)
    return ctx, view


def _order(view: KioskView) -> list[str]:
    return [e.app_id for e in view.apps.grid.entries()]


def test_tiles_keep_their_order_and_place_across_languages(kiosk: Any, qtbot: Any) -> None:
    ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    backend_order = [a for a in run(qtbot, ctx.client_now().list_apps()) if a in _order(view)]
    en = _order(view)
    assert en == backend_order and len(en) >= 2
    rects = {a: QRect(view.apps.grid.tile_rect(a)) for a in en}
    names_en = [e.name for e in view.apps.grid.entries()]
    for lang in ("de", "sv", "es"):
        ctx.language.set(lang)
        qtbot.waitUntil(lambda: [e.name for e in view.apps.grid.entries()] != names_en,
                        timeout=10_000)
        assert _order(view) == en, lang
        assert {a: view.apps.grid.tile_rect(a) for a in en} == rects, lang
    # the German names sort the other way ("Die geheime…" < "Hallo…"): a tap where the
    # Secret app's tile was still opens the Secret app
    grid = view.apps.grid
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rects[SECRET].center()))
    wait_screen(qtbot, view, "detail")
    assert view.detail.entry is not None and view.detail.entry.app_id == SECRET


def _place(view: KioskView, kind: str) -> QRect:
    b = view.detail.action_buttons[kind]
    return QRect(b.mapTo(view, QPoint(0, 0)), b.size())


def _confirm_and_finish(qtbot: Any, view: KioskView, kind: str) -> None:
    tap(qtbot, view.detail.action_buttons[kind])
    svc = view.service
    if kind in ("install", "suspend", "uninstall"):
        wait_ask(qtbot, view)
        if svc.form.needs_input():
            qtbot.keyClicks(svc.form.input("nickname"), "slot key")
        tap(qtbot, svc.confirm_button)
    wait_result(qtbot, view)
    assert view.last_result is not None and view.last_result.success, view.last_result
    back_to_apps(qtbot, view)
    tap_tile(qtbot, view, SECRET)
    qtbot.wait(50)  # the layout settles on the next turn


def test_each_action_keeps_its_place_across_states(kiosk: Any, qtbot: Any) -> None:
    _ctx, view = kiosk
    start_with_demo_card(qtbot, view)
    tap_tile(qtbot, view, SECRET)
    qtbot.wait(50)
    assert view.detail.visible_actions() == ["install"]
    places: dict[str, QRect] = {"install": _place(view, "install")}
    seen: dict[str, list[str]] = {}
    for kind, then in (("install", "Installed"), ("suspend", "Suspended"),
                       ("unsuspend", "Installed"), ("uninstall", "NotInstalled")):
        _confirm_and_finish(qtbot, view, kind)
        assert view.detail.entry is not None and view.detail.entry.state == then
        seen[then] = view.detail.visible_actions()
        for k in seen[then]:
            place = _place(view, k)
            assert places.setdefault(k, place) == place, (k, then)
    assert set(seen["Installed"]) == {"suspend", "uninstall"}
    assert set(seen["Suspended"]) == {"unsuspend", "uninstall"}
    # Uninstall never takes Suspend's place; Unsuspend is where Suspend was (its toggle)
    assert places["uninstall"] != places["suspend"]
    assert places["unsuspend"].topLeft() == places["suspend"].topLeft()
    assert not places["install"].intersects(places["uninstall"])
