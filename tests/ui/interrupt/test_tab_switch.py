"""Issue 18 point 6: leaving a desktop tab while its delivery runs is refused (and says
why); once the delivery has its result, the tabs change again. The delivery is held
running by pausing the real backend (SIGSTOP)."""

from __future__ import annotations

from typing import Any

from tests.ui.helpers import (
    SECRET,
    ask_install,
    run_to_fields,
    shown,
    start_with_demo_card,
    tap,
    wait_result,
)
from ui.windows import DesktopWindow


def _window(paused_ctx: Any, qtbot: Any, **kw: Any) -> DesktopWindow:
    ctx = paused_ctx(kiosk=False, limit_s=30.0, **kw)
    return shown(qtbot, DesktopWindow(ctx), None)


def test_leaving_the_card_tab_during_an_install_is_refused(paused_ctx: Any, qtbot: Any,
                                                           server: Any) -> None:
    window = _window(paused_ctx, qtbot)
    view = window.kiosk
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view, "tabs")
    server.pause()
    tap(qtbot, view.service.confirm_button)
    qtbot.waitUntil(lambda: view.delivering, timeout=5000)
    for name in ("tester", "staff"):
        window.show_tab(name)
        assert window.current_tab() == "card"
        assert view.delivering and view.active  # the delivery goes on, still shown
        assert "A delivery is running here" in window.statusBar().currentMessage()
    server.resume()
    wait_result(qtbot, view)
    assert view.last_result is not None and view.last_result.success
    window.show_tab("tester")
    assert window.current_tab() == "tester"


def test_leaving_the_tester_during_a_run_is_refused(paused_ctx: Any, qtbot: Any,
                                                    server: Any) -> None:
    window = _window(paused_ctx, qtbot, virtual_present=True)
    window.show_tab("tester")
    panel = window.tester
    assert window.tester_stack.currentWidget() is panel  # no PIN set: open
    panel.refresh()
    qtbot.waitUntil(lambda: panel.app_combo.findData(SECRET) >= 0, timeout=10_000)
    panel.select(SECRET, "install")
    qtbot.waitUntil(lambda: panel.service_combo.currentData() == "install", timeout=10_000)
    run_to_fields(qtbot, panel, "tabs")
    server.pause()
    tap(qtbot, panel.fields_send)
    window.show_tab("card")
    assert window.current_tab() == "tester" and panel.runner is not None
    tap(qtbot, panel.cancel_button)
    qtbot.waitUntil(lambda: panel.runner is None, timeout=5000)
    window.show_tab("card")
    assert window.current_tab() == "card"
    server.resume()
