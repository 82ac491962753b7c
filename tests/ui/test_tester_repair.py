"""Issue 18 point 1 in the tester: the Repair path through real widgets, the real backend
over HTTP and the virtual card.

An install torn by pulling the card after it changed the card (no grace period to put it
back) leaves the app Unstable per the backend; the tester then shows the app's one
action, Repair; running it uninstalls the app (the backend purges what it left) and
installs it again; the app ends Installed per the backend, and the run's trace shows both
deliveries, the purge's DELETE among them.
"""

from __future__ import annotations

from typing import Any

from app.cards import identify
from backend_stub.engine.cardchange import changes_elements
from tests.ui.conftest import run
from tests.ui.helpers import SECRET, shown_tester, tap

WAIT = 30_000


def _tester(make_ctx: Any, qtbot: Any, card_grace_s: float = 20.0) -> tuple[Any, Any]:
    ctx = make_ctx(virtual_present=True, kiosk=False, card_grace_s=card_grace_s)
    panel = shown_tester(qtbot, ctx)
    return ctx, panel


def _run(qtbot: Any, panel: Any, button: Any, nickname: str = "tester") -> None:
    """Taps `button` (Run, Repair); answers the nickname asked for; waits for the run's end."""
    runs = len(panel.runs.runs)
    tap(qtbot, button)
    qtbot.waitUntil(lambda: len(panel.runs.runs) > runs, timeout=WAIT)
    qtbot.waitUntil(lambda: panel.fields_send.isVisibleTo(panel) or panel.live is None,
                    timeout=WAIT)
    if panel.fields_send.isVisibleTo(panel):
        qtbot.keyClicks(panel.fields.input("nickname"), nickname)
        tap(qtbot, panel.fields_send)
    qtbot.waitUntil(lambda: panel.live is None, timeout=WAIT)


def test_an_unstable_app_is_repaired_from_the_tester(make_ctx: Any, qtbot: Any) -> None:
    # a card pulled is gone: no "place it again" wait
    ctx, panel = _tester(make_ctx, qtbot, card_grace_s=0)
    picker = panel.picker
    assert not picker.repair_button.isVisibleTo(panel)

    # a clean install on one card: which of its commands change the card
    panel.picker.select(SECRET, "install")
    _run(qtbot, panel, panel.run_button)
    assert panel.result is not None and panel.result.success, panel.result.error
    commands = [e.data for e in panel.runs.runs[-1].trace.commands()]
    first_change = next(i for i, c in enumerate(commands) if changes_elements(c))
    qtbot.waitUntil(lambda: picker.states.get(SECRET) == "Installed", timeout=5000)
    assert not picker.repair_button.isVisibleTo(panel)  # Installed: nothing to repair

    # a fresh card, pulled as the first command that changes it gets executed
    run(qtbot, ctx.hub.new_virtual_card())
    qtbot.waitUntil(ctx.hub.present, timeout=5000)
    card = ctx.hub.virtual.card
    card.arm_tear(first_change, execute_last=True)
    panel.picker.select(SECRET, "install")
    _run(qtbot, panel, panel.run_button)
    assert panel.result is not None and panel.result.outcome.value == "card-removed"
    run(qtbot, ctx.hub.insert_virtual())  # the same card back on the reader
    qtbot.waitUntil(ctx.hub.present, timeout=5000)
    client = ctx.client_now()
    ident = run(qtbot, identify(ctx.hub.reader()))
    assert run(qtbot, client.device_apps(ident.cin_hex))[SECRET] == "Unstable"
    qtbot.waitUntil(lambda: picker.states.get(SECRET) == "Unstable", timeout=5000)

    # the app's one action: Repair, named for a screen reader too; reading the card's
    # contents tells it as well (a card that comes with an Unstable app)
    qtbot.waitUntil(lambda: picker.repair_button.isVisibleTo(panel), timeout=5000)
    picker.note_states({})
    assert not picker.repair_button.isVisibleTo(panel)
    panel.tabs.setCurrentWidget(panel.contents)
    tap(qtbot, panel.contents.read_button)
    qtbot.waitUntil(lambda: picker.repair_button.isVisibleTo(panel), timeout=WAIT)
    qtbot.waitUntil(panel.contents.read_button.isEnabled, timeout=WAIT)
    panel.tabs.setCurrentIndex(0)
    assert picker.repair_button.text() == "Repair"
    assert picker.repair_button.accessibleDescription()
    picker.select(SECRET, "uninstall")  # whatever is chosen, Repair ends with an install
    _run(qtbot, panel, picker.repair_button, "repaired")
    assert panel.result is not None and panel.result.success, panel.result.error
    assert picker.service_id == "install"

    # per the backend: Installed; the button goes
    states = run(qtbot, client.device_apps(ident.cin_hex))
    assert states[SECRET] == "Installed", states
    qtbot.waitUntil(lambda: not picker.repair_button.isVisibleTo(panel), timeout=5000)

    # one run, two deliveries in its trace: the uninstall (with the purge), then the install
    text = panel.runs.runs[-1].trace.to_text()
    assert f"deliver {SECRET}/uninstall" in text and f"deliver {SECRET}/install" in text
    assert text.index(f"deliver {SECRET}/uninstall") < text.index(f"deliver {SECRET}/install")
    names = [e.name for e in panel.runs.runs[-1].trace.commands()]
    assert any("DELETE" in n.upper() for n in names), names
    shown = [e.name for e in panel.visible_entries()]  # the trace table, as the tester sees it
    assert any(n.startswith(f"deliver {SECRET}/uninstall") for n in shown)
    assert any(n.startswith(f"deliver {SECRET}/install") for n in shown)


def test_an_app_that_cannot_be_repaired_says_so_in_a_sentence(make_ctx: Any,
                                                               qtbot: Any) -> None:
    # an SP whose app has no uninstall service (its description from the real backend,
    # that one key taken out): Repair says why it cannot run, and nothing is delivered
    from app.repair import plan_repair
    from ui.tester.picker import DESC_ROLE

    _ctx, panel = _tester(make_ctx, qtbot)
    picker = panel.picker
    picker.select(SECRET, "install")
    index = picker.app_combo.currentIndex()
    desc = dict(picker.app_combo.itemData(index, DESC_ROLE))
    assert plan_repair(SECRET, desc).uninstall  # the demo app can be repaired as it is
    desc.pop("uninstallService")
    picker.app_combo.setItemData(index, desc, DESC_ROLE)
    picker.note_states({SECRET: "Unstable"})
    runs = len(panel.runs.runs)
    tap(qtbot, picker.repair_button)
    text = panel.backend_status.text()
    assert text.startswith("This application cannot be repaired here: its services offer "
                           "no uninstall or no install. Ask the Service Provider. (app "), text
    assert text.endswith("NotRepairableError)"), text
    assert len(panel.runs.runs) == runs and panel.live is None
