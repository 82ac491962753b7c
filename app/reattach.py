"""The card left mid-delivery: wait for it to come back, then go on (issue 18, point 1).

What goes on, and why: a card that leaves the field is reset, and with the reset
its SCP02/SCP03 session (keys, counters, MAC chaining) is gone. The backend's
batches of a wrapped script are MACed for that session, so a batch cannot be sent
again, nor the script resumed from its last confirmed batch. The backend instead
starts the interrupted operation again from its beginning (a fresh INITIALIZE
UPDATE), and only when nothing that adds or removes elements ran; operations that
ended before the removal are kept. Otherwise the delivery ends as before (the
application needs a repair: app/repair.py).

The front end says "Place your card again" for a grace period (`CardBack`); this
module checks that the card back is the same one (same CIN) and asks the backend.

The same in every phase of a delivery (`CardWatch` follows the reader's events):

- before the session is opened (the description, the fields, the confirmation):
  the delivery is not under way yet. A front end that asks the user (the kiosk)
  ends its session on a removal, a clear result with nothing sent. Where nobody
  is asked (staff, tester), the prompt shows at once, as below.
- from the session's opening to the first APDU (service/deliver in flight):
  "Place your card again" as soon as the reader reports the removal. The user
  chose and confirmed, the backend is opening the session and nothing ran on the
  card: the card back continues it with nothing lost (the operation starts again,
  which costs one round trip); a card that does not come back ends the session
  with `sent: 0`, which the backend knows changed nothing: the application keeps
  its state (never Unstable).
- during a batch: the reader's CardRemovedError; the prompt, then the restart.
- between batches (an HTTP call in flight): the prompt as soon as the reader
  reports the removal, while the call goes on. When the backend's answer is
  another batch, that batch is not sent to a card that was reset: the same card
  back restarts the operation (a fresh INITIALIZE UPDATE); no card, another card
  or a refused restart ends the delivery (card removed; a repair when something
  changed).
- after the last APDU (the call that brings the result in flight): the touch
  point cannot tell this call from the one before another batch (the backend
  does not say which batch is the last), so the prompt shows here too; the
  backend's answer decides: "completed" ends the prompt at once and the result
  is the backend's (success), nothing is sent again, no restart.

The prompt's end (the grace period over, or Cancel) does not interrupt an HTTP
call: the backend's answer still decides (a result stands; a batch ends the
delivery as card removed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING

from app.cards import identify
from app.errors import CardRemovedError, NoCardError, TouchpointError
from app.identity import CardIdentity
from app.readers.base import EventType, ReaderEvent

if TYPE_CHECKING:
    from app.delivery import DeliveryRunner

log = logging.getLogger(__name__)
READ_TRIES = 3  # "Place your card again" shown anew when the card back left before it was read

# the front end: "Place your card again" until a card is back (True) or the grace
# period ends / the user cancels (False)
CardBack = Callable[[CardIdentity], Awaitable[bool]]


class DifferentCardError(CardRemovedError):
    """Another card was placed on the reader instead of the one being written."""


class CardWatch:
    """The reader's card events during one delivery: whether the card left since the
    last batch (`left`: its secure channel is gone) and the one "Place your card again"
    prompt that runs for it, started as soon as the reader reports the removal."""

    def __init__(self, runner: DeliveryRunner) -> None:
        self.runner = runner
        self.left = False
        self._prompt: asyncio.Task[bool] | None = None
        self._removals = 0  # removals seen, and how many there were when the prompt began
        self._asked_at = 0
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        """Follows the reader from now on (on the running loop)."""
        self.left = False  # a card absent from the start: NoCardError at its first batch
        try:
            self._unsubscribe = self.runner.reader.subscribe(self._event)
        except TouchpointError as exc:  # no events (no monitor): removals seen per batch
            log.info("card events not available: %s", exc)

    @contextlib.contextmanager
    def following(self) -> Iterator[None]:
        """Follows the reader for one delivery (every protocol's runner: HTTP and WebSocket)."""
        self.start()
        try:
            yield
        finally:
            self.stop()

    def check(self) -> None:
        """Before a batch: raises CardRemovedError when the card left since the last one
        (it was reset: its secure channel is gone, the batch must not go to it)."""
        if self.left:
            raise CardRemovedError("the card left the reader between batches")

    def stop(self) -> None:
        """The delivery ended: no more events, and a prompt still shown goes away."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._prompt is not None and not self._prompt.done():
            self._prompt.cancel()
        self._prompt = None

    def _event(self, event: ReaderEvent) -> None:
        if event.type not in (EventType.CARD_REMOVED, EventType.READER_REMOVED) or \
                self._unsubscribe is None:
            return
        self.left = True
        self._removals += 1
        if not self.runner.cancelled:  # a front end that ended the delivery: no prompt
            self.runner.trace.note("the card left the reader")
            self._ask()

    def _ask(self) -> asyncio.Task[bool] | None:
        """The prompt running for the last removal, started when there is none."""
        wait = self.runner.on_card_gone
        if wait is None:
            return None
        prompt = self._prompt
        if prompt is None or (self._removals > self._asked_at and prompt.done()
                              and not prompt.cancelled() and prompt.result()):
            # none yet, or the card came back and left again: a new removal
            self._asked_at = self._removals
            self._prompt = asyncio.ensure_future(wait(self.runner.identity))
        return self._prompt

    def renew(self) -> None:
        """The card back left again before it could be read: the next `back()` prompts anew."""
        if self._prompt is not None and self._prompt.done():
            self._prompt = None

    async def back(self) -> bool:
        """True once a card is back (the prompt's answer); False when there is no prompt,
        its grace period ended or the user cancelled it."""
        prompt = self._ask()
        if prompt is None or prompt.cancelled():
            return False
        return await prompt


async def card_back(runner: DeliveryRunner, operation_id: str) -> bool:
    """After a CardRemovedError while carrying `operation_id`'s batch, or before a batch
    when the card left while the backend was asked (`runner.watch.left`): True when the
    same card is back and the backend restarted the operation (carry on with its first
    batch); False when there is no way on (the caller ends the delivery). Raises
    DifferentCardError when another card was placed."""
    session_id = runner.session_id
    if runner.on_card_gone is None or session_id is None:
        return False
    sent = runner.sent_of_batch
    runner.trace.note("card removed: waiting for the same card")
    for _ in range(READ_TRIES):
        if not await runner.watch.back():
            return False
        runner.watch.left = False  # from here on, a removal is a new one
        try:
            await runner.reader.disconnect()  # the handle to the card that left is stale
            again = await identify(runner.reader, observer=runner.trace.record)
            break
        except (CardRemovedError, NoCardError) as exc:  # gone (again) before it was read
            log.info("the card back left before it was read: %s", exc)
            runner.watch.renew()
        except TouchpointError as exc:
            log.info("the card back could not be read: %s", exc)
            return False
    else:
        return False
    if again.cin_hex != runner.identity.cin_hex:
        runner.trace.note(f"another card ({again.printable_cin}) was placed")
        raise DifferentCardError("a different card was placed on the reader")
    restarted = await runner.client.restart_operation(session_id, operation_id, sent)
    runner.trace.note("the operation starts again" if restarted else
                      "the operation cannot start again: something on the card changed")
    return restarted
