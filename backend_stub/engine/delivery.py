"""Service delivery from the touch point's side: deliver, fetch, error, and the SP's completion."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from backend_stub.engine.cardchange import SENT_KEY
from backend_stub.engine.context import Engine, Tx
from backend_stub.engine.flow import (
    end_operation,
    end_session,
    get_state,
    hold_session,
    ml,
    new_operation,
    next_seq,
    restart_operation,
)
from backend_stub.engine.lifecycle import (
    AppLifecycle,
    ServiceKind,
    is_allowed,
    refusal_reason,
    service_kind,
)
from backend_stub.engine.operations import check_request, device_batch
from backend_stub.engine.spclient import fetch_description, post_delivery
from backend_stub.engine.states import OperationStatus, Origin, SessionPhase
from backend_stub.engine.steps import next_step
from backend_stub.engine.validation import ml_from_message, raise_at
from backend_stub.errors import ApiError, bad_request, conflict, forbidden, not_found
from backend_stub.store.models import (
    DeliverySession,
    Operation,
    apps_t,
    devices_t,
    services_t,
    sessions_t,
)

log = logging.getLogger("backend_stub.delivery")
DISPLAY_ONLY = ("text", "image")
# where an encrypted user-interaction's wrapped key is kept beside its values (not a field id
# a Service Description may use: validation refuses it)
EPHEMERAL_KEY = "ephemeralKey"

# Hot-path statements, built once (building and cache-keying one costs more than running it)
_APP = select(apps_t.c.description, apps_t.c.settings).where(
    apps_t.c.app_id == bindparam("app_id"))
_SERVICE = select(services_t.c.recipe).where(services_t.c.app_id == bindparam("app_id"),
                                             services_t.c.service_id == bindparam("sid"))
_BUSY = select(sessions_t.c.id).where(
    sessions_t.c.cin == bindparam("cin"), sessions_t.c.app_id == bindparam("app_id"),
    sessions_t.c.phase != SessionPhase.DONE).limit(1)
_DEVICE = select(devices_t.c.batch_id).where(devices_t.c.cin == bindparam("cin"))
_NEW_DEVICE = insert(devices_t)
_SEEN = update(devices_t).where(devices_t.c.cin == bindparam("k_cin"))


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


def load_app_service(db: Session, app_id: str, service_id: str,
                     allowed_apps: set[str] | None) -> tuple[AppInfo, ServiceInfo]:
    """The app and service, with 404 for unknown ones (403 for an SP asking about others)."""
    conn = db.connection()
    arow = conn.execute(_APP, {"app_id": app_id}).first()
    if allowed_apps is not None and app_id not in allowed_apps:
        raise forbidden("not allowed for these credentials", "appId")
    if arow is None:
        raise not_found("unknown application", "appId")
    srow = conn.execute(_SERVICE, {"app_id": app_id, "sid": service_id}).first()
    if srow is None:
        raise not_found("unknown service", "serviceId")
    return AppInfo(app_id, arow[0], arow[1]), ServiceInfo(app_id, service_id, srow[0])


async def service_description(engine: Engine, app: AppInfo,
                              service: ServiceInfo) -> dict[str, Any]:
    """From the stored recipe, else from the SP's Service Description URL."""
    if service.recipe is not None:
        return dict(service.recipe["description"])
    return await fetch_description(engine, app.settings, service.service_id)


def app_summary(app: AppInfo) -> dict[str, Any]:
    """The `app` part of a service lookup."""
    name = app.description.get("name") or {"en": f"App {app.app_id}"}
    return {"appId": app.app_id, "name": name,
            "organization": app.description.get("organization") or {"name": name},
            "currency": app.settings.get("currency")}


