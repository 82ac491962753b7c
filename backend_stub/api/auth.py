"""Who is calling: an SP (app credentials), a touch point (device token) or the admin."""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from backend_stub.api import security
from backend_stub.engine.apps import app_for_credentials, app_for_token
from backend_stub.engine.context import Engine
from backend_stub.errors import ApiError
from backend_stub.store.models import App

UNAUTHORIZED = "unauthorized"
# the credentials each principal accepts, as OpenAPI security schemes (api/security.py):
# declared only, they never refuse a request; the functions below decide
SpSchemes = Annotated[None, Depends(security.sp_schemes)]
AdminSchemes = Annotated[None, Depends(security.admin_schemes)]
DeviceSchemes = Annotated[None, Depends(security.device_schemes)]


@dataclass(frozen=True)
class Principal:
    kind: str  # admin | device | sp
    app_id: str | None = None

    @property
    def apps(self) -> set[str] | None:
        """The applications this caller may see; None = all."""
        return {self.app_id} if self.kind == "sp" and self.app_id else None


def engine_of(request: HTTPConnection) -> Engine:
    eng: Engine = request.app.state.engine
    return eng


def _bearer(request: HTTPConnection) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


async def _sp(request: HTTPConnection, eng: Engine) -> Principal | None:
    """SP credentials in any of the three accepted forms; None when none were sent."""
    app_id = request.headers.get("app_id")
    app_key = request.headers.get("app_key")
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    token = None
    if app_id is None and scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise ApiError(401, UNAUTHORIZED, "malformed Basic credentials",
                           "Authorization") from None
        app_id, sep, app_key = decoded.partition(":")
        if not sep:
            raise ApiError(401, UNAUTHORIZED, "Basic credentials are appId:appKey",
                           "Authorization")
    elif app_id is None and scheme.lower() == "bearer":
        token = value.strip()
    if app_id is None and token is None:
        return None
    if token is None and app_key is None:
        raise ApiError(401, UNAUTHORIZED, "the app_key header is missing", "app_key")

    def _tx(s: Session) -> App | None:
        if token is not None:
            return app_for_token(s, token)
        return app_for_credentials(s, app_id or "", app_key or "")

    app = await eng.db.read(_tx)
    if app is None:
        raise ApiError(401, UNAUTHORIZED, "unknown application credentials")
    return Principal("sp", app.app_id)


async def sp_principal(request: Request, _schemes: SpSchemes = None) -> Principal:
    """SP operation API: app_id/app_key headers, Basic appId:appKey, or an app's Bearer token."""
    principal = await _sp(request, engine_of(request))
    if principal is None:
        raise ApiError(401, UNAUTHORIZED, "send app_id and app_key headers, Basic or Bearer "
                       "credentials")
    return principal


def _special(request: HTTPConnection, eng: Engine) -> Principal | None:
    token = _bearer(request)
    if token is None:
        return None
    if _same(token, eng.settings.admin_token):
        return Principal("admin")
    if _same(token, eng.settings.device_token):
        return Principal("device")
    return None


async def admin_principal(request: Request, _schemes: AdminSchemes = None) -> Principal:
    eng = engine_of(request)
    p = _special(request, eng)
    if p is None or p.kind != "admin":
        raise ApiError(401, UNAUTHORIZED, "the admin API needs Authorization: Bearer ADMIN_TOKEN")
    return p


async def _caller(request: HTTPConnection) -> Principal:
    eng = engine_of(request)
    p = _special(request, eng)
    if p is not None:
        return p
    sp = await _sp(request, eng)
    if sp is None:
        raise ApiError(401, UNAUTHORIZED,
                       "the touch point API needs Authorization: Bearer DEVICE_TOKEN (or any "
                       "SP's credentials)")
    return sp


async def device_principal(request: HTTPConnection, _schemes: DeviceSchemes = None
                           ) -> Principal:
    """Touch point API (HTTP and WebSocket: device API, store listings, service describe
    and deliver): any
    valid credential acts as a touch point, the device token or ANY SP's credentials.

    fdsm sends the same SP credentials on every call (FidesmoApiClient.java transmit), so
    an SP developer's fdsm runs other SPs' services as any touch point would. The SP
    stays known (`app_id`) but sees what a touch point sees; isolation belongs to the SP
    operation API (sp_principal, any_principal)."""
    p = await _caller(request)
    if p.kind == "sp":
        return Principal("device", p.app_id)
    return p


async def any_principal(request: Request, _schemes: DeviceSchemes = None) -> Principal:
    """Management API: admin, device token (read) or SP credentials (own apps)."""
    return await _caller(request)


def require_app(principal: Principal, app_id: str) -> None:
    """SPs touch only their own applications: everything else is 403, known or not."""
    if principal.kind == "sp" and principal.app_id != app_id:
        raise ApiError(403, "forbidden", "not allowed for these credentials", "appId")


def require_writer(principal: Principal, app_id: str) -> None:
    """Changes need the application's own credentials or the admin token."""
    if principal.kind == "device":
        raise ApiError(403, "forbidden", "a touch point token cannot change applications")
    require_app(principal, app_id)
