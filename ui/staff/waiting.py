"""Staff mode's waits have an end too: while a card is worked on the status says "taking
longer than usual" when nothing moved for a few seconds, Stop cancels the delivery on
that card (not only the next ones), and the time limit ends it with a row that says so.
While "Place your card again" shows, it is the heading: "do not remove it" waits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.delivery import DeliveryResult, DeliveryRunner, Outcome, Progress
from ui.widgets.waitwatch import WaitWatch, bar_value

if TYPE_CHECKING:
    from ui.staff.panel import StaffPanel
    from ui.widgets.replace_card import ReplaceCard


class StaffWait(QObject):
    def __init__(self, panel: StaffPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        s = panel.ctx.settings
        self.watch = WaitWatch(s.slow_s, s.wait_limit_s, self)
        self.runner: DeliveryRunner | None = None
        self.watch.slow.connect(self._slow)
        self._base = ""

    def follow(self, box: ReplaceCard) -> None:
        """The panel's "Place your card again": in the heading's place, as a heading."""
        box.title.setProperty("role", "title")
        box.title.style().unpolish(box.title)  # the panel's style may be applied already
        box.title.style().polish(box.title)
        box.waiting.connect(self._card_away)

    def start(self, runner: DeliveryRunner) -> None:
        self.runner = runner
        self._base = self.panel.status.text()
        self.watch.start(runner)

    def on_progress(self, p: Progress) -> None:
        self.watch.progress(p)
        if p.apdus_expected:
            top, value = bar_value(p)
            self.panel.status.setToolTip(f"{round(100 * value / top)} %")

    def stop(self) -> None:
        self.watch.stop()
        self.runner = None

    def _card_away(self, away: bool) -> None:
        self.panel.status.setVisible(not away)
        self.watch.hold(away)

    def cancel(self) -> None:
        """Stop pressed: the card being worked on stops too."""
        if self.runner is not None:
            self.runner.cancel()

    def _slow(self, slow: bool) -> None:
        self.panel.status.setText(
            self._base + "\n" + self.tr("This is taking longer than usual. Stop ends it.")
            if slow else self._base)

    def message(self, r: DeliveryResult, text: str) -> str:
        """The row's message (the run is over: the watch stops)."""
        self.stop()
        if self.watch.timed_out and r.outcome is Outcome.CANCELLED:
            return self.tr("No answer within %1 s: stopped.").replace(
                "%1", f"{self.watch.limit_s:g}")
        return text
