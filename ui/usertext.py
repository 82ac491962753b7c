"""One translated sentence and the next step for what went wrong (issue 18, point 1).

No screen shows an HTTP method, a path or a status code to an end user or to
staff: the technical detail goes to the log (and stays in the tester's trace and
HTTP tabs); a label gets one of these sentences.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.delivery import DeliveryResult, Outcome
from app.errors import (
    AuthError,
    BackendError,
    BackendUnavailableError,
    CardRemovedError,
    ConflictError,
    DeliveryCancelled,
    NoCardError,
    NotAllowedInStateError,
    NotFoundError,
    NotRepairableError,
    ReaderError,
)
from app.personalisation import BatchError
from app.reattach import DifferentCardError

log = logging.getLogger(__name__)
CONTEXT = "UserText"

NEXT = {
    "success": "",
    "failure": QT_TRANSLATE_NOOP("UserText", "The service could not be completed. Try again, "
                                             "or ask staff for help."),
    "card-removed": QT_TRANSLATE_NOOP("UserText", "The card was removed before the service "
                                                  "finished. Place it on the reader and try "
                                                  "again."),
    "cancelled": QT_TRANSLATE_NOOP("UserText", "Cancelled. Nothing more was written to the "
                                               "card."),
    "reader-error": QT_TRANSLATE_NOOP("UserText", "The card reader failed. Check the reader "
                                                  "and try again."),
    "backend-error": QT_TRANSLATE_NOOP("UserText", "The service is not available right now. "
                                                   "Try again in a few minutes."),
    "not-allowed": QT_TRANSLATE_NOOP("UserText", "This is not possible in the application's "
                                                 "current state on this card. Choose another "
                                                 "action."),
    "different-card": QT_TRANSLATE_NOOP("UserText", "This is a different card: nothing was "
                                                    "written to it. The service was stopped; "
                                                    "place the card you started with and try "
                                                    "again."),
}
ERRORS = {
    "no-card": QT_TRANSLATE_NOOP("UserText", "No card is on the reader. Place your card on "
                                             "the reader."),
    "unreachable": QT_TRANSLATE_NOOP("UserText", "The service cannot be reached. Check the "
                                                 "network and try again."),
    "auth": QT_TRANSLATE_NOOP("UserText", "This device is not allowed to use the service. "
                                          "Ask staff to check its settings."),
    "not-found": QT_TRANSLATE_NOOP("UserText", "The service does not know this application "
                                               "or service any more. Refresh the list and "
                                               "try again."),
    "conflict": QT_TRANSLATE_NOOP("UserText", "The service ended this delivery. Start again."),
    "not-repairable": QT_TRANSLATE_NOOP("UserText", "This application cannot be repaired "
                                                    "here: its services offer no uninstall "
                                                    "or no install. Ask the Service Provider."),
    "other": QT_TRANSLATE_NOOP("UserText", "Something went wrong. Try again, or ask staff "
                                           "for help."),
}


def _tr(source: object) -> str:
    return QCoreApplication.translate(CONTEXT, str(source))


def outcome_sentence(outcome: Outcome | str) -> str:
    """What happened and what to do next, for an outcome (empty for a success)."""
    source = NEXT.get(str(getattr(outcome, "value", outcome)), ERRORS["other"])
    return _tr(source) if source else ""


def result_sentence(result: DeliveryResult, language: str | None = None) -> str:
    """The line a user or staff sees for a finished delivery: the service's own message
    when the delivery ran to its end, else ours; never the backend's technical text."""
    if result.error:
        log.info("delivery %s: %s", result.outcome.value, result.error)
    if result.outcome in (Outcome.SUCCESS, Outcome.FAILURE):
        return result.message.pick(language) or outcome_sentence(result.outcome)
    return outcome_sentence(result.outcome)


def error_sentence(exc: BaseException) -> str:
    """One sentence and the next step for an exception; the detail goes to the log."""
    log.info("shown to the user as a sentence: %s", exc)
    if isinstance(exc, NotAllowedInStateError):
        return outcome_sentence(Outcome.NOT_ALLOWED)
    if isinstance(exc, BackendUnavailableError):
        return _tr(ERRORS["unreachable"])
    if isinstance(exc, AuthError):
        return _tr(ERRORS["auth"])
    if isinstance(exc, NotFoundError):
        return _tr(ERRORS["not-found"])
    if isinstance(exc, ConflictError):
        return _tr(ERRORS["conflict"])
    if isinstance(exc, BackendError):
        return outcome_sentence(Outcome.BACKEND_ERROR)
    if isinstance(exc, NoCardError):
        return _tr(ERRORS["no-card"])
    if isinstance(exc, DifferentCardError):
        return outcome_sentence(Outcome.DIFFERENT_CARD)
    if isinstance(exc, CardRemovedError):
        return outcome_sentence(Outcome.CARD_REMOVED)
    if isinstance(exc, ReaderError):
        return outcome_sentence(Outcome.READER_ERROR)
    if isinstance(exc, NotRepairableError):
        return _tr(ERRORS["not-repairable"])
    if isinstance(exc, DeliveryCancelled):
        return outcome_sentence(Outcome.CANCELLED)
    return _tr(ERRORS["other"])


