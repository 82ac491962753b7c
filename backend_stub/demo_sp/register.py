"""Register the demo applications with a backend over its HTTP API, as an SP developer would.

The admin token creates the apps (or resets their credentials when they exist);
everything else uses the app's own credentials: CAP uploads, services, recipes,
and last the App Description (which needs its services to exist).
"""

from __future__ import annotations

from typing import Any

import httpx

from backend_stub.demo_sp.resources import DemoApp, load_apps


class RegistrationError(RuntimeError):
    """The backend refused part of the demo data."""


def _check(resp: httpx.Response, what: str) -> Any:
    if resp.status_code >= 300:
        raise RegistrationError(f"{what}: HTTP {resp.status_code} {resp.text[:300]}")
    return resp.json() if resp.content else None


async def _credentials(client: httpx.AsyncClient, admin: dict[str, str], app: DemoApp,
                       demo_url: str | None) -> str:
    body: dict[str, Any] = {"appId": app.app_id, "name": app.doc["app"]["name"],
                            "currency": app.doc.get("currency")}
    if app.served_by_demo_sp and demo_url:
        body["serviceDescriptionUrl"] = f"{demo_url}/description"
        body["serviceDeliveryUrl"] = f"{demo_url}/service"
    resp = await client.post("/admin/apps", json=body, headers=admin)
    if resp.status_code == 409:
        resp = await client.put(f"/admin/apps/{app.app_id}/credentials", headers=admin)
    return str(_check(resp, f"credentials of {app.app_id}")["appKey"])


async def register_app(client: httpx.AsyncClient, admin_token: str, app: DemoApp,
                       demo_url: str | None) -> str:
    """Create/refresh one app with its CAP files, services and recipes; returns its key."""
    admin = {"Authorization": f"Bearer {admin_token}"}
    key = await _credentials(client, admin, app, demo_url)
    auth = httpx.BasicAuth(app.app_id, key)
    base = f"/v3/apps/{app.app_id}"
    lfdbh = {}
    for name, data in app.cap_files().items():
        doc = _check(await client.post(f"{base}/capfiles", content=data, auth=auth,
                                       headers={"Content-Type": "application/octet-stream"}),
                     f"CAP file {name}")
        lfdbh[name] = doc["id"]
    for service_id in app.doc.get("serverServices", []):
        _check(await client.put(f"{base}/services/{service_id}", auth=auth),
               f"service {service_id}")
    for service_id, recipe in app.recipes(lfdbh).items():
        _check(await client.put(f"{base}/services/{service_id}/recipe", json=recipe, auth=auth),
               f"recipe {service_id}")
    desc = app.description()
    if app.served_by_demo_sp and demo_url:
        desc["serviceDescriptionUrl"] = f"{demo_url}/description"
        desc["serviceDeliveryUrl"] = f"{demo_url}/service"
    if app.doc.get("currency"):
        desc["currency"] = app.doc["currency"]
    if app.doc.get("vat") is not None:
        desc["vat"] = app.doc["vat"]
    _check(await client.put(base, json=desc, auth=auth), f"App Description {app.app_id}")
    return key


async def register_demo(backend_url: str, admin_token: str,
                        demo_url: str | None) -> dict[str, str]:
    """Every demo app; returns appId -> app key."""
    keys = {}
    async with httpx.AsyncClient(base_url=backend_url, timeout=30) as client:
        for app in load_apps():
            keys[app.app_id] = await register_app(client, admin_token, app, demo_url)
    return keys
