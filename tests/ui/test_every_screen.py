"""Every screen in every language (en, sv, es, de), in the normal look and in large text:
no text is cut (each label's and button's text against its space) and every control a
visitor or staff can reach has a name a screen reader says.

Real widgets on the real bundled backend over HTTP and the virtual card.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from app.delivery import DeliveryResult, Outcome, Phase, Progress
from app.i18n import MLString
from tests.ui.helpers import (
    SECRET,
    shown,
    shown_kiosk,
    start_with_demo_card,
    tap,
    tap_tile,
    wait_ask,
)
from tests.ui.screencheck import clipped, undescribed, unnamed
from ui import theme
from ui.kiosk.view import KioskView
from ui.windows import DesktopWindow

LANGS = ["en", "sv", "es", "de"]
SIZE = (1280, 800)


@pytest.fixture(autouse=True)
def app_font(qapp: Any) -> Iterator[None]:
    """The font the program sets (ui/main.py), not the test platform's default."""
    before = qapp.font()
    theme.apply_app_font(qapp)
    yield
    qapp.setFont(before)


def kiosk_screens(qtbot: Any, view: KioskView) -> Iterator[str]:
    """Drives the kiosk through its screens; yields each one's name once it is shown."""
    yield "attract"
    start_with_demo_card(qtbot, view)
    yield "apps"
    tap_tile(qtbot, view, SECRET)
    yield "detail"
    tap(qtbot, view.detail.action_buttons["install"])
    wait_ask(qtbot, view)
    yield "service-ask"
    svc = view.service
    view.flow.stop()
    view.go(svc)
    svc.start_progress()
    svc.show_progress(Progress(Phase.TRANSMITTING, 9, 19))
    yield "service-progress"
    for outcome in (Outcome.SUCCESS, Outcome.CARD_REMOVED, Outcome.DIFFERENT_CARD,
                    Outcome.BACKEND_ERROR, Outcome.NOT_ALLOWED):
        svc.show_result(DeliveryResult(outcome, MLString.of("Done.")))
        yield f"service-result-{outcome.value}"
    view.show_apps()
    view.overlays._idle_warn(20)
    yield "idle-warning"
    view.idle_overlay.dismiss()
    view.staff_button.click()
    yield "staff-pin"
    view.pin_overlay.dismiss()
    view.menu_overlay.open()
    yield "staff-menu"
    view.menu_overlay.dismiss()


def desktop_screens(qtbot: Any, window: DesktopWindow) -> Iterator[str]:
    window.show_tab("card")
    yield "desktop-card"
    window.show_tab("staff")
    yield "desktop-staff-pin"
    window._staff_unlocked()
    qtbot.waitUntil(lambda: window.staff.app_combo.count() >= 2, timeout=20_000)
    yield "desktop-staff"
    window.show_tab("tester")
    yield "desktop-tester"


def _walk(qtbot: Any, root: QWidget, screens: Iterator[str],
          check: Callable[[QWidget], list[str]]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name in screens:
        qtbot.wait(40)  # layouts and queued shows settle
        found = check(_on_top(root))
        if found:
            problems[name] = found
    return problems


def _on_top(root: QWidget) -> QWidget:
    """An open overlay while there is one (what is under it cannot be reached), else `root`."""
    from ui.widgets.overlay import Overlay

    return next((o for o in root.findChildren(Overlay) if o.isVisible()), root)


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{screen}: {p}" for screen, found in problems.items() for p in found)


def _kiosk(make_ctx: Any, qtbot: Any, lang: str, large: bool = False) -> KioskView:
    ctx = make_ctx(language=lang)
    ctx.access.set_large_text(large)
    return shown_kiosk(qtbot, ctx, SIZE)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_kiosk_text_is_cut(make_ctx: Any, qtbot: Any, lang: str, large: bool) -> None:
    view = _kiosk(make_ctx, qtbot, lang, large)
    problems = _walk(qtbot, view, kiosk_screens(qtbot, view), clipped)
    assert not problems, _report(problems)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_desktop_text_is_cut(make_ctx: Any, qtbot: Any, lang: str, large: bool) -> None:
    ctx = make_ctx(language=lang, kiosk=False, virtual_present=True)
    ctx.access.set_large_text(large)
    window = shown(qtbot, DesktopWindow(ctx), SIZE)
    assert window.tester.run_button.font().pointSize() == (15 if large else 11)
    problems = _walk(qtbot, window, desktop_screens(qtbot, window), clipped)
    assert not problems, _report(problems)


def test_every_kiosk_control_has_a_name_and_a_description(make_ctx: Any, qtbot: Any) -> None:
    view = _kiosk(make_ctx, qtbot, "en")
    problems = _walk(qtbot, view, kiosk_screens(qtbot, view),
                     lambda root: unnamed(root) + [f"no description: {w}"
                                                   for w in undescribed(root)])
    assert not problems, _report(problems)


def test_every_desktop_control_has_a_name(make_ctx: Any, qtbot: Any) -> None:
    ctx = make_ctx(language="en", kiosk=False, virtual_present=True)
    window = shown(qtbot, DesktopWindow(ctx), SIZE, exposed=False)
    problems = _walk(qtbot, window, desktop_screens(qtbot, window), unnamed)
    assert not problems, _report(problems)


def test_the_checks_catch_a_cut_text_and_an_unnamed_control(qtbot: Any) -> None:
    """The checks above can fail: a label too narrow for its text, a button too narrow, a
    wrapped label too low, and a text field nobody named."""
    from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    col = QVBoxLayout(root)
    narrow = QLabel("A rather long sentence that cannot fit")
    narrow.setFixedWidth(60)
    wrapped = QLabel("Several words that wrap onto many lines of text here")
    wrapped.setWordWrap(True)
    wrapped.setFixedSize(80, 20)
    button = QPushButton("Confirmar la instalación")
    button.setFixedWidth(50)
    field = QLineEdit()
    named = QLineEdit()
    named.setAccessibleName("PIN")
    for w in (narrow, wrapped, button, field, named):
        col.addWidget(w)
    root.show()
    qtbot.waitExposed(root)
    cut = clipped(root)
    assert len(cut) == 3 and all(any(t in c for c in cut) for t in ("A rather", "Several",
                                                                    "Confirmar")), cut
    assert unnamed(root) == ["QLineEdit ? in QWidget "]
    narrow.setMinimumWidth(narrow.sizeHint().width())
    narrow.setMaximumWidth(10_000)
    qtbot.wait(20)
    assert not any("A rather" in c for c in clipped(root))


@pytest.mark.parametrize("lang, said, shown", [("es", "Hecho.", False), ("en", "Done!", False),
                                               ("sv", "Klart.", False),
                                               ("de", "Ihr Schlüssel ist bereit.", True)])
def test_a_result_says_done_once(make_ctx: Any, qtbot: Any, lang: str, said: str,
                                 shown: bool) -> None:
    """The demo SP's "Hecho." under the title "Hecho": the message that only repeats the
    title is not shown; any other message is."""
    view = _kiosk(make_ctx, qtbot, lang)
    view.ensure_built()
    svc = view.service
    view.go(svc)
    svc.show_result(DeliveryResult(Outcome.SUCCESS, MLString.of({lang: said})))
    qtbot.wait(20)
    assert svc.result_title.isVisible()
    assert svc.result_text.isHidden() is not shown
    svc.show_result(DeliveryResult(Outcome.SUCCESS, MLString.of({lang: "Su clave está lista."})))
    assert not svc.result_text.isHidden()
