"""Every error answer is JSON `{"error", "message", "field"?}`; oversize bodies stop early."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend_stub.api.params import PATTERN_MESSAGES
from backend_stub.engine.requests import loc_to_field
from backend_stub.errors import ApiError
from backend_stub.jsonlimits import decode_json
from backend_stub.store.sealing import SealError

log = logging.getLogger("backend_stub.api")

_HTTP_CODES = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
               405: "method-not-allowed", 413: "too-large", 415: "unsupported-media-type"}


def error_response(status: int, error: str, message: str, field: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": error, "message": message}
    if field:
        body["field"] = field
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_message(err: dict[str, Any]) -> tuple[str, str, str]:
    kind = str(err.get("type", ""))
    field = loc_to_field(tuple(err.get("loc", ())))
    if kind == "json_invalid":
        ctx = err.get("ctx") or {}
        return "malformed-json", f"the body is not valid JSON ({ctx.get('error', 'syntax')})", \
            "body"
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and field in PATTERN_MESSAGES:
        msg = PATTERN_MESSAGES[field]
    if kind == "missing":
        msg = "this field is required"
    return "invalid", msg, field or "body"


def allowed_methods(request: Request) -> list[str]:
    """Every method the API documents for this path (RFC 9110: a 405 lists them all;
    Starlette's names only the first route's)."""
    path = request.url.path
    methods: set[str] = set()
    for template, item in request.app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)) + r"\Z"
        if re.match(pattern, path):
            methods.update(m.upper() for m in item)
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_req: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": 'Basic realm="touchpoint-backend"'} \
            if exc.status == 401 else None
        return error_response(exc.status, exc.error, exc.message, exc.field, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        error, message, field = _validation_message(errors[0]) if errors else (
            "invalid", "invalid request", "body")
        return error_response(400, error, message, field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(req: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Starlette names the first route's methods only
            headers["Allow"] = ", ".join(allowed_methods(req))
        return error_response(exc.status_code, code, str(exc.detail), headers=headers or None)

    @app.exception_handler(RecursionError)
    async def _too_deep(_req: Request, exc: RecursionError) -> JSONResponse:
        # the boundary limits nesting, so this is a document nested deeper than some code
        # walking it can go: the caller's input, never a 500
        log.warning("input nested too deeply for the backend: %s", exc)
        return error_response(400, "invalid", "the document is nested too deeply", "body")

    @app.exception_handler(SealError)
    async def _sealed(_req: Request, exc: SealError) -> JSONResponse:
        # names the column and what to check, never a value
        log.error("sealed data: %s", exc)
        return error_response(500, "sealed-data", str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(_req: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return error_response(500, "internal", "the backend failed; see its log")


async def json_body(request: Request) -> Any:
    """The JSON body as the input boundary decoded and checked it, or a 400 naming the
    problem (decoded here with the same checks when the boundary did not run)."""
    from backend_stub.api.boundary import checked_body

    done, doc = checked_body(request.scope)
    if done:
        return doc
    raw = await request.body()
    if not raw.strip():
        raise ApiError(400, "malformed-json", "the body must be a JSON document", "body")
    return decode_json(raw)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body a middleware already read, then the rest."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class BodyLimit:
    """ASGI middleware: refuse request bodies over a limit (413) before the app reads them.

    `limits` maps a path suffix to its limit; everything else gets `default`.
    """

    def __init__(self, app: ASGIApp, default: int, limits: dict[str, int]) -> None:
        self.app = app
        self.default = default
        self.limits = limits

    def _limit(self, path: str) -> int:
        for suffix, limit in self.limits.items():
            if path.endswith(suffix):
                return limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(scope, receive, send, limit)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, replaying(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        resp = error_response(413, "too-large", f"the body is larger than {limit} bytes", "body")
        await resp(scope, receive, send)
