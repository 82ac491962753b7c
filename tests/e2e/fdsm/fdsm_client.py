"""An fdsm-shaped client: the requests fdsm sends, built field by field from its source.

Sources (github fidesmo/fdsm, library/src/main/java/com/fidesmo/fdsm/ unless stated):
FidesmoApiClient.java (rpc: GET, or POST of a JSON body, Accept and Content-Type
application/json, 204 read as "nothing"; transmit: the same Authorization on every
call, any non-2xx an error), AuthenticatedFidesmoApiClient.java (put, delete, upload
with its version headers), ServiceDeliverySession.java (deliver, deliveryLoop,
processTransmitOperation, processUIOperation, processUserAction, rpcWithRetry,
notifyDeliveryFailure), RecipeGenerator.java (the four generated recipes) and
FidesmoCard.java (deliverRecipe: a UUID-named temporary recipe, run, deleted).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

Transmit = Callable[[bytes], Awaitable[bytes]]


class ApiError(Exception):
    """fdsm's HttpResponseException: status line and body."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}: {body}")
        self.status = status
        self.body = body


@dataclass
class Result:
    session_id: str
    success: bool
    message: Any


class Fdsm:
    """One fdsm invocation's API client (`--auth appId:appKey`)."""

    def __init__(self, base: str, auth: tuple[str, str] | None) -> None:
        # FidesmoApiClient: every path is relative to the API base (…/v3/)
        self.http = httpx.AsyncClient(base_url=base.rstrip("/") + "/v3/", timeout=30.0,
                                      headers={"User-Agent": "fdsm/test"})
        self.auth = httpx.BasicAuth(*auth) if auth else None
        self.app_id = auth[0] if auth else None

    async def close(self) -> None:
        await self.http.aclose()

    async def _send(self, req: httpx.Request) -> httpx.Response:
        if self.auth is not None:  # FidesmoApiClient.transmit: Authorization on every call
            req = next(self.auth.auth_flow(req))
        resp = await self.http.send(req)
        if not 200 <= resp.status_code <= 299:  # transmit: anything else throws
            raise ApiError(resp.status_code, resp.text)
        return resp

    async def rpc(self, path: str, body: Any = None) -> Any:
        """FidesmoApiClient.rpc: GET without a body, POST with one; 204 -> None."""
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if body is None:
            req = self.http.build_request("GET", path, headers=headers)
        else:
            req = self.http.build_request("POST", path, json=body, headers=headers)
        resp = await self._send(req)
        return None if resp.status_code == 204 else resp.json()

    async def put(self, path: str, body: Any) -> None:
        """AuthenticatedFidesmoApiClient.put: a JSON entity, no Accept header."""
        await self._send(self.http.build_request("PUT", path, json=body))

    async def delete(self, path: str) -> None:
        """AuthenticatedFidesmoApiClient.delete."""
        await self._send(self.http.build_request("DELETE", path))

    async def upload(self, cap: bytes, jc: str, gp: str | None = None,
                     otv: str | None = None) -> None:
        """AuthenticatedFidesmoApiClient.upload: raw CAP bytes and the version headers
        (GP 2.1.1 is sent as 2.2)."""
        headers = {"Java-Card-Version": jc}
        if gp is not None:
            headers["Global-Platform-Version"] = "2.2" if gp == "2.1.1" else gp
        if otv is not None:
            headers["OS-Type-Version"] = otv
        await self._send(self.http.build_request(
            "POST", f"apps/{self.app_id}/capfiles", content=cap, headers=headers))

    # --- delivery (ServiceDeliverySession.java) -------------------------------------------

    async def run(self, transmit: Transmit, cin: str, batch_id: int, app_id: str,
                  service_id: str, fields: dict[str, str] | None = None) -> Result:
        """ServiceDeliverySession.deliver then deliveryLoop, request by request."""
        await transmit(bytes.fromhex("00A4040000"))  # card.selectEmpty
        device = await self.rpc(f"devices/{cin}?batchId={batch_id}")  # DEVICES_URL
        iin = device["iin"]
        platform_version = int(device["description"]["capabilities"]["platformVersion"])
        service = await self.rpc(f"apps/{app_id}/services/{service_id}?cin={cin}")
        if "price" in service:
            raise AssertionError("fdsm refuses services with a price")
        description = service["description"]
        wanted = {f["id"] for f in description.get("fieldsRequired", [])}
        given = {k: v for k, v in (fields or {}).items() if k in wanted}
        delivery = await self.rpc("service/deliver", {
            "appId": app_id, "serviceId": service_id,
            "cardId": {"iin": iin, "cin": cin, "platformVersion": platform_version},
            "fields": given})
        session_id = delivery["sessionId"]
        try:
            return await self._loop(transmit, session_id, fields or {})
        except Exception as exc:  # notifyDeliveryFailure
            with contextlib.suppress(ApiError):
                await self.rpc("service/error", {"sessionId": session_id,
                                                 "message": str(exc), "fatal": True})
            raise

    async def _loop(self, transmit: Transmit, session_id: str,
                    fields: dict[str, str]) -> Result:
        fetch_request: dict[str, Any] = {"sessionId": session_id}
        while True:
            try:
                fetch = await self._fetch_with_retry(fetch_request, 5)
            except ApiError as exc:
                if exc.status == 503:  # a long-poll timeout: fetch again
                    continue
                raise
            if fetch["completed"]:
                status = fetch["status"]
                return Result(session_id, bool(status["success"]), status.get("message"))
            kind = fetch["operationType"]
            if kind == "transceive":
                fetch_request = await self._transmit(transmit, fetch["operationId"],
                                                     session_id)
            elif kind == "user-interaction":
                values = {f["id"]: fields[f["id"]] for f in fetch["fields"]
                          if f["id"] in fields}
                fetch_request = {"sessionId": session_id, "operationResult": {
                    "operationId": fetch["operationId"], "fields": values,
                    "statusCode": 200}}
            elif kind == "action":
                fetch_request = {"sessionId": session_id,
                                 "operationResult": {"operationId": fetch["operationId"]}}
            else:
                raise AssertionError(f"Unsupported operation: {fetch}")

    async def _fetch_with_retry(self, request: dict[str, Any], retries: int) -> Any:
        """rpcWithRetry: an empty (204) answer is retried every 500 ms, 5 times."""
        node = await self.rpc("service/fetch", request)
        if node is not None:
            return node
        if retries > 0:
            await asyncio.sleep(0.5)
            return await self._fetch_with_retry(request, retries - 1)
        raise AssertionError("Unable to fetch request after all retries")

    async def _transmit(self, transmit: Transmit, operation_id: str,
                        session_id: str) -> dict[str, Any]:
        """processTransmitOperation: open with empty responses, send every command of a
        batch, post all responses, until the server answers no commands."""
        request: dict[str, Any] = {"uuid": operation_id, "open": True, "responses": []}
        while True:
            answer = await self.rpc("connector/json", request)
            commands = answer["commands"]
            if not commands:
                break
            responses = [(await transmit(bytes.fromhex(c))).hex().upper() for c in commands]
            request = {"uuid": operation_id, "open": True, "responses": responses}
        return {"sessionId": session_id}

    async def deliver_recipe(self, transmit: Transmit, cin: str, batch_id: int,
                             recipe: dict[str, Any]) -> Result:
        """FidesmoCard.deliverRecipe: PUT under a fresh UUID, run it, DELETE it."""
        name = str(uuid.uuid4())
        path = f"apps/{self.app_id}/services/{name}/recipe"  # SERVICE_RECIPE_URL
        await self.put(path, recipe)
        try:
            assert self.app_id is not None
            return await self.run(transmit, cin, batch_id, self.app_id, name)
        finally:
            await self.delete(path)