async def describe_service(engine: Engine, app_id: str, service_id: str, cin: str | None,
                           allowed_apps: set[str] | None) -> dict[str, Any]:
    """GET /v3/apps/{appId}/services/{serviceId}?cin=: 412 when the card's state forbids it."""

    def _check(db: Session) -> tuple[AppInfo, ServiceInfo, ServiceKind]:
        if cin:
            app, service, kind, _state = _checked(db, app_id, service_id, cin, allowed_apps)
            return app, service, kind
        app, service = load_app_service(db, app_id, service_id, allowed_apps)
        return app, service, service_kind(app.description, service_id)

    app, service, kind = await engine.db.read(_check)
    desc = await service_description(engine, app, service)
    out: dict[str, Any] = {"description": desc, "app": app_summary(app), "kind": kind.value}
    if "price" in desc and _paid(desc["price"]):
        # only a paid service carries a top-level price: fdsm refuses any service answer
        # that has one (ServiceDeliverySession.java deliver: `service.has("price")`)
        out["price"] = desc["price"]
    return out


def _paid(price: Any) -> bool:
    try:
        return Decimal(str(price.get("total", 0))) > 0
    except (InvalidOperation, AttributeError):
        return True


def missing_fields(desc: dict[str, Any], fields: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in desc.get("fieldsRequired", [])
            if f.get("type") not in DISPLAY_ONLY and f["id"] not in fields]


def _interactions(desc: dict[str, Any], missing: list[dict[str, Any]]
                  ) -> list[tuple[str, dict[str, Any]]]:
    """What the touch point is asked before the delivery runs: the description's user
    actions (shown, acknowledged), then the missing fields (encrypted when it says so)."""
    out: list[tuple[str, dict[str, Any]]] = []
    if desc.get("userActions"):
        out.append(("action", {"actions": desc["userActions"]}))
    if missing:
        ask: dict[str, Any] = {"fields": missing}
        if desc.get("encrypted") is True:
            ask["encrypted"] = True
        out.append(("user-interaction", ask))
    return out


def _queue_recipe(tx: Tx, session: DeliverySession, first_seq: int | None = None) -> None:
    actions = (session.recipe or {}).get("actions", [])
    seq = first_seq if first_seq is not None else next_seq(tx.db, session.id)
    now = tx.now()
    for i, action in enumerate(actions):
        try:
            req = check_request(tx.db, session, action["endpoint"], action["content"])
        except ApiError as exc:
            raise raise_at(exc, f"recipe.actions.{i}.content") from None
        tx.db.add(new_operation(session, Origin.RECIPE, action["endpoint"], req, seq + i, now))
    if not actions:
        end_session(tx, session, True, (session.recipe or {}).get("successMessage")
                    or ml("The service was delivered."))
    tx.effects.sessions.add(session.id)


def start_running(tx: Tx, session: DeliverySession, first_seq: int | None = None) -> None:
    """All fields known: run the recipe, or hand the delivery to the SP server."""
    session.phase = SessionPhase.RUNNING
    session.last_progress_at = tx.now()
    if session.recipe is not None:
        _queue_recipe(tx, session, first_seq)
    else:
        tx.effects.start_sessions.append(session.id)


Checked = tuple[AppInfo, ServiceInfo, ServiceKind, AppLifecycle]


def _checked(db: Session, app_id: str, service_id: str, cin: str,
             allowed_apps: set[str] | None) -> Checked:
    """The app and service, refused (412) when the card's state forbids the service."""
    app, service = load_app_service(db, app_id, service_id, allowed_apps)
    kind = service_kind(app.description, service_id)
    state = get_state(db, cin, app_id)
    if not is_allowed(kind, state):  # refuse before asking the SP anything
        raise ApiError(412, "state-not-allowed", refusal_reason(kind, state))
    return app, service, kind, state


