"""The OpenAPI document as the routes really answer: every status code they send, with the
one error body `{"error", "message", "field"?}` (never FastAPI's 422, which the error
handlers turn into 400)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "a stable code, e.g. invalid, not-found"},
        "message": {"type": "string", "description": "what is wrong, for a developer"},
        "field": {"type": "string", "description": "the offending field as a dotted path "
                                                   "(`fieldsRequired.2.label`), or a "
                                                   "parameter or header name"},
    },
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
REASONS = {
    400: "malformed or invalid input; `field` names it",
    401: "missing or wrong credentials",
    403: "not allowed for these credentials",
    404: "not found",
    409: "conflicts with what is running or stored",
    412: "not allowed in the application's state on that card",
    413: "the body is over the limit",
    502: "the service provider answered something unusable",
    503: "the service provider cannot be reached or cannot deliver now",
}
_MANAGE = "/v3/apps/{appId}"
_SP_OPS = ("/transceive", "/secure-transceive", "/ccm/load", "/ccm/install", "/ccm/storedata",
           "/ccm/delete", "/ccm/setstatus", "/desfire/ev1/createApp", "/desfire/ev1/deleteApp",
           "/desfire/ev1/transceive")
# status codes beyond 200/204 (and 400/401/413, added where they apply), per operation
CODES: dict[tuple[str, str], tuple[int, ...]] = {
    ("get", "/v3/apps"): (),
    ("get", _MANAGE): (403, 404),
    ("put", _MANAGE): (403, 404),
    ("get", f"{_MANAGE}/services"): (403, 404),
    ("put", f"{_MANAGE}/services/{{serviceId}}"): (201, 403, 404),
    ("delete", f"{_MANAGE}/services/{{serviceId}}"): (403, 404, 409),
    ("get", f"{_MANAGE}/services/{{serviceId}}"): (403, 404, 409, 412, 502, 503),
    ("put", f"{_MANAGE}/services/{{serviceId}}/recipe"): (201, 403, 404),
    ("delete", f"{_MANAGE}/services/{{serviceId}}/recipe"): (403, 404, 409),
    ("get", f"{_MANAGE}/recipe-services"): (403, 404),
    ("post", f"{_MANAGE}/capfiles"): (200, 403, 404),
    ("get", f"{_MANAGE}/capfiles"): (403, 404),
    ("delete", f"{_MANAGE}/capfiles/{{capId}}"): (403, 404),
    ("post", "/v3/service/deliver"): (403, 404, 409, 412, 502, 503),
    ("post", "/v3/service/fetch"): (204, 403, 404, 503),
    ("post", "/v3/connector/json"): (403, 404, 409),
    ("post", "/v3/service/error"): (403, 404),
    ("get", "/v3/devices/{cin}"): (),
    ("get", "/v3/devices/identify"): (),
    ("put", "/v3/devices/{cin}"): (),
    ("get", "/v3/devices/{cin}/apps"): (),
    # platform operations (api/platform.py)
    ("post", "/v3/devices/{cin}/contents"): (403, 409, 502),
    ("post", "/v3/devices/{cin}/purge"): (403, 409, 502),
    ("get", "/v3/devices/{cin}/elements"): (403,),
    ("post", "/v3/devices/{cin}/elements/unstable"): (403, 404),
    ("post", "/v3/devices/{cin}/elements/adopt"): (403, 404, 409),
    ("post", "/service/completed"): (403, 409),
    ("get", "/status/{operationId}"): (403, 404),
    ("post", "/admin/apps"): (409,),
    ("get", "/admin/apps"): (),
    ("delete", "/admin/apps/{appId}"): (404, 409),
    ("put", "/admin/apps/{appId}/credentials"): (404,),
    ("get", "/admin/card-keys"): (),
    ("put", "/admin/card-keys"): (),
    ("delete", "/admin/card-keys/{scope}"): (404,),
    ("get", "/admin/sessions/{sessionId}"): (404,),
    **{(m, p): (403, 404, 409) for p in _SP_OPS for m in ("post", "put")},
}
PUBLIC = {"/health"}


def _error_response(code: int, given: dict[str, Any] | None) -> dict[str, Any]:
    out = dict(given or {})
    out.setdefault("description", REASONS.get(code, "error"))
    out["content"] = {"application/json": {"schema": ERROR_REF}}
    return out


def fix_operation(method: str, path: str, op: dict[str, Any]) -> None:
    """Declare what this operation really answers (see the module docstring)."""
    responses: dict[str, Any] = op.setdefault("responses", {})
    responses.pop("422", None)
    if path in PUBLIC:
        return
    codes = set(CODES.get((method, path), ())) | {401}
    if op.get("parameters") or op.get("requestBody") or method in ("post", "put"):
        codes.add(400)  # the input boundary and the validators
    if method in ("post", "put"):
        codes.add(413)
    ok = next((responses[c] for c in ("200", "201") if c in responses), None)
    for code in sorted(codes):
        key = str(code)
        if code < 300:  # another success code of the same answer
            if key not in responses and ok is not None:
                responses[key] = {**ok, "description": "as above" if code != 201 else
                                  "created"}
            continue
        if code == 503 and path == "/v3/service/fetch":
            responses[key] = _error_response(code, {**responses.get(key, {}), "description":
                                                    "the long-poll expired with nothing "
                                                    "ready: fetch again"})
            continue
        responses[key] = _error_response(code, responses.get(key))


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The generated document with every operation's responses fixed."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, description=app.description,
                      routes=app.routes)
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if isinstance(op, dict) and "responses" in op:
                fix_operation(method, path, op)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Error"] = ERROR_SCHEMA
    app.openapi_schema = doc
    return doc


def install_openapi(app: FastAPI) -> None:
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
