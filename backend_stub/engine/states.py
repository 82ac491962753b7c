"""The names of a delivery's states, as stored in the database and sent on the wire.

StrEnums: a member is its string, so rows written before these types existed, and
the JSON answers, stay exactly as they were.
"""

from __future__ import annotations

from enum import StrEnum


class SessionPhase(StrEnum):
    """Where a delivery session is: asking for fields, delivering, purging, over."""

    FIELDS = "fields"  # a user-interaction operation asks for missing fields
    RUNNING = "running"  # the recipe or the SP delivers
    PURGING = "purging"  # after a good uninstall: deleting what the application left
    DONE = "done"


class OperationStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"  # its script compiled; a batch is with the touch point
    DONE = "done"


class Origin(StrEnum):
    """Who queued an operation (it decides what follows when it ends)."""

    SP = "sp"  # the service provider's operation call
    RECIPE = "recipe"  # an action of a stored recipe
    PURGE = "purge"  # a delete of the purge after an uninstall
    INTERACTION = "interaction"  # fields asked of the user
