"""The demo Service Provider: "The Secret Application" (appId 73656372).

A small SP server written against the public platform's contract only: it
answers Service Description requests, accepts Service Delivery requests and
drives each delivery with operation calls (app credentials, sessionId and
callbackUrl headers), waiting for each result on its callback endpoint.

Services: install (SSD + key store applet + a fresh secret key personalised
through the secure channel), uninstall, suspend / unsuspend (SET STATUS),
desfire-create / desfire-delete (DESFire application 736563 with an AES key),
restore (the key from a recovery code the user types, sent encrypted under the
SP's certificate), add-card (a payment card, encrypted), support (user actions:
a phone call to make, shown and acknowledged before the delivery).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from backend_stub.demo_sp.inputs import card_from, secret_from_code
from backend_stub.demo_sp.resources import SECRET_APP_ID, secret_app
from backend_stub.demo_sp.spkey import SealError, SPKey

log = logging.getLogger("backend_stub.demo_sp")

PACKAGE = "A000000617007365637201"
APPLET = "A00000061700736563720101"
DESFIRE_AID = "736563"

Step = tuple[str, str, dict[str, Any]]  # method, endpoint, body

MESSAGES: dict[str, dict[str, dict[str, str]]] = {
    "install": {
        "ok": {"en": "Your key store is ready.", "sv": "Ditt nyckelvalv är klart.",
               "es": "Su almacén de claves está listo.",
               "de": "Ihr Schlüsselspeicher ist bereit."},
        "fail": {"en": "The key store could not be installed.",
                 "sv": "Nyckelvalvet kunde inte installeras.",
                 "es": "No se pudo instalar el almacén de claves.",
                 "de": "Der Schlüsselspeicher konnte nicht installiert werden."}},
    "uninstall": {
        "ok": {"en": "The Secret Application is removed.",
               "sv": "Den hemliga applikationen är borttagen.",
               "es": "La aplicación secreta se ha eliminado.",
               "de": "Die geheime Anwendung ist entfernt."},
        "fail": {"en": "The application could not be removed.",
                 "sv": "Applikationen kunde inte tas bort.",
                 "es": "No se pudo eliminar la aplicación.",
                 "de": "Die Anwendung konnte nicht entfernt werden."}},
}
GENERIC = {
    "ok": {"en": "Done.", "sv": "Klart.", "es": "Hecho.", "de": "Erledigt."},
    "fail": {"en": "The service failed.", "sv": "Tjänsten misslyckades.",
             "es": "El servicio falló.", "de": "Der Dienst ist fehlgeschlagen."},
}


def new_secret_key() -> bytes:
    """A fresh P-256 private scalar (what the key store applet stores with DGI 0101)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_numbers().private_value.to_bytes(32, "big")


