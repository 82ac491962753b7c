"""The one error type the API turns into `{"error", "message", "field"?}`."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refusal with an HTTP status, a stable code and (when known) the offending field."""

    def __init__(self, status: int, error: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.field = field

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.error, "message": self.message}
        if self.field:
            out["field"] = self.field
        return out


def bad_request(message: str, field: str | None = None, error: str = "bad-request") -> ApiError:
    return ApiError(400, error, message, field)


def not_found(message: str, field: str | None = None) -> ApiError:
    return ApiError(404, "not-found", message, field)


def forbidden(message: str = "not allowed for these credentials",
              field: str | None = None) -> ApiError:
    return ApiError(403, "forbidden", message, field)


def conflict(message: str, field: str | None = None) -> ApiError:
    return ApiError(409, "conflict", message, field)


def not_allowed_in_state(message: str) -> ApiError:
    return ApiError(412, "state-not-allowed", message)
