"""The API's credentials as OpenAPI security schemes, so /docs has an Authorize button.

Declared with FastAPI's own security classes and hung on the principal dependencies of
api/auth.py, which stay the only judges of a request: these instances never refuse
anything (their `__call__` returns None), so declaring them changes no answer.

* `deviceToken`: `Authorization: Bearer <device token>` (touch points);
* `adminToken`: `Authorization: Bearer <admin token>` (the admin API);
* `appId` + `appKey`: the `app_id` and `app_key` headers of an SP application
  (one requirement: both together);
* `appBasic`: `Authorization: Basic base64(appId:appKey)`;
* `appToken`: `Authorization: Bearer <app token>`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import APIKeyHeader, HTTPBasic, HTTPBearer
from starlette.requests import HTTPConnection


class _Declared:
    """Mixed into a FastAPI security class: documented in OpenAPI, never enforced here."""

    async def __call__(self, request: HTTPConnection) -> None:  # FastAPI's signature
        return None


class _Bearer(_Declared, HTTPBearer):
    pass


class _Basic(_Declared, HTTPBasic):
    pass


class _Header(_Declared, APIKeyHeader):
    pass


DEVICE_TOKEN = _Bearer(scheme_name="deviceToken", auto_error=False,
                       description="A touch point's device token: `Authorization: Bearer "
                                   "<device token>` (touchpoint-backend prints where it is).")
ADMIN_TOKEN = _Bearer(scheme_name="adminToken", auto_error=False,
                      description="The admin token: `Authorization: Bearer <admin token>`.")
APP_ID = _Header(name="app_id", scheme_name="appId", auto_error=False,
                 description="An SP application's id (8 hex digits), with `app_key`.")
APP_KEY = _Header(name="app_key", scheme_name="appKey", auto_error=False,
                  description="The application's key, with `app_id`.")
APP_BASIC = _Basic(scheme_name="appBasic", auto_error=False,
                   description="`Authorization: Basic base64(appId:appKey)`.")
APP_TOKEN = _Bearer(scheme_name="appToken", auto_error=False,
                    description="An SP application's token: `Authorization: Bearer <app token>`.")

# schemes that hold only together in one security requirement (OpenAPI: AND)
TOGETHER = (("appId", "appKey"),)


async def sp_schemes(_id: Annotated[None, Depends(APP_ID)],
                     _key: Annotated[None, Depends(APP_KEY)],
                     _basic: Annotated[None, Depends(APP_BASIC)],
                     _token: Annotated[None, Depends(APP_TOKEN)]) -> None:
    """The SP application's three forms of credentials."""


async def admin_schemes(_admin: Annotated[None, Depends(ADMIN_TOKEN)]) -> None:
    """The admin token."""


async def device_schemes(_device: Annotated[None, Depends(DEVICE_TOKEN)],
                         _admin: Annotated[None, Depends(ADMIN_TOKEN)],
                         _sp: Annotated[None, Depends(sp_schemes)]) -> None:
    """The touch point and management APIs: device token, admin token or SP credentials."""


def merge_together(schema: dict[str, Any]) -> dict[str, Any]:
    """Each operation's `security` list with the schemes of TOGETHER merged into one
    requirement (FastAPI lists every scheme as an alternative of its own)."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            security = operation.get("security") if isinstance(operation, dict) else None
            if not security:
                continue
            for group in TOGETHER:
                present = [r for r in security if len(r) == 1 and next(iter(r)) in group]
                if len(present) == len(group):
                    merged: dict[str, list[str]] = {name: [] for name in group}
                    first = security.index(present[0])
                    security = [r for r in security if r not in present]
                    security.insert(first, merged)
            operation["security"] = security
    return schema
