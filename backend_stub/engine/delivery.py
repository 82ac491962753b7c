"""Service delivery from the touch point's side: deliver, fetch, error, and the SP's completion."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from backend_stub.engine.context import Effects, Engine
from backend_stub.engine.flow import (
    DONE,
    conclude,
    fail_session,
    finish_operation,
    get_state,
    hold_session,
    lock_session,
    new_operation,
    next_seq,
)
from backend_stub.engine.lifecycle import (
    AppLifecycle,
    ServiceKind,
    is_allowed,
    refusal_reason,
    service_kind,
)
from backend_stub.engine.operations import check_request, device_batch, open_batch
from backend_stub.engine.spclient import fetch_description, post_delivery
from backend_stub.engine.validation import ml_from_message, raise_at
from backend_stub.errors import ApiError, bad_request, conflict, forbidden, not_found
from backend_stub.store.models import (
    DeliverySession,
    Operation,
    PendingBatch,
    apps_t,
    devices_t,
    services_t,
    sessions_t,
)

log = logging.getLogger("backend_stub.delivery")
DISPLAY_ONLY = ("text", "image")

# Hot-path statements, built once (building and cache-keying one costs more than running it)
_APP = select(apps_t.c.description, apps_t.c.settings).where(
    apps_t.c.app_id == bindparam("app_id"))
_SERVICE = select(services_t.c.recipe).where(services_t.c.app_id == bindparam("app_id"),
                                             services_t.c.service_id == bindparam("sid"))
_BUSY = select(sessions_t.c.id).where(
    sessions_t.c.cin == bindparam("cin"), sessions_t.c.app_id == bindparam("app_id"),
    sessions_t.c.phase != DONE).limit(1)
_DEVICE = select(devices_t.c.batch_id).where(devices_t.c.cin == bindparam("cin"))
_NEW_DEVICE = insert(devices_t)
_SEEN = update(devices_t).where(devices_t.c.cin == bindparam("k_cin"))
_OPEN_OPS = select(Operation, PendingBatch).outerjoin(
    PendingBatch, PendingBatch.operation_id == Operation.id).where(
    Operation.session_id == bindparam("sid"), Operation.status != DONE).order_by(
    Operation.seq)
LIVENESS_WRITE = 0.5  # seconds: how stale sessions.last_device_at may get while in use


@dataclass(frozen=True)
class AppInfo:
    """What a delivery needs of an application (read with Core: no ORM object to track)."""

    app_id: str
    description: dict[str, Any]
    settings: dict[str, Any]


@dataclass(frozen=True)
class ServiceInfo:
    """What a delivery needs of a service; `recipe` set: the backend runs it itself."""

    app_id: str
    service_id: str
    recipe: dict[str, Any] | None


def load_app_service(s: Session, app_id: str, service_id: str,
                     allowed_apps: set[str] | None) -> tuple[AppInfo, ServiceInfo]:
    """The app and service, with 404 for unknown ones (403 for an SP asking about others)."""
    conn = s.connection()
    arow = conn.execute(_APP, {"app_id": app_id}).first()
    if allowed_apps is not None and app_id not in allowed_apps:
        raise forbidden("not allowed for these credentials", "appId")
    if arow is None:
        raise not_found("unknown application", "appId")
    srow = conn.execute(_SERVICE, {"app_id": app_id, "sid": service_id}).first()
    if srow is None:
        raise not_found("unknown service", "serviceId")
    return AppInfo(app_id, arow[0], arow[1]), ServiceInfo(app_id, service_id, srow[0])


async def service_description(eng: Engine, app: AppInfo,
                              service: ServiceInfo) -> dict[str, Any]:
    """From the stored recipe, else from the SP's Service Description URL."""
    if service.recipe is not None:
        return dict(service.recipe["description"])
    return await fetch_description(eng, app.settings, service.service_id)


def app_summary(app: AppInfo) -> dict[str, Any]:
    """The `app` part of a service lookup."""
    return {"appId": app.app_id, "name": app.description.get("name"),
            "organization": app.description.get("organization"),
            "currency": app.settings.get("currency")}


async def describe_service(eng: Engine, app_id: str, service_id: str, cin: str | None,
                           allowed_apps: set[str] | None) -> dict[str, Any]:
    """GET /v3/apps/{appId}/services/{serviceId}?cin=: 412 when the card's state forbids it."""

    def _check(s: Session) -> tuple[AppInfo, ServiceInfo, ServiceKind]:
        app, service = load_app_service(s, app_id, service_id, allowed_apps)
        kind = service_kind(app.description, service_id)
        if cin:
            state = get_state(s, cin, app_id)
            if not is_allowed(kind, state):
                raise ApiError(412, "state-not-allowed", refusal_reason(kind, state))
        return app, service, kind

    app, service, kind = await eng.db.read(_check)
    desc = await service_description(eng, app, service)
    out: dict[str, Any] = {"description": desc, "app": app_summary(app), "kind": kind.value}
    if "price" in desc:
        out["price"] = desc["price"]
    return out