# --- RecipeGenerator.java, key by key (AIDs and hex upper case, as AID.toString and
# HexUtils.bin2hex write them) ------------------------------------------------------------

def install_recipe(lfdbh: str, applet: str, instance: str | None = None,
                   params: str | None = None) -> dict[str, Any]:
    """makeInstallRecipe (instance defaults to the applet AID)."""
    inst = (instance or applet).upper()
    content: dict[str, Any] = {"id": lfdbh.upper(), "module": applet.upper(),
                               "application": inst, "searchBy": "lfdbh"}
    if params is not None:
        content["parameters"] = params.upper()
    return {"failureMessage": {"en": f"Could not install {inst}"},
            "successMessage": {"en": f"Successfully installed {inst}"},
            "description": {"title": f"Install application {inst}"},
            "actions": [{"endpoint": "/ccm/install", "content": content}]}


def delete_recipe(package: str) -> dict[str, Any]:
    """makeDeleteRecipe."""
    pkg = package.upper()
    return {"failureMessage": {"en": f"Could not uninstall {pkg}"},
            "successMessage": {"en": f"Successfully uninstalled {pkg}"},
            "description": {"title": f"Uninstall application {pkg}"},
            "actions": [{"endpoint": "/ccm/delete",
                         "content": {"application": pkg, "withRelated": True}}]}


def store_data_recipe(applet: str, payloads: list[str]) -> dict[str, Any]:
    """makeStoreDataRecipe: one /ccm/storedata action per payload, tagType DGI."""
    app = applet.upper()
    return {"failureMessage": {"en": f"Could not store data to {app}"},
            "successMessage": {"en": f"Successfully stored data to {app}"},
            "description": {"title": f"Store data to {app}"},
            "actions": [{"endpoint": "/ccm/storedata", "content": {
                "application": app, "tagType": "DGI", "data": p.upper()}} for p in payloads]}


def secure_transceive_recipe(applet: str, apdus: list[str]) -> dict[str, Any]:
    """makeSecureTransceiveRecipe: every APDU in one /secure-transceive action."""
    app = applet.upper()
    return {"failureMessage": {"en": f"Could not send apdus to {app}"},
            "successMessage": {"en": f"Successfully sent apdus to {app}"},
            "description": {"title": f"Secure send apdus to {app}"},
            "actions": [{"endpoint": "/secure-transceive", "content": {
                "application": app, "commands": [a.upper() for a in apdus]}}]}