def technical_sentence(exc: BaseException, detail: str = "") -> str:
    """For the SP tester: the sentence, then what helps a tester in parentheses (`detail`,
    such as a URL, and the exception's name), never an HTTP method, path and status."""
    sentence = error_sentence(exc)
    name = type(exc).__name__
    code = getattr(exc, "code", None)
    if isinstance(code, str) and code:
        name = f"{name}: {code}"
    return f"{sentence} ({detail}, {name})" if detail else f"{sentence} ({name})"


BATCH = {
    "no-rows": QT_TRANSLATE_NOOP("UserText", "The CSV file has no rows of values. Choose "
                                             "another file."),
    "missing-columns": QT_TRANSLATE_NOOP("UserText", "The CSV file has no column for: %1. Add "
                                                     "the columns and load the file again."),
    "extra-values": QT_TRANSLATE_NOOP("UserText", "Line %1 of the CSV file has more values "
                                                  "than columns. Correct it and load the file "
                                                  "again."),
    "duplicate-card": QT_TRANSLATE_NOOP("UserText", "Card %1 appears twice in the CSV file "
                                                    "(line %2). Correct it and load the file "
                                                    "again."),
    "no-row-left": QT_TRANSLATE_NOOP("UserText", "No row of the CSV file is left for this "
                                                 "card. Load a file with more rows, or press "
                                                 "Stop."),
}
FILES = {
    "unreadable": QT_TRANSLATE_NOOP("UserText", "The file %1 could not be read. Choose another "
                                                "file."),
    "not-text": QT_TRANSLATE_NOOP("UserText", "The file %1 is not a UTF-8 text file. Save it as "
                                              "CSV (UTF-8) and load it again."),
    "log-not-saved": QT_TRANSLATE_NOOP("UserText", "The log could not be saved to %1. Choose "
                                                   "another folder."),
    # the tester's Save and Open buttons (ui/tester/saving.py, ui/tester/gpptools.py)
    "trace-not-saved": QT_TRANSLATE_NOOP("UserText", "The trace could not be saved to %1. "
                                                     "Choose another folder or name."),
    "har-not-saved": QT_TRANSLATE_NOOP("UserText", "The HTTP exchanges could not be saved to "
                                                   "%1. Choose another folder or name."),
    "gpp-not-saved": QT_TRANSLATE_NOOP("UserText", "The GlobalPlatformPro log could not be "
                                                   "saved to %1. Choose another folder or "
                                                   "name."),
    "not-gpp": QT_TRANSLATE_NOOP("UserText", "The file %1 is not a GlobalPlatformPro log (the "
                                             "output of gp -d). Choose another file."),
}


def batch_sentence(exc: BatchError) -> str:
    """What is wrong with the staff's values CSV, and what to do."""
    log.info("the values CSV: %s", exc)
    source = BATCH.get(exc.kind, BATCH["no-rows"])
    return (_tr(source).replace("%1", exc.detail if exc.kind != "extra-values"
                                else str(exc.line))
            .replace("%2", str(exc.line)))


def file_sentence(kind: str, path: str, exc: BaseException | None = None) -> str:
    """A file that could not be read or written (`kind` of FILES), with its path: the
    errno text goes to the log."""
    if exc is not None:
        log.warning("%s %s: %s", kind, path, exc)
    return _tr(FILES[kind]).replace("%1", path)


def file_technical_sentence(kind: str, path: str, exc: BaseException) -> str:
    """For the SP tester: `file_sentence`, then what helps a tester in parentheses, as
    `technical_sentence` does: the system's reason (or the format problem) and the
    exception's name."""
    cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else exc
    reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(cause)
    reason = reason.removeprefix(f"{path}: ")  # the path is in the sentence already
    return f"{file_sentence(kind, path, exc)} ({reason}, {type(cause).__name__})"
