"""The kiosk's progress page never leaves the visitor stuck: a Cancel button all along,
"This is taking longer than usual" when nothing moved for a few seconds, the time left
when the script's length is known, and the time limit (ui/widgets/waitwatch.py) that
ends the delivery with a clear "it took too long" result page.

Built onto the service screen's progress page by the flow; its texts are in the
view's translation context ("KioskView").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton

from app.delivery import Progress
from ui.widgets.waitwatch import Cancellable, WaitWatch

if TYPE_CHECKING:
    from ui.kiosk.service import ServiceScreen

translate = QCoreApplication.translate


class ProgressWait:
    """The parts of the progress page that deal with waiting, and the watch behind them."""

    def __init__(self, service: ServiceScreen, slow_s: float, limit_s: float) -> None:
        self.service = service
        self.watch = WaitWatch(slow_s, limit_s, service)
        self.progress: Progress | None = None
        self.runner: Cancellable | None = None
        self.slow_label = QLabel(service.progress_page)
        self.slow_label.setObjectName("taking-longer")
        self.slow_label.setProperty("role", "subtitle")
        self.slow_label.setWordWrap(True)
        self.slow_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.slow_label.hide()
        self.estimate = QLabel(service.progress_page)
        self.estimate.setObjectName("time-left")
        self.estimate.setProperty("role", "muted")
        self.estimate.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cancel_button = QPushButton(service.progress_page)
        self.cancel_button.setObjectName("progress-cancel")
        self.cancel_button.clicked.connect(self.cancel)
        layout = service.progress_page.layout()
        assert isinstance(layout, QBoxLayout)
        at = layout.indexOf(service.keep) + 1
        layout.insertWidget(at, self.estimate)
        layout.insertWidget(at + 1, self.slow_label)
        layout.insertWidget(at + 2, self.cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.watch.slow.connect(self._slow)
        self.retranslate()

    def start(self, runner: Cancellable) -> None:
        self.runner = runner
        self.progress = None
        self.service.timed_out = False
        self.cancel_button.setEnabled(True)
        self.estimate.setText("")
        self.watch.start(runner)

    def on_progress(self, p: Progress) -> None:
        self.progress = p
        self.watch.progress(p)
        self._fill_estimate()

    def pause(self) -> None:
        self.watch.pause()

    def stop(self) -> None:
        """The delivery ended: what the result page must say about a time-out."""
        self.service.timed_out = self.watch.timed_out and self.runner is not None
        self.watch.stop()
        self.watch.timed_out = False  # told once; the next delivery starts clean
        self.runner = None

    def card_away(self, away: bool) -> None:
        """"Place your card again" shows (True) or ends (False): meanwhile the page says only
        that, with its one Cancel; the phase, "do not remove your card", the time left and
        this Cancel wait, and so does the watch (nobody waits on the backend)."""
        service = self.service
        for w in (service.phase, service.keep, self.estimate, self.cancel_button):
            w.setVisible(not away)
        self.watch.hold(away)  # a hold also ends "taking longer than usual"

    def cancel(self) -> None:
        if self.runner is not None:
            self.cancel_button.setEnabled(False)  # one tap is enough; the result follows
            self.runner.cancel()

    def _slow(self, slow: bool) -> None:
        self.slow_label.setVisible(slow)

    def _fill_estimate(self) -> None:
        left = self.watch.seconds_left(self.progress)
        self.estimate.setText(
            translate("KioskView", "About %n second(s) left", "", max(1, math.ceil(left)))
            if left is not None else "")

    def retranslate(self) -> None:
        self.slow_label.setText(translate(
            "KioskView", "This is taking longer than usual. You can wait or cancel."))
        self.cancel_button.setText(translate("KioskView", "Cancel"))
        self._fill_estimate()