def _open_session(tx: Tx, body: dict[str, Any], desc: dict[str, Any] | None,
                  checked: Checked) -> str:
    """The write half of service/deliver; `desc` None means: the stored recipe's.

    `checked`: `_checked`'s answer, from this transaction or an earlier one."""
    app_id, service_id = body["appId"], body["serviceId"]
    card = body["cardId"]
    fields = dict(body.get("fields") or {})
    now = tx.now()
    _app, service, kind, state = checked
    if desc is not None and desc.get("encrypted") is True:
        fields = {}  # never stored in clear: asked again, encrypted, in the session
    if desc is None:
        if service.recipe is None:
            raise conflict("the service changed while the delivery started; try again",
                           "serviceId")
        desc = dict(service.recipe["description"])
    missing = missing_fields(desc, fields)
    _touch_device(tx.db, card, now)
    busy = tx.db.connection().execute(_BUSY, {"cin": card["cin"], "app_id": app_id}).first()
    if busy is not None:
        raise conflict("another delivery of this application to this card is still running",
                       "appId")
    session = DeliverySession(
        id=str(uuid.uuid4()), app_id=app_id, service_id=service_id, service_kind=kind.value,
        cin=card["cin"], iin=card["iin"], platform_version=card.get("platformVersion"),
        fields=fields, description=desc, recipe=service.recipe, phase=SessionPhase.FIELDS,
        prior_state=state.value, added=False, removed=False, apdus_carried=0,
        created_at=now, last_device_at=now, last_progress_at=now,
    )
    tx.db.add(session)  # inserted before its operations: the flush orders rows by foreign keys
    hold_session(tx.db, session)  # a row inserted here is this transaction's alone
    asks = _interactions(desc, missing)
    for seq, (kind_of, request) in enumerate(asks, start=1):
        tx.db.add(new_operation(session, Origin.INTERACTION, kind_of, request, seq, now))
    if not asks:
        start_running(tx, session, first_seq=1)  # a new session: numbering starts at 1
    return session.id


def _touch_device(db: Session, card: dict[str, Any], now: float) -> None:
    """Record the card as its touch point describes it (Core: devices are never ORM objects
    in a delivery's transaction); remembers its batch id for compiling in this transaction."""
    conn = db.connection()
    cin = card["cin"]
    row = conn.execute(_DEVICE, {"cin": cin}).first()
    if row is None:
        conn.execute(_NEW_DEVICE, {"cin": cin, "iin": card["iin"],
                                   "platform_version": card.get("platformVersion"),
                                   "first_seen": now, "last_seen": now})
        device_batch(db, cin, None)
        return
    values: dict[str, Any] = {"k_cin": cin, "iin": card["iin"], "last_seen": now}
    if card.get("platformVersion") is not None:
        values["platform_version"] = card["platformVersion"]
    conn.execute(_SEEN, values)
    device_batch(db, cin, row[0])


@dataclass
class Delivered:
    """service/deliver's result: the session, and its next step when it was ready at once."""

    session_id: str
    next: dict[str, Any] | None = None


async def deliver(engine: Engine, body: dict[str, Any], allowed_apps: set[str] | None,
                  *, with_next: bool = False) -> Delivered:
    """POST /v3/service/deliver: open a session (412 if the state forbids the service);
    with `with_next`, also what service/fetch would answer at once.

    A recipe service opens, and compiles its first batch, in one transaction; an SP
    service is checked first, then its description is fetched from the SP (no
    transaction open meanwhile). The next step is only computed where it costs no
    wait (a recipe, or fields to ask for); otherwise `next` is None.
    """
    app_id, service_id = body["appId"], body["serviceId"]
    cin = body["cardId"]["cin"]

    def _open(tx: Tx, desc: dict[str, Any] | None, checked: Checked | None = None) -> Delivered:
        checked = checked or _checked(tx.db, app_id, service_id, cin, allowed_apps)
        session_id = _open_session(tx, body, desc, checked)
        if not with_next:
            return Delivered(session_id)
        tx.db.flush()  # no autoflush: the new session and its operations must be visible
        return Delivered(session_id, next_step(tx, session_id))

    def _open_recipe(tx: Tx) -> Delivered | Checked:
        """A recipe service opens at once; otherwise: what the SP delivery needs."""
        checked = _checked(tx.db, app_id, service_id, cin, allowed_apps)
        return _open(tx, None, checked) if checked[1].recipe is not None else checked

    key = (app_id, service_id)
    if key in engine.recipe_services:  # last time a recipe: check and open in one transaction
        done = await engine.write(_open_recipe)
    else:
        done = await engine.db.read(lambda db: _checked(db, app_id, service_id, cin,
                                                        allowed_apps))
    if not isinstance(done, Delivered):
        app, service = done[0], done[1]
        if service.recipe is not None:
            engine.recipe_services.add(key)
        else:
            engine.recipe_services.discard(key)
        desc = None if service.recipe is not None else await service_description(
            engine, app, service)
        done = await engine.write(lambda tx: _open(tx, desc))
    else:
        engine.recipe_services.add(key)
    engine.seen(done.session_id)
    return done


