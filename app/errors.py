"""The touch point's exception types.

One hierarchy so that the CLI and the UI can tell the user *what* went wrong
(card gone, reader gone, backend refused, protocol broken) without looking at
library exceptions (pyscard, nfcpy, httpx) that leak implementation details.
"""

from __future__ import annotations


class TouchpointError(Exception):
    """Base of every error the touch point core raises on purpose."""


class UsageError(TouchpointError):
    """The command line asks for something malformed (exit status 2, as argparse's)."""


# -- card and reader ---------------------------------------------------------------
class ReaderError(TouchpointError):
    """The reader failed, or talking to the card failed for a reader reason."""


class NoCardError(ReaderError):
    """No card is present in the reader (at connect time)."""


class CardRemovedError(ReaderError):
    """The card went away while connected (SCARD_W_REMOVED_CARD, RF link lost, tearing)."""


class ReaderUnavailableError(ReaderError):
    """The reader itself is gone (unplugged, pcscd stopped, device busy)."""


class ApduError(TouchpointError, ValueError):
    """A command or response APDU is malformed or cannot be sent on this card/reader."""


class TlvError(TouchpointError, ValueError):
    """A BER-TLV structure is malformed."""


# -- backend -------------------------------------------------------------------------
class BackendError(TouchpointError):
    """The backend answered with an error (JSON `{"error", "message", "field"?}`)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.field = field

    def __str__(self) -> str:
        parts = [super().__str__()]
        if self.status is not None:
            parts.append(f"(HTTP {self.status}{', ' + self.code if self.code else ''})")
        if self.field:
            parts.append(f"[field: {self.field}]")
        return " ".join(parts)


class BadRequestError(BackendError):
    """400: the request was malformed."""


class AuthError(BackendError):
    """401/403: the device token is missing, wrong, or not allowed."""


class NotFoundError(BackendError):
    """404: unknown app, service, session, operation or device."""


class ConflictError(BackendError):
    """409: a state conflict (e.g. the session already ended)."""


class NotAllowedInStateError(BackendError):
    """412: the service is not allowed in the application's state on this card."""


class ServerError(BackendError):
    """5xx: the backend failed."""


class BackendUnavailableError(BackendError):
    """The backend could not be reached (connection refused, timeout)."""


class ProtocolError(BackendError):
    """The backend answered something the device protocol does not allow."""


# -- delivery ------------------------------------------------------------------------
class DeliveryCancelled(TouchpointError):
    """The user (or the caller) cancelled a running delivery."""


class FieldsMissing(TouchpointError):
    """A service needs user input and nobody can give it (no callback, no pre-filled value)."""


class NotRepairableError(TouchpointError):
    """The app's services cannot make a repair (no uninstall, no install, or not the one
    asked for): only the Service Provider can change that."""


class BackendLaunchError(TouchpointError):
    """The bundled backend could not be started or did not become healthy."""
