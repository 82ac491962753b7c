""""Place your card again": the grace period after the card left mid-delivery (issue 18).

Shown over a mode's panel while a delivery waits for its card: a countdown of the
seconds left and a Cancel button. `waiting` says when it shows (True) and ends (False), so
the screen around it hides what no longer holds meanwhile ("do not remove your card", the
time left, its own Cancel) and shows it again when the card is back. It ends when a card
is on the active reader again (True), the time is up or Cancel is pressed (False);
app/reattach.py then checks it is the same card and asks the backend to start the
operation again.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from app.delivery import DeliveryRunner
from app.identity import CardIdentity
from ui.context import UiContext

# a card still reported on the reader when the prompt starts: how long to wait for the
# reader's removal event before believing it never left (pcscd reports a removal after
# the transmit error that revealed it, within its polling time)
SETTLE_MS = 1500


def with_grace(box: ReplaceCard, runner: DeliveryRunner) -> DeliveryRunner:
    """`runner`, waiting with `box` when its card leaves mid-delivery."""
    runner.on_card_gone = box.wait
    return runner


class ReplaceCard(QFrame):
    """The prompt, its countdown and Cancel; `wait()` runs it once."""

    waiting = Signal(bool)  # True: shown, the card is awaited; False: the wait is over

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        """The grace period is `ctx.settings.card_grace_s` (0: no wait, the card is gone)."""
        super().__init__(parent)
        self.setObjectName("replace-card")
        self.hub = hub = ctx.hub
        self.seconds = ctx.settings.card_grace_s
        self.left = 0
        col = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setObjectName("replace-card-title")
        self.title.setWordWrap(True)
        self.countdown = QLabel(self)
        self.countdown.setObjectName("replace-card-countdown")
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("replace-card-cancel")
        for w in (self.title, self.countdown, self.cancel_button):
            col.addWidget(w)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.timeout.connect(self._settled)
        self._future: asyncio.Future[bool] | None = None
        self.cancel_button.clicked.connect(lambda: self._end(False))
        hub.card_changed.connect(self._card_changed)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Place your card again. The service goes on when the same "
                                   "card is back on the reader."))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the service"))
        self.countdown.setText(self.tr("%n second(s) left", "", self.left))

    async def wait(self, _identity: CardIdentity | None = None) -> bool:
        """Until a card is back (True), the time is up or Cancel (False).

        A card is back when the reader reports one put on it from now on. The reader
        saying a card is there as the prompt starts is not believed at once: right after
        a transmit error the reader's removal event may still be on its way (pcscd), and
        the card is back only when that event is followed by an insertion, or when no
        removal came within SETTLE_MS (the card never left)."""
        if self.seconds <= 0:
            return False
        self._future = asyncio.get_running_loop().create_future()
        if self.hub.present():
            self.settle.start(SETTLE_MS)
        self.left = int(self.seconds)
        self.retranslate()
        self.show()
        self.raise_()
        self.timer.start()
        self.waiting.emit(True)
        try:
            return await self._future
        finally:
            self.timer.stop()
            self.settle.stop()
            self.hide()
            self._future = None
            self.waiting.emit(False)

    def _tick(self) -> None:
        self.left -= 1
        self.countdown.setText(self.tr("%n second(s) left", "", max(self.left, 0)))
        if self.left <= 0:
            self._end(False)

    def _settled(self) -> None:
        if self.hub.present():  # no removal event since the prompt began: it never left
            self._end(True)

    def _card_changed(self, name: str, present: bool) -> None:
        if name != self.hub.active:
            return
        if present:
            self._end(True)
        else:
            self.settle.stop()  # it did leave: now only a card put back ends the wait

    def _end(self, back: bool) -> None:
        if self._future is not None and not self._future.done():
            self._future.set_result(back)
