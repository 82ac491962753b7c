"""Management API (API.md section 3) under /v3: apps, services, recipes, CAP files."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select

from backend_stub.api.auth import (
    Principal,
    any_principal,
    device_principal,
    engine_of,
    require_app,
    require_writer,
)
from backend_stub.api.errors import json_body
from backend_stub.api.params import (
    AppIdPath,
    CapIdPath,
    CinQuery,
    ServiceIdPath,
    StatesQuery,
)
from backend_stub.engine import apps as appsvc
from backend_stub.engine.delivery import describe_service
from backend_stub.engine.validation import check_app_id
from backend_stub.errors import bad_request, not_found
from backend_stub.hexutil import HexError, parse_hex
from backend_stub.store.models import App

router = APIRouter(prefix="/v3", tags=["Management"])
Who = Annotated[Principal, Depends(any_principal)]
# the store listings and service describe are touch point API: any credential, no isolation
Tp = Annotated[Principal, Depends(device_principal)]

APP_DESCRIPTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "object", "additionalProperties": {"type": "string"},
                 "description": "multilanguage string, at least one language"},
        "organization": {"type": ["object", "string"], "description": "optional: "
                         "{\"name\": multilanguage string} (a plain string is its name); "
                         "served as {\"name\": <the app's name>} when left out",
                         "properties": {"name": {"type": "object"}}},
        "description": {"type": "object", "description": "multilanguage basic markdown; links "
                        "only http, https or mailto; no raw HTML"},
        "logo": {"type": "string", "description": "http(s) URL or data:image/... URI"},
        "featureGraphic": {"type": "string"},
        "installServices": {"type": "array", "items": {"type": "string"}},
        "uninstallService": {"type": "string"},
        "suspendService": {"type": "string", "description": "needs unsuspendService"},
        "unsuspendService": {"type": "string"},
        "serviceDescriptionUrl": {"type": "string"},
        "serviceDeliveryUrl": {"type": "string"},
        "currency": {"type": "string", "example": "EUR"},
        "vat": {"type": "number"},
    },
}
RECIPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["description"],
    "properties": {
        "description": {"type": "object", "description": "Service Description"},
        "actions": {"type": "array", "items": {"type": "object", "properties": {
            "endpoint": {"type": "string", "example": "/ccm/install"},
            "content": {"type": "object"}}}},
        "successMessage": {"type": "object"},
        "failureMessage": {"type": "object"},
    },
}


def _app_id(app_id: str) -> str:
    return check_app_id(app_id, "appId")


async def _visible_app(request: Request, principal: Principal, app_id: str) -> App:
    require_app(principal, app_id)
    app = await engine_of(request).db.read(lambda s: s.get(App, app_id))
    if app is None:
        raise not_found("unknown application", "appId")
    return app


@router.get("/apps")
async def list_apps(request: Request, principal: Tp,
                    states: StatesQuery = "published") -> list[str]:
    """App ids in the given states (comma separated: published, demo, development)."""
    wanted = {s.strip() for s in states.split(",") if s.strip()}
    rows = await engine_of(request).db.read(
        lambda s: s.execute(select(App.app_id, App.state).order_by(App.app_id)).all())
    return [a for a, st in rows if st in wanted and (principal.apps is None or a in principal.apps)]


APP_DOCUMENT_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["appId", "name", "organization", "state"],
    "description": "the App Description as served: always complete (an app stored without "
                   "organization answers {\"name\": its own name})",
    "properties": {**APP_DESCRIPTION_SCHEMA["properties"],
                   "appId": {"type": "string"},
                   "organization": {"type": "object", "required": ["name"],
                                    "properties": {"name": {"type": "object"}}},
                   "state": {"type": "string", "enum": ["published", "demo", "development"]}},
}


@router.get("/apps/{appId}", responses={200: {
    "description": "the App Description", "content": {"application/json": {
        "schema": APP_DOCUMENT_SCHEMA}}}})
async def get_app(appId: AppIdPath, request: Request, principal: Tp) -> dict[str, Any]:
    """The App Description with its portal settings."""
    app = await _visible_app(request, principal, _app_id(appId))
    return appsvc.app_document(app)


@router.put("/apps/{appId}", openapi_extra={"requestBody": {
    "required": True, "content": {"application/json": {"schema": APP_DESCRIPTION_SCHEMA}}}})
async def put_app(appId: AppIdPath, request: Request, principal: Who) -> dict[str, Any]:
    """Replace the App Description (validated: listed services must exist, a suspend service
    needs an unsuspend service, markdown links only http/https/mailto)."""
    app_id = _app_id(appId)
    require_writer(principal, app_id)
    body = await json_body(request)
    return await appsvc.put_description(engine_of(request), app_id, body)


@router.get("/apps/{appId}/services")
async def list_services(appId: AppIdPath, request: Request, principal: Tp) -> list[str]:
    """The services a touch point can run (a service without recipe or SP server is
    left out: it could only answer 503)."""
    app = await _visible_app(request, principal, _app_id(appId))
    return await engine_of(request).db.read(lambda s: appsvc.live_service_ids(s, app))


@router.put("/apps/{appId}/services/{serviceId}", status_code=200)
async def register_service(appId: AppIdPath, serviceId: ServiceIdPath, request: Request,
                           principal: Who, response: Response) -> dict[str, Any]:
    """Declare a service the SP server delivers (its description comes from the SP's
    serviceDescriptionUrl). 201 when new."""
    app_id = _app_id(appId)
    require_writer(principal, app_id)
    if await appsvc.register_service(engine_of(request), app_id, serviceId):
        response.status_code = 201
    return {"appId": app_id, "serviceId": serviceId}


@router.delete("/apps/{appId}/services/{serviceId}", status_code=204)
async def delete_service(appId: AppIdPath, serviceId: ServiceIdPath, request: Request,
                         principal: Who) -> Response:
    app_id = _app_id(appId)
    require_writer(principal, app_id)
    await appsvc.delete_service(engine_of(request), app_id, serviceId)
    return Response(status_code=204)


@router.get("/apps/{appId}/services/{serviceId}", responses={
    404: {"description": "unknown app or service"},
    412: {"description": "not allowed in the app's state on that card"},
    503: {"description": "the SP cannot describe the service now"}})
async def get_service(appId: AppIdPath, serviceId: ServiceIdPath, request: Request,
                      principal: Tp, cin: CinQuery = None) -> dict[str, Any]:
    """`{"description": ServiceDescription, "app": {...}, "kind": install|uninstall|...}`."""
    app_id = _app_id(appId)
    require_app(principal, app_id)
    card = None
    if cin is not None:
        try:
            card = parse_hex(cin, min_len=1, max_len=32).hex().upper()
        except HexError as exc:
            raise bad_request(f"the CIN {exc}", "cin") from None
    return await describe_service(engine_of(request), app_id, serviceId, card, principal.apps)


@router.put("/apps/{appId}/services/{serviceId}/recipe", openapi_extra={"requestBody": {
    "required": True, "content": {"application/json": {"schema": RECIPE_SCHEMA}}}})
async def put_recipe(appId: AppIdPath, serviceId: ServiceIdPath, request: Request,
                     principal: Who, response: Response) -> dict[str, Any]:
    """Store a Service Recipe (the backend delivers the service itself). 201 when new."""
    app_id = _app_id(appId)
    require_writer(principal, app_id)
    body = await json_body(request)
    if await appsvc.put_recipe(engine_of(request), app_id, serviceId, body):
        response.status_code = 201
    return {"appId": app_id, "serviceId": serviceId}


@router.delete("/apps/{appId}/services/{serviceId}/recipe", status_code=204)
async def delete_recipe(appId: AppIdPath, serviceId: ServiceIdPath, request: Request,
                        principal: Who) -> Response:
    app_id = _app_id(appId)
    require_writer(principal, app_id)
    await appsvc.delete_recipe(engine_of(request), app_id, serviceId)
    return Response(status_code=204)


@router.get("/apps/{appId}/recipe-services")
async def recipe_services(appId: AppIdPath, request: Request, principal: Who) -> list[str]:
    app = await _visible_app(request, principal, _app_id(appId))
    app_id = app.app_id
    return await engine_of(request).db.read(lambda s: appsvc.recipe_service_ids(s, app_id))


@router.post("/apps/{appId}/capfiles", status_code=201, openapi_extra={"parameters": [
    {"name": h, "in": "header", "required": False, "schema": {"type": "string", "maxLength": 32},
     "description": f"kept as metadata.{k}"} for h, k in appsvc.CAP_HEADERS.items()],
    "requestBody": {
    "required": True, "content": {"application/octet-stream": {
        "schema": {"type": "string", "format": "binary"}}}}})
async def upload_cap(appId: AppIdPath, request: Request, principal: Who,
                     response: Response) -> dict[str, Any]:
    """Upload a CAP file (raw bytes, at most 2 MiB): `{"id": LFDBH, "elfAid", "applets",
    "metadata"}`. The Java-Card-Version, Global-Platform-Version and OS-Type-Version
    headers fdsm sends (AuthenticatedFidesmoApiClient.java upload) are kept as
    metadata.jc-version, gp-version and otv-version. Uploading the same file again answers
    200 with the same id."""
    app_id = _app_id(appId)
    require_writer(principal, app_id)
    metadata = appsvc.cap_metadata(request.headers)
    doc, new = await appsvc.upload_cap(engine_of(request), app_id, await request.body(),
                                       metadata)
    if not new:
        response.status_code = 200
    return doc


@router.get("/apps/{appId}/capfiles")
async def list_caps(appId: AppIdPath, request: Request, principal: Who) -> list[dict[str, Any]]:
    app_id = _app_id(appId)
    require_writer(principal, app_id)
    await _visible_app(request, principal, app_id)
    return await appsvc.list_caps(engine_of(request), app_id)


@router.delete("/apps/{appId}/capfiles/{capId}", status_code=204)
async def delete_cap(appId: AppIdPath, capId: CapIdPath, request: Request,
                     principal: Who) -> Response:
    app_id = _app_id(appId)
    require_writer(principal, app_id)
    await appsvc.delete_cap(engine_of(request), app_id, capId)
    return Response(status_code=204)
