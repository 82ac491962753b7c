"""The one input boundary: every JSON body is decoded and checked before any handler runs.

The limits are backend_stub/jsonlimits.py's. A refusal is a 400 naming the field;
nothing reaches a handler, so nothing is stored. Routes that parse JSON
themselves get the checked document through `checked_body` (no second parse).
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from backend_stub.api.errors import error_response, replaying
from backend_stub.errors import ApiError
from backend_stub.jsonlimits import decode_json

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
RAW_SUFFIXES = ("/capfiles",)  # CAP uploads are bytes, not JSON
STATE_KEY = "checked_json"


def checked_body(scope: Scope) -> tuple[bool, Any]:
    """(True, document) when the boundary decoded this request's body already."""
    state = scope.get("state") or {}
    if STATE_KEY in state:
        return True, state[STATE_KEY]
    return False, None


class JsonBoundary:
    """ASGI middleware: decode and check every JSON request body (see the module docstring).

    Runs inside BodyLimit, so the body is complete and within its size limit here."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS or \
                scope["path"].endswith(RAW_SUFFIXES):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body.strip():
            try:
                doc = decode_json(body)
            except ApiError as exc:
                await error_response(exc.status, exc.error, exc.message, exc.field)(
                    scope, receive, send)
                return
            scope.setdefault("state", {})[STATE_KEY] = doc
        await self.app(scope, replaying(body, receive), send)
