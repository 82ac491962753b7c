"""Translated words the UI shows for app/ enums: states, actions, phases, outcomes.

Kept in one context ("Labels") so translators see them together. The tables
hold the English sources (QT_TRANSLATE_NOOP marks them for lupdate); each
label is translated when it is asked for, so a language switch shows at once.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Labels"

STATES = {
    "NotInstalled": QT_TRANSLATE_NOOP("Labels", "Not installed"),
    "Installed": QT_TRANSLATE_NOOP("Labels", "Installed"),
    "Suspended": QT_TRANSLATE_NOOP("Labels", "Suspended"),
    "Unstable": QT_TRANSLATE_NOOP("Labels", "Needs repair"),  # what a visitor can act on
}
ACTIONS = {
    "install": QT_TRANSLATE_NOOP("Labels", "Install"),
    "uninstall": QT_TRANSLATE_NOOP("Labels", "Uninstall"),
    "suspend": QT_TRANSLATE_NOOP("Labels", "Suspend"),
    "unsuspend": QT_TRANSLATE_NOOP("Labels", "Unsuspend"),
    "repair": QT_TRANSLATE_NOOP("Labels", "Repair"),  # uninstall, then install (app/repair.py)
}
# what an action does, for a screen reader (the button's accessible description)
ACTION_HINTS = {
    "install": QT_TRANSLATE_NOOP("Labels", "Adds this application to your card"),
    "uninstall": QT_TRANSLATE_NOOP("Labels",
                                   "Removes this application and what it stored from your card"),
    "suspend": QT_TRANSLATE_NOOP("Labels", "Pauses this application until it is unsuspended"),
    "unsuspend": QT_TRANSLATE_NOOP("Labels", "Makes this application usable again"),
    "repair": QT_TRANSLATE_NOOP("Labels", "Uninstalls this application with what it left on "
                                          "the card, then installs it again"),
}
PHASES = {
    "describing": QT_TRANSLATE_NOOP("Labels", "Getting the service ready"),
    "starting": QT_TRANSLATE_NOOP("Labels", "Starting"),
    "waiting": QT_TRANSLATE_NOOP("Labels", "Waiting for the service provider"),
    "transmitting": QT_TRANSLATE_NOOP("Labels", "Writing to your card"),
    "user-input": QT_TRANSLATE_NOOP("Labels", "Waiting for your answer"),
    "done": QT_TRANSLATE_NOOP("Labels", "Finished"),
    "failed": QT_TRANSLATE_NOOP("Labels", "Failed"),
    "cancelled": QT_TRANSLATE_NOOP("Labels", "Cancelled"),
}
# what happened, for a user: the service's own message is shown beside it when there is one
OUTCOMES = {
    "success": QT_TRANSLATE_NOOP("Labels", "Done"),
    "failure": QT_TRANSLATE_NOOP("Labels", "The service could not be completed"),
    "card-removed": QT_TRANSLATE_NOOP("Labels",
                                      "The card was removed before the service finished"),
    "different-card": QT_TRANSLATE_NOOP("Labels", "A different card was placed"),
    "cancelled": QT_TRANSLATE_NOOP("Labels", "Cancelled"),
    "reader-error": QT_TRANSLATE_NOOP("Labels", "The card reader failed"),
    "backend-error": QT_TRANSLATE_NOOP("Labels", "The service is not available right now"),
    "not-allowed": QT_TRANSLATE_NOOP("Labels",
                                     "This is not possible in the application's current state"),
}
# one or two words, for the staff log's result column
OUTCOMES_SHORT = {
    "success": QT_TRANSLATE_NOOP("Labels", "OK"),
    "failure": QT_TRANSLATE_NOOP("Labels", "Failed"),
    "card-removed": QT_TRANSLATE_NOOP("Labels", "Card removed"),
    "different-card": QT_TRANSLATE_NOOP("Labels", "Different card"),
    "cancelled": QT_TRANSLATE_NOOP("Labels", "Cancelled"),
    "reader-error": QT_TRANSLATE_NOOP("Labels", "Reader error"),
    "backend-error": QT_TRANSLATE_NOOP("Labels", "Backend error"),
    "not-allowed": QT_TRANSLATE_NOOP("Labels", "Not allowed"),
}


def _label(table: Mapping[str, object], key: str, unknown: object = None) -> str:
    """The translation of `table[key]`; of `unknown` (else the key itself) when it has none."""
    source = table.get(key, unknown)
    return key if source is None else QCoreApplication.translate(CONTEXT, str(source))


def state_label(state: str) -> str:
    return _label(STATES, state, STATES["NotInstalled"])


def action_label(kind: str) -> str:
    return _label(ACTIONS, kind)


def action_hint(kind: str) -> str:
    return _label(ACTION_HINTS, kind, "")


def phase_label(phase: str) -> str:
    """`phase`: an app.delivery.Phase (a str enum) or its value."""
    return _label(PHASES, phase)


def outcome_label(outcome: str) -> str:
    """`outcome`: an app.delivery.Outcome (a str enum) or its value."""
    return _label(OUTCOMES, outcome)


def outcome_short(outcome: str) -> str:
    return _label(OUTCOMES_SHORT, outcome)
