"""Issue 18 point 2 in the kiosk: a backend that stops answering (SIGSTOP of the real
backend process) never leaves the visitor stuck on "Starting / Do not remove your card".

Short waits from the settings (slow after 0.4 s, limit 2 s) instead of long sleeps.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.delivery import Outcome
from tests.ui.helpers import ask_install, shown_kiosk, start_with_demo_card, tap, wait_result
from ui.kiosk.view import KioskView


@pytest.fixture
def kiosk(paused_ctx: Any, qtbot: Any) -> tuple[Any, KioskView]:
    ctx = paused_ctx()
    view = shown_kiosk(qtbot, ctx)
    return ctx, view


def _confirm_with_backend_paused(qtbot: Any, view: KioskView, server: Any) -> None:
    start_with_demo_card(qtbot, view)
    ask_install(qtbot, view, "paused")
    server.pause()
    tap(qtbot, view.service.confirm_button)
    svc = view.service
    qtbot.waitUntil(lambda: svc.stack.currentWidget() is svc.progress_page, timeout=5000)


def test_taking_longer_then_cancel_ends_with_a_clear_result(kiosk: Any, qtbot: Any,
                                                            server: Any) -> None:
    _ctx, view = kiosk
    _confirm_with_backend_paused(qtbot, view, server)
    waiting = view.flow.waiting
    assert waiting.cancel_button.isVisible()  # visible from the start of the wait
    assert not waiting.slow_label.isVisible()
    qtbot.waitUntil(waiting.slow_label.isVisible, timeout=3000)
    assert "taking longer than usual" in waiting.slow_label.text()
    assert view.service.bar.value() < view.service.bar.maximum() or \
        view.service.bar.maximum() == 0  # busy or partial, never 100 % while it waits
    tap(qtbot, waiting.cancel_button)
    wait_result(qtbot, view, timeout=5000)
    assert view.last_result is not None
    assert view.last_result.outcome is Outcome.CANCELLED
    assert view.service.result_title.text() == "Cancelled"
    assert not view.service.timed_out
    server.resume()


def test_time_limit_ends_with_it_took_too_long(kiosk: Any, qtbot: Any, server: Any) -> None:
    _ctx, view = kiosk
    _confirm_with_backend_paused(qtbot, view, server)
    qtbot.waitUntil(view.flow.waiting.slow_label.isVisible, timeout=3000)
    wait_result(qtbot, view, timeout=6000)  # limit 2 s, no tap
    svc = view.service
    assert view.last_result is not None and view.last_result.outcome is Outcome.CANCELLED
    assert svc.timed_out
    assert svc.result_title.text() == "This took too long"
    assert "did not answer in time" in svc.result_hint.text()
    server.resume()
    # the kiosk goes on: back to the applications once the backend answers again
    tap(qtbot, svc.result_button)
    qtbot.waitUntil(lambda: view.screen_name == "apps", timeout=20_000)


def test_a_backend_that_answers_again_in_time_clears_taking_longer(
        kiosk: Any, qtbot: Any, server: Any) -> None:
    _ctx, view = kiosk
    view.flow.waiting.watch.limit_s = 30.0
    _confirm_with_backend_paused(qtbot, view, server)
    waiting = view.flow.waiting
    qtbot.waitUntil(waiting.slow_label.isVisible, timeout=3000)
    server.resume()
    wait_result(qtbot, view, timeout=20_000)
    assert view.last_result is not None and view.last_result.success
    assert view.service.bar.value() == view.service.bar.maximum() > 0  # 100 % once done
    assert not waiting.slow_label.isVisible() or not waiting.watch.is_slow
