"""Service delivery from the touch point's side: deliver, fetch, error, and the SP's completion."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_stub.engine.context import Effects, Engine
from backend_stub.engine.flow import (
    DONE,
    conclude,
    fail_session,
    finish_operation,
    get_state,
    new_operation,
    next_seq,
)
from backend_stub.engine.lifecycle import is_allowed, refusal_reason, service_kind
from backend_stub.engine.operations import check_request
from backend_stub.engine.spclient import fetch_description, post_delivery
from backend_stub.engine.validation import ml_from_message, raise_at
from backend_stub.errors import ApiError, bad_request, conflict, forbidden, not_found
from backend_stub.store.models import App, DeliverySession, Device, Operation, Service

DISPLAY_ONLY = ("text", "image")


async def load_app_service(s: AsyncSession, app_id: str, service_id: str,
                           allowed_apps: set[str] | None) -> tuple[App, Service]:
    """The app and service, with 404 for unknown ones (403 for an SP asking about others)."""
    app = await s.get(App, app_id)
    if allowed_apps is not None and app_id not in allowed_apps:
        raise forbidden("not allowed for these credentials", "appId")
    if app is None:
        raise not_found("unknown application", "appId")
    service = await s.get(Service, (app_id, service_id))
    if service is None:
        raise not_found("unknown service", "serviceId")
    return app, service


async def service_description(eng: Engine, app: App, service: Service) -> dict[str, Any]:
    """From the stored recipe, else from the SP's Service Description URL."""
    if service.recipe is not None:
        return dict(service.recipe["description"])
    return await fetch_description(eng, app.settings, service.service_id)


def app_summary(app: App) -> dict[str, Any]:
    """The `app` part of a service lookup."""
    return {"appId": app.app_id, "name": app.description.get("name"),
            "organization": app.description.get("organization"),
            "currency": app.settings.get("currency")}


async def describe_service(eng: Engine, app_id: str, service_id: str, cin: str | None,
                           allowed_apps: set[str] | None) -> dict[str, Any]:
    """GET /v3/apps/{appId}/services/{serviceId}?cin=: 412 when the card's state forbids it."""
    async with eng.db.read() as s:
        app, service = await load_app_service(s, app_id, service_id, allowed_apps)
        kind = service_kind(app.description, service_id)
        if cin:
            state = await get_state(s, cin, app_id)
            if not is_allowed(kind, state):
                raise ApiError(412, "state-not-allowed", refusal_reason(kind, state))
    desc = await service_description(eng, app, service)
    out: dict[str, Any] = {"description": desc, "app": app_summary(app), "kind": kind.value}
    if "price" in desc:
        out["price"] = desc["price"]
    return out


def missing_fields(desc: dict[str, Any], fields: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in desc.get("fieldsRequired", [])
            if f.get("type") not in DISPLAY_ONLY and f["id"] not in fields]


async def _enqueue_recipe(s: AsyncSession, eng: Engine, fx: Effects,
                          sess: DeliverySession, first_seq: int | None = None) -> None:
    actions = (sess.recipe or {}).get("actions", [])
    seq = first_seq if first_seq is not None else await next_seq(s, sess.id)
    now = eng.clock()
    for i, action in enumerate(actions):
        try:
            req = await check_request(s, sess, action["endpoint"], action["content"])
        except ApiError as exc:
            raise raise_at(exc, f"recipe.actions.{i}.content") from None
        s.add(new_operation(sess, "recipe", action["endpoint"], req, seq + i, now))
    if not actions:
        await conclude(s, eng, fx, sess, True, (sess.recipe or {}).get("successMessage")
                       or {"en": "The service was delivered."})
    fx.sessions.add(sess.id)


async def _begin(s: AsyncSession, eng: Engine, fx: Effects, sess: DeliverySession,
                 first_seq: int | None = None) -> None:
    """All fields known: run the recipe, or hand the delivery to the SP server."""
    sess.phase = "running"
    sess.last_progress_at = eng.clock()
    if sess.recipe is not None:
        await _enqueue_recipe(s, eng, fx, sess, first_seq)
    else:
        fx.start_sessions.append(sess.id)


