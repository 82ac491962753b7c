"""The tester's run never waits without an end: Cancel answers at once ("Cancelling…"),
the status says "taking longer than usual" when nothing moved for a few seconds, the
time limit stops the run with a result that says so, and the bar reaches 100 % only
when the delivery is done, with the time left where the script's length is known.
While "Place your card again" shows (with its own Cancel), the status and the run's
Cancel wait.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.delivery import DeliveryResult, Outcome, Progress
from ui.labels import phase_label
from ui.widgets.waitwatch import WaitWatch, bar_value

if TYPE_CHECKING:
    from ui.tester.panel import TesterPanel
    from ui.widgets.replace_card import ReplaceCard


class TesterWait(QObject):
    def __init__(self, panel: TesterPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        s = panel.ctx.settings
        self.watch = WaitWatch(s.slow_s, s.wait_limit_s, self)
        self.progress: Progress | None = None
        self.watch.slow.connect(lambda _slow: self._status())

    def follow(self, box: ReplaceCard) -> None:
        """The picker's "Place your card again": meanwhile the status and Cancel wait."""
        box.waiting.connect(self._card_away)

    def start(self) -> None:
        """A run starts: the panel's cancel() is what the limit calls."""
        self.progress = None
        self.watch.start(self.panel)

    def _card_away(self, away: bool) -> None:
        panel = self.panel
        panel.status.setVisible(not away)
        panel.cancel_button.setVisible(not away)
        self.watch.hold(away)

    def stop(self) -> None:
        self.watch.stop()

    @property
    def timed_out(self) -> bool:
        return self.watch.timed_out

    def cancelling(self) -> None:
        if self.panel.runner is not None:
            self.watch.stop()
            self.panel.status.setText(self.tr("Cancelling…"))

    def on_progress(self, p: Progress) -> None:
        self.progress = p
        self.watch.progress(p)
        if p.apdus_expected:
            top, value = bar_value(p)
            self.panel.bar.setRange(0, top)
            self.panel.bar.setValue(value)
        self._status()

    def _status(self) -> None:
        p = self.progress
        if p is None:
            return
        text = (f"{phase_label(p.phase)} ({p.apdus_done}/{p.apdus_expected})"
                if p.apdus_expected else phase_label(p.phase))
        left = self.watch.seconds_left(p)
        if left is not None:
            text += " · " + self.tr("about %n s left", "", max(1, math.ceil(left)))
        if self.watch.is_slow:
            text += " · " + self.tr("taking longer than usual (Cancel stops it)")
        self.panel.status.setText(text)

    def result_note(self, r: DeliveryResult) -> str:
        """Said before the result when the limit ended the run."""
        if self.timed_out and r.outcome is Outcome.CANCELLED:
            return self.tr("No answer within %1 s: the run was stopped.").replace(
                "%1", f"{self.watch.limit_s:g}") + " "
        return ""