class DemoSP:
    """The demo SP as a FastAPI app plus the client that calls the backend."""

    def __init__(self, backend_url: str, public_url: str, *, app_key: str | None = None,
                 secret_source: Callable[[], bytes] = new_secret_key,
                 operation_timeout: float = 120.0) -> None:
        self.backend_url = backend_url.rstrip("/")
        self.public_url = public_url.rstrip("/")
        self.app_id = SECRET_APP_ID
        self.app_key = app_key
        self.secret_source = secret_source
        self.operation_timeout = operation_timeout
        self.services = secret_app().services()
        self.sp_key = SPKey()  # in memory only; its certificate goes in encrypted services
        self.cards_added: list[str] = []  # the last four digits of each card given
        self.http = httpx.AsyncClient(base_url=self.backend_url, timeout=30)
        # observable by tests
        self.issued_secrets: list[bytes] = []
        self.callbacks: list[dict[str, Any]] = []
        self.callback_attempts = 0
        self.fail_callbacks = 0  # answer the next N callbacks with HTTP 500
        self.completions: dict[str, tuple[bool, dict[str, str]]] = {}
        self.results: dict[str, dict[str, Any]] = {}
        self._waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self.app = self._build_app()

    def set_credentials(self, keys: dict[str, str]) -> None:
        self.app_key = keys[self.app_id]

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task
        await self.http.aclose()

    # --- HTTP face ---
    def _build_app(self) -> FastAPI:
        app = FastAPI(title="Demo SP: The Secret Application", version="0.1.0")

        @app.get("/description/{service_id}")
        async def description(service_id: str) -> Response:
            desc = self.services.get(service_id)
            if desc is None:
                return JSONResponse({"error": "not-found"}, status_code=404)
            if desc.get("encrypted") is True:
                desc = {**desc, "certificate": self.sp_key.certificate_hex}
            return JSONResponse(desc)

        @app.post("/service")
        async def service(request: Request) -> Response:
            body = await request.json()
            if body.get("serviceId") not in self.services:
                return JSONResponse({"error": "not-found"}, status_code=404)
            task = asyncio.get_running_loop().create_task(self._deliver(body))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return JSONResponse({})

        @app.post("/callback")
        async def callback(request: Request) -> Response:
            self.callback_attempts += 1
            if self.fail_callbacks > 0:
                self.fail_callbacks -= 1
                return JSONResponse({"error": "try again"}, status_code=500)
            body = await request.json()
            self.callbacks.append(body)
            op_id = body.get("operationId")
            if isinstance(op_id, str):
                self.results[op_id] = body
                waiter = self._waiters.get(op_id)
                if waiter is not None and not waiter.done():
                    waiter.set_result(body)
            return JSONResponse({})

        @app.get("/health")
        async def health() -> dict[str, str]:
            return {"status": "ok"}

        return app

    # --- delivery ---
    def plan(self, service_id: str, request: dict[str, Any] | None = None) -> list[Step]:
        """The operation calls of one service (ValueError: the user's input is unusable)."""
        if service_id in ("restore", "add-card"):
            opened = self.sp_key.open((request or {}).get("fields") or {},
                                      (request or {}).get("ephemeralKey"))
            if service_id == "add-card":
                self.cards_added.append(card_from(opened.get("card", ""))[-4:])
                return []
            secret = secret_from_code(opened.get("code", ""))
            self.issued_secrets.append(secret)
            return [("PUT", "/ccm/storedata", {"application": APPLET, "tagType": "DGI",
                                               "data": "010120" + secret.hex().upper()})]
        if service_id == "install":
            secret = self.secret_source()
            self.issued_secrets.append(secret)
            return [
                ("PUT", "/ccm/install", {"executableLoadFile": PACKAGE,
                                         "executableModule": APPLET, "application": APPLET}),
                ("PUT", "/ccm/storedata", {"application": APPLET, "tagType": "DGI",
                                           "data": "010120" + secret.hex().upper()}),
            ]
        if service_id == "uninstall":
            return [("PUT", "/ccm/delete", {"application": PACKAGE, "withRelated": True})]
        if service_id in ("suspend", "unsuspend"):
            return [("PUT", "/ccm/setstatus", {"application": APPLET,
                                               "lock": service_id == "suspend"})]
        if service_id == "desfire-create":
            return [("POST", "/desfire/ev1/createApp", {
                "aid": DESFIRE_AID, "keySettings": "0F", "numberOfKeys": 1, "keyType": "AES",
                "keys": [secrets.token_hex(16).upper()]})]
        if service_id == "desfire-delete":
            return [("POST", "/desfire/ev1/deleteApp", {"aid": DESFIRE_AID})]
        return []

    def _auth(self) -> httpx.BasicAuth:
        if not self.app_key:
            raise RuntimeError("the demo SP has no credentials yet")
        return httpx.BasicAuth(self.app_id, self.app_key)

    async def operation(self, session_id: str, method: str, endpoint: str,
                        body: dict[str, Any]) -> dict[str, Any]:
        """Call one operation and wait for its result on the callback URL."""
        resp = await self.http.request(method, endpoint, json=body, auth=self._auth(), headers={
            "sessionId": session_id, "callbackUrl": f"{self.public_url}/callback"})
        if resp.status_code != 200:
            return {"statusCode": resp.status_code, "message": resp.text[:200]}
        op_id = resp.json()["operationId"]
        if op_id in self.results:
            return self.results[op_id]
        waiter: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiters[op_id] = waiter
        try:
            if op_id in self.results:
                return self.results[op_id]
            return await asyncio.wait_for(waiter, self.operation_timeout)
        except TimeoutError:
            return {"operationId": op_id, "statusCode": 408, "message": "no callback came"}
        finally:
            self._waiters.pop(op_id, None)

    async def complete(self, session_id: str, success: bool, message: dict[str, str]) -> None:
        self.completions[session_id] = (success, message)
        resp = await self.http.post("/service/completed", auth=self._auth(),
                                    headers={"sessionId": session_id},
                                    json={"success": success, "message": message})
        if resp.status_code != 200:
            log.info("completion of %s answered %s", session_id, resp.status_code)

    async def _deliver(self, request: dict[str, Any]) -> None:
        session_id = request["sessionId"]
        service_id = request["serviceId"]
        texts = MESSAGES.get(service_id, GENERIC)
        try:
            try:
                steps = self.plan(service_id, request)
            except (SealError, ValueError) as exc:  # never the value itself in the log
                log.info("%s: the user's input is unusable: %s", service_id,
                         type(exc).__name__)
                await self.complete(session_id, False, texts["fail"])
                return
            for method, endpoint, body in steps:
                result = await self.operation(session_id, method, endpoint, body)
                if result.get("statusCode") != 200:
                    log.info("%s %s failed: %s", service_id, endpoint, result)
                    await self.complete(session_id, False, texts["fail"])
                    return
            await self.complete(session_id, True, texts["ok"])
        except Exception:
            log.exception("delivery %s failed", session_id)
            with contextlib.suppress(Exception):
                await self.complete(session_id, False, texts["fail"])