async def deliver(eng: Engine, body: dict[str, Any], allowed_apps: set[str] | None) -> str:
    """POST /v3/service/deliver: open a session (412 if the state forbids the service)."""
    app_id, service_id = body["appId"], body["serviceId"]
    card = body["cardId"]
    fields = dict(body.get("fields") or {})
    async with eng.db.read() as s:
        app, service = await load_app_service(s, app_id, service_id, allowed_apps)
        kind = service_kind(app.description, service_id)
        state = await get_state(s, card["cin"], app_id)
        if not is_allowed(kind, state):  # refuse before asking the SP anything
            raise ApiError(412, "state-not-allowed", refusal_reason(kind, state))
    desc = await service_description(eng, app, service)
    missing = missing_fields(desc, fields)
    fx = Effects()
    now = eng.clock()
    async with eng.db.write() as s:
        device = await s.get(Device, card["cin"])
        if device is None:
            s.add(Device(cin=card["cin"], iin=card["iin"], platform_version=card.get(
                "platformVersion"), first_seen=now, last_seen=now))
        else:
            device.iin = card["iin"]
            if card.get("platformVersion") is not None:
                device.platform_version = card["platformVersion"]
            device.last_seen = now
        state = await get_state(s, card["cin"], app_id)
        if not is_allowed(kind, state):
            raise ApiError(412, "state-not-allowed", refusal_reason(kind, state))
        busy = (await s.execute(select(DeliverySession.id).where(
            DeliverySession.cin == card["cin"], DeliverySession.app_id == app_id,
            DeliverySession.phase != DONE))).first()
        if busy is not None:
            raise conflict("another delivery of this application to this card is still running",
                           "appId")
        sess = DeliverySession(
            id=str(uuid.uuid4()), app_id=app_id, service_id=service_id, service_kind=kind.value,
            cin=card["cin"], iin=card["iin"], platform_version=card.get("platformVersion"),
            fields=fields, description=desc, recipe=service.recipe, phase="fields",
            prior_state=state.value, added=False, removed=False, apdus_carried=0,
            created_at=now, last_device_at=now, last_progress_at=now,
        )
        s.add(sess)  # inserted before its operations: the flush orders rows by foreign keys
        if missing:
            s.add(new_operation(sess, "interaction", "user-interaction", {"fields": missing}, 1,
                                now))
        else:
            await _begin(s, eng, fx, sess, first_seq=1)  # a new session: numbering starts at 1
    eng.seen(sess.id)
    eng.apply(fx)
    return sess.id


async def start_sp_delivery(eng: Engine, session_id: str) -> None:
    """Send the ServiceDeliveryRequest to the SP; a refusal ends the session."""
    async with eng.db.read() as s:
        sess = await s.get(DeliverySession, session_id)
        if sess is None or sess.phase != "running":
            return
        app = await s.get(App, sess.app_id)
        url = (app.settings if app else {}).get("serviceDeliveryUrl")
        body = {"sessionId": sess.id, "serviceId": sess.service_id,
                "description": sess.description,
                "cardId": {"iin": sess.iin, "cin": sess.cin,
                           "platformVersion": sess.platform_version},
                "fields": sess.fields}
    problem = "the application has no serviceDeliveryUrl" if not url else await post_delivery(
        eng, url, body)
    if problem is None:
        return
    fx = Effects()
    async with eng.db.write() as s:
        sess = await s.get(DeliverySession, session_id)
        if sess is not None:
            await fail_session(s, eng, fx, sess, 500, f"The delivery could not start: {problem}")
    eng.apply(fx)


async def _first_open(s: AsyncSession, session_id: str) -> Operation | None:
    return (await s.execute(select(Operation).where(
        Operation.session_id == session_id, Operation.status != DONE).order_by(
        Operation.seq).limit(1))).scalar_one_or_none()


def _completed(sess: DeliverySession) -> dict[str, Any]:
    return {"completed": True,
            "status": {"success": bool(sess.success), "message": sess.message or {},
                       "appState": sess.final_state}}


