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
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from app.cards import identify
from app.errors import CardRemovedError, TouchpointError
from app.identity import CardIdentity

if TYPE_CHECKING:
    from app.delivery import DeliveryRunner

log = logging.getLogger(__name__)

# the front end: "Place your card again" until a card is back (True) or the grace
# period ends / the user cancels (False)
CardBack = Callable[[CardIdentity], Awaitable[bool]]


class DifferentCardError(CardRemovedError):
    """Another card was placed on the reader instead of the one being written."""


async def card_back(runner: DeliveryRunner, operation_id: str) -> bool:
    """After a CardRemovedError while carrying `operation_id`'s batch: True when the same
    card is back and the backend restarted the operation (carry on with its first batch);
    False when there is no way on (the caller ends the delivery). Raises
    DifferentCardError when another card was placed."""
    wait = runner.on_card_gone
    session_id = runner.session_id
    if wait is None or session_id is None:
        return False
    sent = runner.sent_of_batch
    runner.trace.note("card removed: waiting for the same card")
    if not await wait(runner.identity):
        return False
    try:
        again = await identify(runner.reader, observer=runner.trace.record)
    except TouchpointError as exc:
        log.info("the card back could not be read: %s", exc)
        return False
    if again.cin_hex != runner.identity.cin_hex:
        runner.trace.note(f"another card ({again.printable_cin}) was placed")
        raise DifferentCardError("a different card was placed on the reader")
    restarted = await runner.client.restart_operation(session_id, operation_id, sent)
    runner.trace.note("the operation starts again" if restarted else
                      "the operation cannot start again: something on the card changed")
    return restarted