async def start_sp_delivery(engine: Engine, session_id: str) -> None:
    """Send the ServiceDeliveryRequest to the SP; a refusal, an unreachable SP or a failure
    of this task itself ends the session at once (the touch point's next fetch sees it)."""
    try:
        await _start_sp_delivery(engine, session_id)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        log.exception("starting SP delivery of session %s failed", session_id)
        await _fail_now(engine, session_id, 500, "The delivery could not start: the "
                        f"backend failed ({type(exc).__name__}).")


async def _fail_now(engine: Engine, session_id: str, status_code: int, message: str) -> None:
    """Fail a session that is still open, in a transaction of its own."""

    def _fail(tx: Tx) -> None:
        session = tx.db.get(DeliverySession, session_id, with_for_update=True)
        if session is not None:
            end_session(tx, session, False, ml(message), status_code=status_code,
                        reason=message)

    await engine.write(_fail)


async def _start_sp_delivery(engine: Engine, session_id: str) -> None:

    def _request(db: Session) -> tuple[str | None, dict[str, Any]] | None:
        session = db.get(DeliverySession, session_id)
        if session is None or session.phase != SessionPhase.RUNNING:
            return None
        settings = db.connection().execute(select(apps_t.c.settings).where(
            apps_t.c.app_id == session.app_id)).scalar()
        url = (settings or {}).get("serviceDeliveryUrl")
        body: dict[str, Any] = {"sessionId": session.id, "serviceId": session.service_id,
                                "description": session.description,
                                "cardId": {"iin": session.iin, "cin": session.cin,
                                           "platformVersion": session.platform_version},
                                "fields": {k: v for k, v in session.fields.items()
                                           if k != EPHEMERAL_KEY}}
        if EPHEMERAL_KEY in session.fields:  # the AES key of the encrypted values
            body["ephemeralKey"] = session.fields[EPHEMERAL_KEY]
        return url, body

    found = await engine.db.read(_request)
    if found is None:
        return
    url, body = found
    problem = "the application has no serviceDeliveryUrl" if not url else await post_delivery(
        engine, url, body)
    if problem is None:
        return
    await _fail_now(engine, session_id, 502, f"The delivery could not start: {problem}")


def _take_interaction_result(tx: Tx, session_id: str, result: dict[str, Any]) -> None:
    """The fields the user gave (the delivery starts) or a cancel (it fails)."""
    op_id = result.get("operationId")
    session = tx.db.get(DeliverySession, session_id, with_for_update=True)
    if session is None:
        raise not_found("unknown session", "sessionId")
    op = tx.db.get(Operation, op_id) if isinstance(op_id, str) else None
    if op is None or op.session_id != session_id:
        raise bad_request("not an operation of this session", "operationResult.operationId")
    if (op.origin != Origin.INTERACTION or op.status == OperationStatus.DONE
            or session.phase == SessionPhase.DONE):
        return  # results of transceive operations travel through connector/json
    code = result.get("statusCode", 200)
    if code != 200:
        end_operation(tx, op, session, 410 if code is None else int(code),
                      message="the user cancelled", advance=False)
        cancelled = "The delivery was cancelled."
        end_session(tx, session, False, ml(cancelled), status_code=410, reason=cancelled)
        return
    if op.endpoint == "action":  # acknowledged: on to what follows it
        end_operation(tx, op, session, 200, advance=False)
        if not missing_fields(session.description, session.fields):
            _run_after_interaction(tx, session)
        return
    given = result.get("fields") or {}
    if result.get("ephemeralKey"):
        given = {**given, EPHEMERAL_KEY: result["ephemeralKey"]}
    if not isinstance(given, dict):
        raise bad_request("must be an object {fieldId: value}", "operationResult.fields")
    fields = {**session.fields, **given}
    still = missing_fields(session.description, fields)
    if still:
        raise bad_request("this field is required", f"operationResult.fields.{still[0]['id']}")
    session.fields = fields
    end_operation(tx, op, session, 200, advance=False)
    _run_after_interaction(tx, session)