async def _fetch_once(eng: Engine, session_id: str) -> dict[str, Any] | None:
    async with eng.db.read() as s:
        sess = await s.get(DeliverySession, session_id)
        if sess is None:
            raise not_found("unknown session", "sessionId")
        if sess.phase == DONE:
            return _completed(sess)
        op = await _first_open(s, session_id)
        if op is None:
            return None
        if op.origin == "interaction":
            return {"completed": False, "operationId": op.id,
                    "operationType": "user-interaction", "fields": op.request["fields"]}
        return {"completed": False, "operationId": op.id, "operationType": "transceive"}


async def _operation_result(eng: Engine, session_id: str, result: dict[str, Any]) -> None:
    op_id = result.get("operationId")
    fx = Effects()
    async with eng.db.write() as s:
        sess = await s.get(DeliverySession, session_id)
        if sess is None:
            raise not_found("unknown session", "sessionId")
        op = await s.get(Operation, op_id) if isinstance(op_id, str) else None
        if op is None or op.session_id != session_id:
            raise bad_request("not an operation of this session", "operationResult.operationId")
        if op.origin != "interaction" or op.status == DONE or sess.phase == DONE:
            return  # results of transceive operations travel through connector/json
        code = result.get("statusCode", 200)
        if code != 200:
            await finish_operation(s, eng, fx, op, sess, 410 if code is None else int(code),
                                   message="the user cancelled", follow=False)
            await fail_session(s, eng, fx, sess, 410, "The delivery was cancelled.")
        else:
            given = result.get("fields") or {}
            if not isinstance(given, dict):
                raise bad_request("must be an object {fieldId: value}", "operationResult.fields")
            fields = {**sess.fields, **given}
            still = missing_fields(sess.description, fields)
            if still:
                raise bad_request("this field is required",
                                  f"operationResult.fields.{still[0]['id']}")
            sess.fields = fields
            await finish_operation(s, eng, fx, op, sess, 200, follow=False)
            try:
                async with s.begin_nested():
                    await _begin(s, eng, fx, sess)
            except ApiError as exc:
                await fail_session(s, eng, fx, sess, 400, f"The recipe cannot run: {exc.message}")
    eng.apply(fx)


async def fetch(eng: Engine, session_id: str, operation_result: dict[str, Any] | None,
                wait: float) -> dict[str, Any] | None:
    """POST /v3/service/fetch: the next operation, the final status, or None when nothing came."""
    eng.seen(session_id)
    if operation_result:
        await _operation_result(eng, session_id, operation_result)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    ev = eng.notifier.subscribe(session_id)
    try:
        while True:
            answer = await _fetch_once(eng, session_id)
            if answer is not None:
                return answer
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ev.wait(), remaining)
            ev.clear()
            eng.seen(session_id)
    finally:
        eng.notifier.unsubscribe(session_id, ev)
        eng.seen(session_id)


async def service_error(eng: Engine, session_id: str, message: str, fatal: bool) -> None:
    """POST /v3/service/error: the card went away, the reader failed or the user cancelled."""
    fx = Effects()
    async with eng.db.write() as s:
        sess = await s.get(DeliverySession, session_id)
        if sess is None:
            raise not_found("unknown session", "sessionId")
        if fatal and sess.phase != DONE:
            text = f"The touch point reported an error: {message}" if message else \
                "The touch point reported an error."
            await fail_session(s, eng, fx, sess, 410, text)
    eng.apply(fx)


async def sp_completed(eng: Engine, app_id: str, session_id: str | None, success: bool,
                       message: Any) -> None:
    """POST /service/completed from the SP (purges after a successful uninstall)."""
    if not session_id:
        raise bad_request("send the sessionId header of the delivery", "sessionId")
    msg = ml_from_message(message, "message") if message else {}
    fx = Effects()
    async with eng.db.write() as s:
        sess = await s.get(DeliverySession, session_id)
        if sess is None or sess.app_id != app_id:
            raise forbidden("no such session for this application", "sessionId")
        if sess.phase != "running":
            raise conflict("the session has already ended" if sess.phase == DONE else
                           f"the session cannot be completed now ({sess.phase})", "sessionId")
        if not msg:
            msg = {"en": "The service was delivered." if success else "The service failed."}
        await conclude(s, eng, fx, sess, success, msg)
    eng.apply(fx)
