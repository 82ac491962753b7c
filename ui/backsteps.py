"""Esc/Backspace one step back on the staff and tester screens (issue 18, point 11).

The kiosk's own steps are ui/kiosk/keys.py's `go_back`; these are the other screens'
with something to go back from, watched by the same `BackKeys`:

- a dialog-like page asked during a delivery (the service's user actions, the tester's
  fields): Esc is its Cancel, as in the kiosk;
- the tester's trace showing an older run picked in the Runs tab: back to that list;
- staff mode inside the kiosk: back to the kiosk, as its "Back to the kiosk" button
  (never while cards are being worked on: Stop comes first).

A delivery going on is never stopped by a key: its own Cancel or Stop does that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ui.kiosk.keys import BackKeys

if TYPE_CHECKING:
    from ui.staff.panel import StaffPanel
    from ui.tester.panel import TesterPanel
    from ui.widgets.actions import ActionsView


def _actions_back(actions: ActionsView) -> bool:
    if actions.waiting and actions.isVisible():
        actions.cancel_button.click()
        return True
    return False


def staff_back(panel: StaffPanel, leave: Callable[[], object] | None = None) -> bool:
    if _actions_back(panel.user_actions):
        return True
    if leave is not None and not panel.running:
        leave()
        return True
    return False


def tester_back(panel: TesterPanel) -> bool:
    if _actions_back(panel.user_actions):
        return True
    if panel.fields_send.isVisible() and panel.cancel_button.isEnabled():
        panel.cancel_button.click()  # the fields asked for: not sent, the run cancelled
        return True
    runs = panel.runs.runs
    if panel.tabs.currentIndex() == 0 and panel.shown is not None and runs \
            and panel.shown is not runs[-1]:
        panel.tabs.setCurrentWidget(panel.runs_page)
        return True
    return False


def staff_keys(panel: StaffPanel, leave: Callable[[], object] | None = None) -> BackKeys:
    return BackKeys(panel, lambda: staff_back(panel, leave))


def tester_keys(panel: TesterPanel) -> BackKeys:
    return BackKeys(panel, lambda: tester_back(panel))
