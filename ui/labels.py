"""Translated words the UI shows for app/ enums: states, actions, phases, outcomes.

Kept in one context ("Labels") so translators see them together. Each is a
function, called at paint time, so a language switch shows at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:  # app.delivery pulls httpx: not needed to draw the first frame
    from app.delivery import Outcome, Phase


def state_label(state: str) -> str:
    if state == "Installed":
        return QCoreApplication.translate("Labels", "Installed")
    if state == "Suspended":
        return QCoreApplication.translate("Labels", "Suspended")
    if state == "Unstable":
        return QCoreApplication.translate("Labels", "Unstable")
    return QCoreApplication.translate("Labels", "Not installed")


def action_label(kind: str) -> str:
    if kind == "install":
        return QCoreApplication.translate("Labels", "Install")
    if kind == "uninstall":
        return QCoreApplication.translate("Labels", "Uninstall")
    if kind == "suspend":
        return QCoreApplication.translate("Labels", "Suspend")
    if kind == "unsuspend":
        return QCoreApplication.translate("Labels", "Unsuspend")
    return kind


def phase_label(phase: Phase) -> str:
    labels: dict[str, str] = {
        "describing": QCoreApplication.translate("Labels", "Getting the service ready"),
        "starting": QCoreApplication.translate("Labels", "Starting"),
        "waiting": QCoreApplication.translate("Labels", "Waiting for the service provider"),
        "transmitting": QCoreApplication.translate("Labels", "Writing to your card"),
        "user-input": QCoreApplication.translate("Labels", "Waiting for your answer"),
        "done": QCoreApplication.translate("Labels", "Finished"),
        "failed": QCoreApplication.translate("Labels", "Failed"),
        "cancelled": QCoreApplication.translate("Labels", "Cancelled"),
    }
    return labels.get(phase, str(phase))


def outcome_label(outcome: Outcome) -> str:
    """What happened, for a user: the service's own message is shown beside it when there is one."""
    labels: dict[str, str] = {
        "success": QCoreApplication.translate("Labels", "Done"),
        "failure": QCoreApplication.translate("Labels", "The service could not be completed"),
        "card-removed": QCoreApplication.translate(
            "Labels", "The card was removed before the service finished"),
        "cancelled": QCoreApplication.translate("Labels", "Cancelled"),
        "reader-error": QCoreApplication.translate("Labels", "The card reader failed"),
        "backend-error": QCoreApplication.translate(
            "Labels", "The service is not available right now"),
        "not-allowed": QCoreApplication.translate(
            "Labels", "This is not possible in the application's current state"),
    }
    return labels.get(outcome, str(outcome))


def outcome_short(outcome: Outcome) -> str:
    """One or two words, for the staff log's result column."""
    labels: dict[str, str] = {
        "success": QCoreApplication.translate("Labels", "OK"),
        "failure": QCoreApplication.translate("Labels", "Failed"),
        "card-removed": QCoreApplication.translate("Labels", "Card removed"),
        "cancelled": QCoreApplication.translate("Labels", "Cancelled"),
        "reader-error": QCoreApplication.translate("Labels", "Reader error"),
        "backend-error": QCoreApplication.translate("Labels", "Backend error"),
        "not-allowed": QCoreApplication.translate("Labels", "Not allowed"),
    }
    return labels.get(outcome, str(outcome))
