"""Calls from the backend to an SP server (API.md section 2)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import httpx

from backend_stub.engine.context import Engine
from backend_stub.engine.validation import check_service_description
from backend_stub.errors import ApiError
from backend_stub.jsonlimits import decode_json

log = logging.getLogger("backend_stub.sp")


async def fetch_description(engine: Engine, settings: dict[str, Any], service_id: str) -> dict[
        str, Any]:
    """GET {serviceDescriptionUrl}/{serviceId}: 404 unknown, 5xx not deliverable now."""
    base = settings.get("serviceDescriptionUrl")
    if not base:  # how the app is set up, not a passing failure: no use retrying
        raise ApiError(409, "not-deliverable",
                       "the application has no serviceDescriptionUrl and no recipe for this "
                       "service", "serviceId")
    url = f"{base}/{quote(service_id, safe='')}"
    try:
        resp = await engine.http.get(url, timeout=engine.settings.sp_timeout)
    except httpx.HTTPError as exc:
        log.warning("service description %s unreachable: %s", url, type(exc).__name__)
        raise ApiError(503, "service-unavailable",
                       "the service provider cannot be reached; try again later") from None
    if resp.status_code == 404:
        raise ApiError(404, "not-found", "the service provider does not know this service",
                       "serviceId")
    if resp.status_code >= 300:
        raise ApiError(503, "service-unavailable",
                       f"the service provider cannot deliver this service now "
                       f"(HTTP {resp.status_code})")
    try:
        desc = decode_json(resp.content)  # the same limits as a request body
        desc = check_service_description(desc)
    except (ValueError, ApiError) as exc:
        detail = exc.message if isinstance(exc, ApiError) else "not JSON"
        raise ApiError(502, "bad-service-description",
                       f"the service provider answered an invalid Service Description: {detail}",
                       getattr(exc, "field", None)) from None
    return desc


async def post_delivery(engine: Engine, url: str, body: dict[str, Any]) -> str | None:
    """POST the ServiceDeliveryRequest; returns None when accepted, else why not."""
    try:
        resp = await engine.http.post(url, json=body, timeout=engine.settings.sp_timeout)
    except httpx.HTTPError as exc:
        return f"the service provider cannot be reached ({type(exc).__name__})"
    if 200 <= resp.status_code < 300:
        return None
    return f"the service provider refused the delivery (HTTP {resp.status_code})"
