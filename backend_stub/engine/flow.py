"""How operations and sessions end: results, callbacks, element bookkeeping, purge, final state.

All functions run inside one write transaction (`s`) and record their
after-commit work in `fx`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from backend_stub.engine.context import Effects, Engine
from backend_stub.engine.lifecycle import AppLifecycle, ServiceKind, state_after
from backend_stub.store.models import (
    Callback,
    DeliverySession,
    DesfireKeyRow,
    ElementRow,
    Operation,
    app_states_t,
    elements_t,
    operations_t,
    pending_batches_t,
)

DONE = "done"
# answers that mean "already gone" when the purge deletes something
ABSENT_SWS = {"6A88", "91A0"}
PURGE_ORDER = {"applet": 0, "package": 1, "ssd": 2, "desfire-app": 3}


def ml(text: str) -> dict[str, str]:
    """A backend-generated message as a multilanguage string."""
    return {"en": text}


_LOCKED = "locked_sessions"

# Hot-path statements, built once: building and cache-keying a statement costs several
# times what SQLite takes to run it.
_STATE = select(app_states_t.c.state).where(app_states_t.c.cin == bindparam("cin"),
                                            app_states_t.c.app_id == bindparam("app_id"))
_SET_STATE = update(app_states_t).where(
    app_states_t.c.cin == bindparam("k_cin"), app_states_t.c.app_id == bindparam("k_app"))
_NEW_STATE = insert(app_states_t)
_OPEN_IDS = select(operations_t.c.id).where(operations_t.c.session_id == bindparam("sid"),
                                            operations_t.c.status != DONE)
_HAVE = select(elements_t.c.kind, elements_t.c.aid).where(
    elements_t.c.cin == bindparam("cin"), elements_t.c.app_id == bindparam("app_id"))
_NEW_ELEMENTS = insert(elements_t)
_DROP_PENDING = delete(pending_batches_t).where(
    pending_batches_t.c.operation_id == bindparam("op_id"))


def lock_session(s: Session, session_id: str) -> DeliverySession | None:
    """The session row, locked for this transaction (PostgreSQL: FOR UPDATE).

    Locked once per transaction: later calls answer the same object without a
    statement (the lock, and the object, last until the transaction ends)."""
    held: dict[str, DeliverySession] = s.info.setdefault(_LOCKED, {})
    sess = held.get(session_id)
    if sess is None:
        sess = s.get(DeliverySession, session_id, with_for_update=True)
        if sess is not None:
            held[session_id] = sess
    return sess


def hold_session(s: Session, sess: DeliverySession) -> None:
    """`sess` is locked in this transaction already (loaded FOR UPDATE, or inserted here)."""
    s.info.setdefault(_LOCKED, {})[sess.id] = sess


def get_state(s: Session, cin: str, app_id: str) -> AppLifecycle:
    state = s.connection().execute(_STATE, {"cin": cin, "app_id": app_id}).scalar()
    return AppLifecycle(state) if state else AppLifecycle.NOT_INSTALLED


def next_seq(s: Session, session_id: str) -> int:
    top = (s.execute(select(func.max(Operation.seq)).where(
        Operation.session_id == session_id))).scalar()
    return int(top or 0) + 1


def new_operation(sess: DeliverySession, origin: str, endpoint: str, request: dict[str, Any],
                  seq: int, now: float, callback_url: str | None = None) -> Operation:
    return Operation(
        id=str(uuid.uuid4()), session_id=sess.id, app_id=sess.app_id, seq=seq, origin=origin,
        endpoint=endpoint, request=request, callback_url=callback_url, status="queued",
        responses=[], batches=0, created_at=now,
    )


def unfinished(s: Session, session_id: str) -> list[Operation]:
    """Open operations in order (sessions do not autoflush: the in-memory status decides)."""
    rows = s.execute(select(Operation).where(
        Operation.session_id == session_id, Operation.status != DONE).order_by(Operation.seq))
    return [op for op in rows.scalars().all() if op.status != DONE]


def any_unfinished(s: Session, session_id: str) -> bool:
    """`unfinished(...) != []` without loading the operations: the ids of open rows, less
    those this transaction has ended in memory (they are in its identity map)."""
    ids = s.connection().execute(_OPEN_IDS, {"sid": session_id}).scalars()
    for op_id in ids:
        held = s.identity_map.get(identity_key(Operation, op_id))
        if held is None or held.status != DONE:
            return True
    return False


def result_body(op: Operation) -> dict[str, Any]:
    """The OperationResponse as POSTed to the SP and answered by GET /status/{id}."""
    body: dict[str, Any] = {"operationId": op.id, "statusCode": op.status_code}
    body.update(op.result or {})
    if op.status_code != 200 and op.message:
        body["message"] = op.message
    return body


def _record_elements(s: Session, op: Operation, sess: DeliverySession,
                     adds: Sequence[tuple[str, str]], removes: Sequence[tuple[str, str]],
                     now: float) -> None:
    req = op.request
    if adds:
        # one statement for what the application already has on the card, one for the rest
        # (Core: these rows are never ORM objects in a delivery's transaction)
        conn = s.connection()
        have = {(k, a) for k, a in conn.execute(_HAVE, {"cin": sess.cin,
                                                       "app_id": sess.app_id})}
        rows = []
        for kind, aid in adds:
            if (kind, aid) in have:
                continue
            have.add((kind, aid))
            parent = None
            if kind == "applet":
                parent = req.get("executableLoadFile")
            elif kind == "package":
                parent = req.get("_targetSd")
            rows.append({"cin": sess.cin, "app_id": sess.app_id, "kind": kind, "aid": aid,
                         "parent": parent, "created_by": op.id, "created_at": now})
        if rows:
            conn.execute(_NEW_ELEMENTS, rows)
    for _kind, aid in removes:
        remove_element(s, sess.cin, aid, with_related=bool(req.get("withRelated")))


def remove_element(s: Session, cin: str, aid: str, *, with_related: bool) -> None:
    """Forget an element, and with related objects everything hanging below it."""
    s.flush()  # the deletes below are SQL: pending inserts must be there first
    doomed = {aid}
    if with_related:
        frontier = [aid]
        while frontier:
            rows = s.execute(select(ElementRow.aid).where(
                ElementRow.cin == cin, ElementRow.parent.in_(frontier)))
            frontier = [a for (a,) in rows if a not in doomed]
            doomed.update(frontier)
    s.execute(delete(ElementRow).where(ElementRow.cin == cin, ElementRow.aid.in_(doomed)))


def finish_operation(
    s: Session, eng: Engine, fx: Effects, op: Operation, sess: DeliverySession,
    status_code: int, *, result: dict[str, Any] | None = None, message: str | None = None,
    adds: Sequence[tuple[str, str]] = (), removes: Sequence[tuple[str, str]] = (),
    follow: bool = True,
) -> None:
    """Close an operation: result, elements, callback, and what the session does next."""
    now = eng.clock()
    op.status = DONE
    op.status_code = status_code
    op.result = result or None
    op.message = message
    op.finished_at = now
    fx.drop_scripts.add(op.id)
    # Core: a pending batch is never changed after it is written (see _store_batch)
    s.connection().execute(_DROP_PENDING, {"op_id": op.id})
    if not adds and op.script_state:
        # an operation cut short: what its script would have added may be on the card now
        adds = [(e["kind"], e["aid"]) for e in op.script_state.get("adds", [])]
    op.script_state = None  # its session keys and static DEK are of no use any more
    # A failed script may have changed the card once it got past its opening batch; the
    # record is conservative, and the purge tolerates elements that are not there.
    touched = status_code == 200 or op.batches >= 2
    if touched and adds:
        _record_elements(s, op, sess, adds, (), now)
        sess.added = True
    if status_code == 200 and removes:
        _record_elements(s, op, sess, (), removes, now)
        sess.removed = True
    if status_code == 200:
        _desfire_keys_after(s, op, sess)
    sess.last_progress_at = now
    fx.sessions.add(sess.id)
    if op.origin == "sp" and op.callback_url:
        s.add(Callback(operation_id=op.id, app_id=op.app_id, url=op.callback_url,
                       body=result_body(op), attempts=0, next_attempt_at=now, gave_up=False,
                       created_at=now))
        fx.callbacks = True
    if not follow or sess.phase == DONE:
        return
    if op.origin == "recipe":
        _after_recipe_action(s, eng, fx, op, sess)
    elif op.origin == "purge":
        _after_purge_step(s, eng, fx, op, sess)


def _desfire_keys_after(s: Session, op: Operation, sess: DeliverySession) -> None:
    req = op.request
    if op.endpoint == "/desfire/ev1/createApp":
        s.execute(delete(DesfireKeyRow).where(DesfireKeyRow.cin == sess.cin,
                                              DesfireKeyRow.daid == req["aid"]))
        zero = "00" * {"AES": 16, "3K3DES": 24, "DES": 8}[req["keyType"]]
        keys = req.get("keys") or [zero] * int(req["numberOfKeys"])
        for no, key in enumerate(keys):
            s.add(DesfireKeyRow(cin=sess.cin, daid=req["aid"], key_no=no, app_id=sess.app_id,
                                key_type=req["keyType"], key=key))
    elif op.endpoint == "/desfire/ev1/deleteApp":
        s.execute(delete(DesfireKeyRow).where(DesfireKeyRow.cin == sess.cin,
                                              DesfireKeyRow.daid == req["aid"]))


def _after_recipe_action(s: Session, eng: Engine, fx: Effects, op: Operation,
                         sess: DeliverySession) -> None:
    recipe = sess.recipe or {}
    if op.status_code != 200:
        cancel_unfinished(s, eng, fx, sess, 409, "an earlier recipe action failed")
        finalize(s, eng, fx, sess, False,
                 recipe.get("failureMessage") or ml(f"The service failed: {op.message}"))
        return
    if not any_unfinished(s, sess.id):
        conclude(s, eng, fx, sess, True,
                 recipe.get("successMessage") or ml("The service was delivered."),
                 open_ops=[])


def _after_purge_step(s: Session, eng: Engine, fx: Effects, op: Operation,
                      sess: DeliverySession) -> None:
    target = op.request.get("application") or op.request.get("aid") or ""
    gone = op.status_code == 200 or (
        op.status_code == 417 and bool(op.responses) and op.responses[-1][-4:] in ABSENT_SWS)
    if gone:
        remove_element(s, sess.cin, target, with_related=bool(op.request.get("withRelated")))
        if op.endpoint == "/desfire/ev1/deleteApp":
            s.execute(delete(DesfireKeyRow).where(DesfireKeyRow.cin == sess.cin,
                                                  DesfireKeyRow.daid == target))
    else:
        cancel_unfinished(s, eng, fx, sess, 409, "an earlier purge step failed")
        finalize(s, eng, fx, sess, False, ml(
            f"The application was uninstalled but the backend could not remove {target} "
            f"from the card ({op.message or op.status_code}); uninstall it again."))
        return
    if not unfinished(s, sess.id):
        finalize(s, eng, fx, sess, bool(sess.sp_success),
                 sess.sp_message or ml("The application was uninstalled."))


def cancel_unfinished(s: Session, eng: Engine, fx: Effects, sess: DeliverySession,
                      status_code: int, message: str,
                      open_ops: list[Operation] | None = None) -> None:
    for op in (unfinished(s, sess.id)) if open_ops is None else open_ops:
        finish_operation(s, eng, fx, op, sess, status_code, message=message, follow=False)


def purge_operations(s: Session, sess: DeliverySession, now: float) -> list[Operation]:
    """Delete operations for every element the application ever put on this card."""
    rows = (s.execute(select(ElementRow).where(
        ElementRow.cin == sess.cin, ElementRow.app_id == sess.app_id))).scalars().all()
    ordered = sorted(rows, key=lambda r: (PURGE_ORDER.get(r.kind, 9), r.id))
    seq = next_seq(s, sess.id)
    ops = []
    for i, el in enumerate(ordered):
        req: dict[str, Any]
        if el.kind == "desfire-app":
            endpoint, req = "/desfire/ev1/deleteApp", {"aid": el.aid}
        else:
            endpoint, req = "/ccm/delete", {"application": el.aid,
                                            "withRelated": el.kind != "applet"}
        ops.append(new_operation(sess, "purge", endpoint, req, seq + i, now))
    return ops


def conclude(s: Session, eng: Engine, fx: Effects, sess: DeliverySession,
             success: bool, message: dict[str, Any],
             open_ops: list[Operation] | None = None) -> None:
    """The SP (or the recipe) says the delivery is over; purge after a good uninstall."""
    if sess.phase == DONE:
        return
    now = eng.clock()
    sess.sp_success = success
    sess.sp_message = message
    cancel_unfinished(s, eng, fx, sess, 409, "the delivery ended before this operation ran",
                      open_ops)
    if success and sess.service_kind == ServiceKind.UNINSTALL.value:
        ops = purge_operations(s, sess, now)
        if ops:
            for op in ops:
                s.add(op)
            sess.phase = "purging"
            sess.last_progress_at = now
            fx.sessions.add(sess.id)
            return
    finalize(s, eng, fx, sess, success, message)


def finalize(s: Session, eng: Engine, fx: Effects, sess: DeliverySession,
             success: bool, message: dict[str, Any]) -> None:
    """Final status and the application's new state on the card."""
    if sess.phase == DONE:
        return
    now = eng.clock()
    # Core: app_states rows are never ORM objects in a delivery's transaction
    conn = s.connection()
    old = conn.execute(_STATE, {"cin": sess.cin, "app_id": sess.app_id}).scalar()
    current = AppLifecycle(old) if old else AppLifecycle.NOT_INSTALLED
    new = state_after(ServiceKind(sess.service_kind), current, success=success,
                      added=sess.added, removed=sess.removed,
                      reached=success or reached_card(s, sess))
    if old is None:
        conn.execute(_NEW_STATE, {"cin": sess.cin, "app_id": sess.app_id,
                                  "state": new.value, "updated_at": now})
    elif old != new.value:
        conn.execute(_SET_STATE, {"k_cin": sess.cin, "k_app": sess.app_id,
                                  "state": new.value, "updated_at": now})
    sess.phase = DONE
    sess.success = success
    sess.message = message
    sess.final_state = new.value
    sess.ended_at = now
    sess.last_progress_at = now
    fx.sessions.add(sess.id)
    eng.last_seen.pop(sess.id, None)


_HANDED_OUT = select(operations_t.c.id).where(operations_t.c.session_id == bindparam("sid"),
                                               operations_t.c.batches > 0).limit(1)


def reached_card(s: Session, sess: DeliverySession) -> bool:
    """Whether any APDU of this session may have reached the card: one was carried, or a
    batch was handed to the touch point (it may have sent it without answering)."""
    if sess.added or sess.removed or sess.apdus_carried:
        return True
    for obj in (*s.new, *s.identity_map.values()):  # this transaction's, maybe unflushed
        if isinstance(obj, Operation) and obj.session_id == sess.id and obj.batches:
            return True
    return s.connection().execute(_HANDED_OUT, {"sid": sess.id}).first() is not None


def fail_session(s: Session, eng: Engine, fx: Effects, sess: DeliverySession,
                 status_code: int, message: str) -> None:
    """End a session as failed: unfinished operations get `status_code` (and callbacks)."""
    if sess.phase == DONE:
        return
    cancel_unfinished(s, eng, fx, sess, status_code, message)
    finalize(s, eng, fx, sess, False, ml(message))