def missing_fields(desc: dict[str, Any], fields: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in desc.get("fieldsRequired", [])
            if f.get("type") not in DISPLAY_ONLY and f["id"] not in fields]


def _enqueue_recipe(s: Session, eng: Engine, fx: Effects,
                    sess: DeliverySession, first_seq: int | None = None) -> None:
    actions = (sess.recipe or {}).get("actions", [])
    seq = first_seq if first_seq is not None else next_seq(s, sess.id)
    now = eng.clock()
    for i, action in enumerate(actions):
        try:
            req = check_request(s, sess, action["endpoint"], action["content"])
        except ApiError as exc:
            raise raise_at(exc, f"recipe.actions.{i}.content") from None
        s.add(new_operation(sess, "recipe", action["endpoint"], req, seq + i, now))
    if not actions:
        conclude(s, eng, fx, sess, True, (sess.recipe or {}).get("successMessage")
                 or {"en": "The service was delivered."})
    fx.sessions.add(sess.id)


def _begin(s: Session, eng: Engine, fx: Effects, sess: DeliverySession,
           first_seq: int | None = None) -> None:
    """All fields known: run the recipe, or hand the delivery to the SP server."""
    sess.phase = "running"
    sess.last_progress_at = eng.clock()
    if sess.recipe is not None:
        _enqueue_recipe(s, eng, fx, sess, first_seq)
    else:
        fx.start_sessions.append(sess.id)


Checked = tuple[AppInfo, ServiceInfo, ServiceKind, AppLifecycle]


def _checked(s: Session, app_id: str, service_id: str, cin: str,
             allowed_apps: set[str] | None) -> Checked:
    app, service = load_app_service(s, app_id, service_id, allowed_apps)
    kind = service_kind(app.description, service_id)
    state = get_state(s, cin, app_id)
    if not is_allowed(kind, state):  # refuse before asking the SP anything
        raise ApiError(412, "state-not-allowed", refusal_reason(kind, state))
    return app, service, kind, state


def _open_session(s: Session, eng: Engine, fx: Effects, body: dict[str, Any],
                  allowed_apps: set[str] | None, desc: dict[str, Any] | None,
                  checked: Checked | None = None) -> str:
    """The write half of service/deliver; `desc` None means: the stored recipe's.

    `checked`: `_checked` already ran in this transaction."""
    app_id, service_id = body["appId"], body["serviceId"]
    card = body["cardId"]
    fields = dict(body.get("fields") or {})
    now = eng.clock()
    _app, service, kind, state = checked or _checked(s, app_id, service_id, card["cin"],
                                                     allowed_apps)
    if desc is None:
        if service.recipe is None:
            raise conflict("the service changed while the delivery started; try again",
                           "serviceId")
        desc = dict(service.recipe["description"])
    missing = missing_fields(desc, fields)
    _touch_device(s, card, now)
    busy = s.connection().execute(_BUSY, {"cin": card["cin"], "app_id": app_id}).first()
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
    hold_session(s, sess)  # a row inserted here is this transaction's alone
    if missing:
        s.add(new_operation(sess, "interaction", "user-interaction", {"fields": missing}, 1,
                            now))
    else:
        _begin(s, eng, fx, sess, first_seq=1)  # a new session: numbering starts at 1
    return sess.id


def _touch_device(s: Session, card: dict[str, Any], now: float) -> None:
    """Record the card as its touch point describes it (Core: devices are never ORM objects
    in a delivery's transaction); remembers its batch id for compiling in this transaction."""
    conn = s.connection()
    cin = card["cin"]
    row = conn.execute(_DEVICE, {"cin": cin}).first()
    if row is None:
        conn.execute(_NEW_DEVICE, {"cin": cin, "iin": card["iin"],
                                   "platform_version": card.get("platformVersion"),
                                   "first_seen": now, "last_seen": now})
        device_batch(s, cin, None)
        return
    values: dict[str, Any] = {"k_cin": cin, "iin": card["iin"], "last_seen": now}
    if card.get("platformVersion") is not None:
        values["platform_version"] = card["platformVersion"]
    conn.execute(_SEEN, values)
    device_batch(s, cin, row[0])


