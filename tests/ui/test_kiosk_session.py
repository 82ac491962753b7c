"""Idle reset, language switching (chrome and content), and the staff PIN guarding the exit."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.pinstore import PinStore
from tests.ui.conftest import run
from tests.ui.helpers import (
    SECRET,
    entry,
    shown,
    shown_kiosk,
    start_with_demo_card,
    tap,
    tap_tile,
    wait_ask,
    wait_screen,
)
from ui.kiosk.view import KioskView
from ui.windows import KioskWindow


def _view(make_ctx: Any, qtbot: Any, **kw: Any) -> tuple[Any, KioskView]:
    ctx = make_ctx(**kw)
    view = shown_kiosk(qtbot, ctx)
    return ctx, view


def test_idle_warns_then_resets_session_and_language(make_ctx: Any, qtbot: Any) -> None:
    ctx, view = _view(make_ctx, qtbot, idle_s=2.5, warn_s=1.5)
    start_with_demo_card(qtbot, view)
    tap(qtbot, view.languages.buttons["sv"])
    qtbot.waitUntil(lambda: entry(view, SECRET).name == "Den hemliga applikationen")
    # no input: "Still there?" in the visitor's language, then back to the start
    qtbot.waitUntil(view.idle_overlay.isVisible, timeout=3000)
    assert view.idle_title.text() == "Är du kvar?"
    assert "sekund" in view.idle_text.text()
    wait_screen(qtbot, view, "attract", timeout=3000)
    assert ctx.language.code == "en"
    qtbot.waitUntil(lambda: view.attract.title.text() == "Hold your card to the reader")
    assert view.ident is None
    assert not view.idle_overlay.isVisible()
    qtbot.waitUntil(lambda: not ctx.hub.present(), timeout=2000)


def test_still_here_keeps_the_session(make_ctx: Any, qtbot: Any) -> None:
    _ctx, view = _view(make_ctx, qtbot, idle_s=2.0, warn_s=1.5)
    start_with_demo_card(qtbot, view)
    qtbot.waitUntil(view.idle_overlay.isVisible, timeout=3000)
    tap(qtbot, view.idle_button)
    assert not view.idle_overlay.isVisible()
    qtbot.wait(800)  # past the original deadline
    assert view.screen_name == "apps"
    assert view.ident is not None


def test_language_switch_changes_chrome_and_content(make_ctx: Any, qtbot: Any) -> None:
    _ctx, view = _view(make_ctx, qtbot)
    assert view.attract.title.text() == "Hold your card to the reader"
    tap(qtbot, view.languages.buttons["sv"])
    qtbot.waitUntil(lambda: view.attract.title.text() == "Håll ditt kort mot läsaren")
    tap(qtbot, view.attract.demo_button)
    wait_screen(qtbot, view, "apps")
    assert view.apps.title.text() == "Applikationer för ditt kort"
    e = entry(view, SECRET)
    assert (e.name, e.organization) == ("Den hemliga applikationen", "Demo Hemligheter AB")
    tap_tile(qtbot, view, SECRET)
    assert view.detail.action_buttons["install"].text() == "Installera"
    assert view.detail.badge.text() == "Inte installerad"
    assert "privat nyckel" in view.detail.description.text()
    # switching on the detail screen re-picks everything in place
    tap(qtbot, view.languages.buttons["es"])
    qtbot.waitUntil(lambda: view.detail.name.text() == "La aplicación secreta")
    qtbot.waitUntil(lambda: view.detail.action_buttons["install"].text() == "Instalar")
    assert view.detail.back_button.text() == "Atrás"
    assert view.detail.org.text() == "Demo Secretos S.L."
    tap(qtbot, view.detail.action_buttons["install"])
    svc = view.service
    wait_ask(qtbot, view)
    assert svc.title.text() == "Instalar La aplicación secreta"
    assert svc.confirm_button.text() == "Confirmar"
    assert svc.form._labels["nickname"].text() == "Nombre de su clave"
    tap(qtbot, view.languages.buttons["de"])
    qtbot.waitUntil(lambda: svc.confirm_button.text() == "Bestätigen")
    assert svc.title.text() == "Die geheime Anwendung installieren"
    assert svc.form._labels["nickname"].text() == "Name Ihres Schlüssels"


def test_german_strings_fit(make_ctx: Any, qtbot: Any) -> None:
    """Long German words: every button shows its whole text at 1024x768."""
    _ctx, view = _view(make_ctx, qtbot, language="de")
    view.resize(1024, 768)
    start_with_demo_card(qtbot, view)
    tap_tile(qtbot, view, SECRET)
    qtbot.wait(50)
    for screen in (view.apps, view.detail):
        view.stack.setCurrentWidget(screen)
        qtbot.wait(20)
        for b in view.findChildren(type(view.staff_button)):
            if b.isVisible():
                assert b.width() >= b.sizeHint().width(), b.text()
    assert view.minimumSizeHint().width() <= 1024


@pytest.fixture
def pins(home: Any) -> PinStore:
    store = PinStore(home, use_keyring=False)
    store.set_pin("2468")
    return store


def test_kiosk_cannot_be_left_without_the_staff_pin(make_ctx: Any, qtbot: Any,
                                                    pins: PinStore) -> None:
    ctx = make_ctx(pins=pins)
    window = shown(qtbot, KioskWindow(ctx))
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    qtbot.keyClick(window.kiosk, Qt.Key.Key_Escape)
    assert window.isVisible() and not closed

    view = window.kiosk
    tap(qtbot, view.staff_button)
    assert view.pin_overlay.isVisible()
    for d in "1111":
        tap(qtbot, view.pinpad.digits[d])
    tap(qtbot, view.pinpad.ok_button)
    qtbot.waitUntil(lambda: view.pinpad.message.text() == "Wrong PIN.")
    assert not view.menu_overlay.isVisible()
    for d in "2468":
        qtbot.keyClick(view.pinpad, d)  # the keyboard works too
    qtbot.keyClick(view.pinpad, Qt.Key.Key_Return)
    qtbot.waitUntil(view.menu_overlay.isVisible)
    tap(qtbot, view.menu_exit)
    qtbot.waitUntil(lambda: bool(closed))
    assert not window.isVisible()


def test_staff_menu_opens_staff_mode_and_comes_back(make_ctx: Any, qtbot: Any,
                                                    pins: PinStore) -> None:
    ctx = make_ctx(pins=pins)
    window = shown(qtbot, KioskWindow(ctx), exposed=False)
    view = window.kiosk
    tap(qtbot, view.staff_button)
    for d in "2468":
        tap(qtbot, view.pinpad.digits[d])
    tap(qtbot, view.pinpad.ok_button)
    qtbot.waitUntil(view.menu_overlay.isVisible)
    tap(qtbot, view.menu_staff)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.staff)
    tap(qtbot, window.staff.back_button)
    assert window.stack.currentWidget() is window.kiosk
    assert view.screen_name == "attract"


def test_no_pin_set_means_no_way_out(make_ctx: Any, qtbot: Any, home: Any) -> None:
    store = PinStore(home / "empty", use_keyring=False)
    ctx = make_ctx(pins=store)
    window = KioskWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.kiosk
    tap(qtbot, view.staff_button)
    assert "touchpoint --set-staff-pin" in view.pinpad.message.text()
    for d in "0000":
        tap(qtbot, view.pinpad.digits[d])
    tap(qtbot, view.pinpad.ok_button)
    qtbot.wait(300)  # checked off the Qt thread: still "no PIN is set", never "Wrong PIN."
    assert "touchpoint --set-staff-pin" in view.pinpad.message.text()
    assert not view.menu_overlay.isVisible()
    run(qtbot, view.close_async())
