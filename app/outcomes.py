"""A delivery's phases and outcomes (app/delivery.py re-exports them, its callers' names)."""

from __future__ import annotations

import enum


class Phase(enum.StrEnum):
    DESCRIBING = "describing"  # asking the backend for the Service Description
    STARTING = "starting"  # service/deliver
    WAITING = "waiting"  # service/fetch (the SP is working)
    TRANSMITTING = "transmitting"  # carrying a batch to the card
    USER_INPUT = "user-input"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Outcome(enum.StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"  # the service itself reported failure
    CARD_REMOVED = "card-removed"
    DIFFERENT_CARD = "different-card"  # another card came back: the delivery was ended
    CANCELLED = "cancelled"
    READER_ERROR = "reader-error"
    BACKEND_ERROR = "backend-error"
    NOT_ALLOWED = "not-allowed"  # 412: not allowed in the app's state on this card