@dataclass
class Delivered:
    """service/deliver's result: the session, and its first step when it was ready at once."""

    session_id: str
    first: dict[str, Any] | None = None


async def deliver(eng: Engine, body: dict[str, Any], allowed_apps: set[str] | None) -> str:
    """POST /v3/service/deliver: open a session (412 if the state forbids the service)."""
    return (await deliver_step(eng, body, allowed_apps)).session_id


async def deliver_step(eng: Engine, body: dict[str, Any], allowed_apps: set[str] | None,
                       *, first_step: bool = False) -> Delivered:
    """`deliver`; with `first_step`, also what service/fetch would answer at once.

    A recipe service opens, and compiles its first batch, in one transaction; an SP
    service is checked first, then its description is fetched from the SP (no
    transaction open meanwhile). The first step is only computed where it costs no
    wait (a recipe, or fields to ask for); otherwise `first` is None.
    """
    app_id, service_id = body["appId"], body["serviceId"]
    cin = body["cardId"]["cin"]
    fx = Effects()
    keep: dict[str, tuple[int, Any]] = {}

    def _first(s: Session, session_id: str) -> dict[str, Any] | None:
        if not first_step:
            return None
        s.flush()  # no autoflush: the new session and its operations must be visible
        return next_step(s, eng, fx, session_id, keep)

    def _plan(s: Session, write: bool) -> tuple[Delivered | None, AppInfo, ServiceInfo]:
        checked = _checked(s, app_id, service_id, cin, allowed_apps)
        app, service = checked[0], checked[1]
        if service.recipe is not None and write:
            sid = _open_session(s, eng, fx, body, allowed_apps, None, checked)
            return Delivered(sid, _first(s, sid)), app, service
        return None, app, service

    def _open(s: Session, desc: dict[str, Any] | None) -> Delivered:
        sid = _open_session(s, eng, fx, body, allowed_apps, desc)
        return Delivered(sid, _first(s, sid))

    key = (app_id, service_id)
    if key in eng.recipe_services:  # last time a recipe: check and open in one transaction
        done, app, service = await eng.db.write(lambda s: _plan(s, True))
    else:
        done, app, service = await eng.db.read(lambda s: _plan(s, False))
    if service.recipe is not None:
        eng.recipe_services.add(key)
    else:
        eng.recipe_services.discard(key)
    if done is None:
        desc = None if service.recipe is not None else await service_description(
            eng, app, service)
        done = await eng.db.write(lambda s: _open(s, desc))
    eng.seen(done.session_id)
    eng.apply(fx)
    eng.scripts.update(keep)
    return done


async def start_sp_delivery(eng: Engine, session_id: str) -> None:
    """Send the ServiceDeliveryRequest to the SP; a refusal, an unreachable SP or a failure
    of this task itself ends the session at once (the touch point's next fetch sees it)."""
    try:
        await _start_sp_delivery(eng, session_id)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        log.exception("starting SP delivery of session %s failed", session_id)
        await end_session_failed(eng, session_id, 500, "The delivery could not start: the "
                                 f"backend failed ({type(exc).__name__}).")


async def end_session_failed(eng: Engine, session_id: str, status_code: int,
                             message: str) -> None:
    """Fail a session that is still open, in a transaction of its own."""
    fx = Effects()

    def _fail(s: Session) -> None:
        sess = s.get(DeliverySession, session_id, with_for_update=True)
        if sess is not None:
            fail_session(s, eng, fx, sess, status_code, message)

    await eng.db.write(_fail)
    eng.apply(fx)


async def _start_sp_delivery(eng: Engine, session_id: str) -> None:

    def _request(s: Session) -> tuple[str | None, dict[str, Any]] | None:
        sess = s.get(DeliverySession, session_id)
        if sess is None or sess.phase != "running":
            return None
        settings = s.connection().execute(select(apps_t.c.settings).where(
            apps_t.c.app_id == sess.app_id)).scalar()
        url = (settings or {}).get("serviceDeliveryUrl")
        return url, {"sessionId": sess.id, "serviceId": sess.service_id,
                     "description": sess.description,
                     "cardId": {"iin": sess.iin, "cin": sess.cin,
                                "platformVersion": sess.platform_version},
                     "fields": sess.fields}

    found = await eng.db.read(_request)
    if found is None:
        return
    url, body = found
    problem = "the application has no serviceDeliveryUrl" if not url else await post_delivery(
        eng, url, body)
    if problem is None:
        return
    await end_session_failed(eng, session_id, 502, f"The delivery could not start: {problem}")