def _run_after_interaction(tx: Tx, session: DeliverySession) -> None:
    try:
        with tx.db.begin_nested():
            start_running(tx, session)
    except ApiError as exc:
        text = f"The recipe cannot run: {exc.message}"
        end_session(tx, session, False, ml(text), status_code=400, reason=text)


async def fetch(engine: Engine, session_id: str, operation_result: dict[str, Any] | None,
                wait: float) -> dict[str, Any] | None:
    """POST /v3/service/fetch: the next operation, the final status, or None when nothing came."""
    engine.seen(session_id)
    if operation_result:
        await engine.write(lambda tx: _take_interaction_result(tx, session_id, operation_result))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    ev = engine.notifier.subscribe(session_id)
    try:
        while True:
            answer = await engine.write(lambda tx: next_step(tx, session_id))
            if answer is not None:
                return answer
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ev.wait(), remaining)
            ev.clear()
            engine.seen(session_id)
    finally:
        engine.notifier.unsubscribe(session_id, ev)
        engine.seen(session_id)


async def service_error(engine: Engine, session_id: str, message: str, fatal: bool, *,
                        operation_id: str | None = None, sent: int | None = None,
                        restart: bool = False) -> bool:
    """POST /v3/service/error: the card went away, the reader failed or the user cancelled.
    `sent`: how many commands of `operation_id`'s pending batch reached the reader (the
    last may have run unanswered); the rest never did, so they changed nothing.
    `restart`: the same card is back; True when the operation starts again (see
    flow.restart_operation), else the error is fatal."""

    def _report(tx: Tx) -> bool:
        session = tx.db.get(DeliverySession, session_id, with_for_update=True)
        if session is None:
            raise not_found("unknown session", "sessionId")
        op = tx.db.get(Operation, operation_id) if operation_id else None
        if restart and session.phase == SessionPhase.RUNNING and op is not None and \
                restart_operation(tx, op, session, sent):
            return True
        if op is not None and sent is not None and op.session_id == session.id and \
                op.script_state:
            op.script_state = {**op.script_state, SENT_KEY: sent}
        if fatal and session.phase != SessionPhase.DONE:
            text = f"The touch point reported an error: {message}" if message else \
                "The touch point reported an error."
            end_session(tx, session, False, ml(text), status_code=410, reason=text)
        return False

    return bool(await engine.write(_report))


async def sp_completed(engine: Engine, app_id: str, session_id: str | None, success: bool,
                       message: Any) -> None:
    """POST /service/completed from the SP (purges after a successful uninstall)."""
    if not session_id:
        raise bad_request("send the sessionId header of the delivery", "sessionId")
    msg = ml_from_message(message, "message") if message else {}
    if not msg:
        msg = ml("The service was delivered." if success else "The service failed.")

    def _complete(tx: Tx) -> None:
        session = tx.db.get(DeliverySession, session_id, with_for_update=True)
        if session is None or session.app_id != app_id:
            raise forbidden("no such session for this application", "sessionId")
        if session.phase != SessionPhase.RUNNING:
            raise conflict("the session has already ended" if session.phase == SessionPhase.DONE
                           else f"the session cannot be completed now ({session.phase})",
                           "sessionId")
        end_session(tx, session, success, msg)

    await engine.write(_complete)