def _completed(sess: DeliverySession) -> dict[str, Any]:
    return {"completed": True,
            "status": {"success": bool(sess.success), "message": sess.message or {},
                       "appState": sess.final_state}}


def next_step(s: Session, eng: Engine, fx: Effects, session_id: str,
              keep: dict[str, tuple[int, Any]]) -> dict[str, Any] | None:
    """What service/fetch answers now; None when nothing is ready.

    A transceive operation comes with its pending batch inline (compiled and stored
    here on first use, so answering it again is idempotent); an operation that ends
    at once (it cannot compile) is skipped for whatever follows it.
    """
    sess = lock_session(s, session_id)
    if sess is None:
        raise not_found("unknown session", "sessionId")
    now = eng.clock()
    if now - sess.last_device_at > LIVENESS_WRITE:  # other workers' watchdogs read this
        sess.last_device_at = now
    while True:
        if sess.phase == DONE:
            return _completed(sess)
        # open operations in order, each with its pending batch (one statement); the
        # in-memory status decides, as operations may have ended in this transaction
        rows = s.execute(_OPEN_OPS, {"sid": session_id}).all()
        open_ops = [(op, pending) for op, pending in rows if op.status != DONE]
        if not open_ops:
            return None
        op, pending = open_ops[0]
        if op.origin == "interaction":
            return {"completed": False, "operationId": op.id,
                    "operationType": "user-interaction", "fields": op.request["fields"]}
        batch = open_batch(s, eng, fx, op, sess, keep, pending=pending, pending_known=True)
        if batch["commands"]:
            return {"completed": False, "operationId": op.id, "operationType": "transceive",
                    **batch}


async def _fetch_once(eng: Engine, session_id: str) -> dict[str, Any] | None:
    fx = Effects()
    keep: dict[str, tuple[int, Any]] = {}
    answer = await eng.db.write(lambda s: next_step(s, eng, fx, session_id, keep))
    eng.apply(fx)
    eng.scripts.update(keep)
    return answer


async def _operation_result(eng: Engine, session_id: str, result: dict[str, Any]) -> None:
    op_id = result.get("operationId")
    fx = Effects()

    def _record(s: Session) -> None:
        sess = s.get(DeliverySession, session_id, with_for_update=True)
        if sess is None:
            raise not_found("unknown session", "sessionId")
        op = s.get(Operation, op_id) if isinstance(op_id, str) else None
        if op is None or op.session_id != session_id:
            raise bad_request("not an operation of this session", "operationResult.operationId")
        if op.origin != "interaction" or op.status == DONE or sess.phase == DONE:
            return  # results of transceive operations travel through connector/json
        code = result.get("statusCode", 200)
        if code != 200:
            finish_operation(s, eng, fx, op, sess, 410 if code is None else int(code),
                             message="the user cancelled", follow=False)
            fail_session(s, eng, fx, sess, 410, "The delivery was cancelled.")
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
            finish_operation(s, eng, fx, op, sess, 200, follow=False)
            try:
                with s.begin_nested():
                    _begin(s, eng, fx, sess)
            except ApiError as exc:
                fail_session(s, eng, fx, sess, 400, f"The recipe cannot run: {exc.message}")

    await eng.db.write(_record)
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
    def _tx(s: Session) -> Any:
        sess = s.get(DeliverySession, session_id, with_for_update=True)
        if sess is None:
            raise not_found("unknown session", "sessionId")
        if fatal and sess.phase != DONE:
            text = f"The touch point reported an error: {message}" if message else \
                "The touch point reported an error."
            fail_session(s, eng, fx, sess, 410, text)
    await eng.db.write(_tx)
    eng.apply(fx)


async def sp_completed(eng: Engine, app_id: str, session_id: str | None, success: bool,
                       message: Any) -> None:
    """POST /service/completed from the SP (purges after a successful uninstall)."""
    if not session_id:
        raise bad_request("send the sessionId header of the delivery", "sessionId")
    msg = ml_from_message(message, "message") if message else {}
    if not msg:
        msg = {"en": "The service was delivered." if success else "The service failed."}
    fx = Effects()

    def _complete(s: Session) -> None:
        sess = s.get(DeliverySession, session_id, with_for_update=True)
        if sess is None or sess.app_id != app_id:
            raise forbidden("no such session for this application", "sessionId")
        if sess.phase != "running":
            raise conflict("the session has already ended" if sess.phase == DONE else
                           f"the session cannot be completed now ({sess.phase})", "sessionId")
        conclude(s, eng, fx, sess, success, msg)

    await eng.db.write(_complete)
    eng.apply(fx)
