"""How operations and sessions end: results, callbacks, element bookkeeping, purge, final state.

Every function runs inside one write transaction (`tx`, see context.Tx: `tx.db` is
its database session) and records its after-commit work in `tx.effects`. Two verbs
end things: `end_operation` and `end_session`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from backend_stub.engine.cardchange import CHANGED_KEY, SENT_KEY, unanswered_change
from backend_stub.engine.context import Tx
from backend_stub.engine.lifecycle import AppLifecycle, ServiceKind, state_after
from backend_stub.engine.states import OperationStatus, Origin, SessionPhase
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
                                            operations_t.c.status != OperationStatus.DONE)
_HAVE = select(elements_t.c.kind, elements_t.c.aid).where(
    elements_t.c.cin == bindparam("cin"), elements_t.c.app_id == bindparam("app_id"))
_NEW_ELEMENTS = insert(elements_t)
_DROP_PENDING = delete(pending_batches_t).where(
    pending_batches_t.c.operation_id == bindparam("op_id"))
_PENDING_COMMANDS = select(pending_batches_t.c.commands).where(
    pending_batches_t.c.operation_id == bindparam("op_id"))


def lock_session(db: Session, session_id: str) -> DeliverySession | None:
    """The session row, locked for this transaction (PostgreSQL: FOR UPDATE).

    Locked once per transaction: later calls answer the same object without a
    statement (the lock, and the object, last until the transaction ends)."""
    held: dict[str, DeliverySession] = db.info.setdefault(_LOCKED, {})
    session = held.get(session_id)
    if session is None:
        session = db.get(DeliverySession, session_id, with_for_update=True)
        if session is not None:
            held[session_id] = session
    return session


def hold_session(db: Session, session: DeliverySession) -> None:
    """`session` is locked in this transaction already (loaded FOR UPDATE, or inserted here)."""
    db.info.setdefault(_LOCKED, {})[session.id] = session


def get_state(db: Session, cin: str, app_id: str) -> AppLifecycle:
    state = db.connection().execute(_STATE, {"cin": cin, "app_id": app_id}).scalar()
    return AppLifecycle(state) if state else AppLifecycle.NOT_INSTALLED


def next_seq(db: Session, session_id: str) -> int:
    top = (db.execute(select(func.max(Operation.seq)).where(
        Operation.session_id == session_id))).scalar()
    return int(top or 0) + 1


def new_operation(session: DeliverySession, origin: Origin, endpoint: str, request: dict[str, Any],
                  seq: int, now: float, callback_url: str | None = None) -> Operation:
    return Operation(
        id=str(uuid.uuid4()), session_id=session.id, app_id=session.app_id, seq=seq,
        origin=origin, endpoint=endpoint, request=request, callback_url=callback_url,
        status=OperationStatus.QUEUED, responses=[], batches=0, created_at=now,
    )


def unfinished(db: Session, session_id: str) -> list[Operation]:
    """Open operations in order (sessions do not autoflush: the in-memory status decides)."""
    rows = db.execute(select(Operation).where(
        Operation.session_id == session_id, Operation.status != OperationStatus.DONE
    ).order_by(Operation.seq))
    return [op for op in rows.scalars().all() if op.status != OperationStatus.DONE]


def any_unfinished(db: Session, session_id: str) -> bool:
    """`unfinished(...) != []` without loading the operations: the ids of open rows, less
    those this transaction has ended in memory (they are in its identity map)."""
    ids = db.connection().execute(_OPEN_IDS, {"sid": session_id}).scalars()
    for op_id in ids:
        held = db.identity_map.get(identity_key(Operation, op_id))
        if held is None or held.status != OperationStatus.DONE:
            return True
    return False


def result_body(op: Operation) -> dict[str, Any]:
    """The OperationResponse as POSTed to the SP and answered by GET /status/{id}."""
    body: dict[str, Any] = {"operationId": op.id, "statusCode": op.status_code}
    body.update(op.result or {})
    if op.status_code != 200 and op.message:
        body["message"] = op.message
    return body


def _record_elements(db: Session, op: Operation, session: DeliverySession,
                     adds: Sequence[tuple[str, str]], removes: Sequence[tuple[str, str]],
                     now: float) -> None:
    req = op.request
    if adds:
        # one statement for what the application already has on the card, one for the rest
        # (Core: these rows are never ORM objects in a delivery's transaction)
        conn = db.connection()
        have = {(k, a) for k, a in conn.execute(_HAVE, {"cin": session.cin,
                                                       "app_id": session.app_id})}
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
            rows.append({"cin": session.cin, "app_id": session.app_id, "kind": kind, "aid": aid,
                         "parent": parent, "created_by": op.id, "created_at": now})
        if rows:
            conn.execute(_NEW_ELEMENTS, rows)
    for _kind, aid in removes:
        remove_element(db, session.cin, aid, with_related=bool(req.get("withRelated")))


def remove_element(db: Session, cin: str, aid: str, *, with_related: bool) -> None:
    """Forget an element, and with related objects everything hanging below it."""
    db.flush()  # the deletes below are SQL: pending inserts must be there first
    doomed = {aid}
    if with_related:
        frontier = [aid]
        while frontier:
            rows = db.execute(select(ElementRow.aid).where(
                ElementRow.cin == cin, ElementRow.parent.in_(frontier)))
            frontier = [a for (a,) in rows if a not in doomed]
            doomed.update(frontier)
    db.execute(delete(ElementRow).where(ElementRow.cin == cin, ElementRow.aid.in_(doomed)))


def end_operation(
    tx: Tx, op: Operation, session: DeliverySession, status_code: int, *,
    result: dict[str, Any] | None = None, message: str | None = None,
    adds: Sequence[tuple[str, str]] = (), removes: Sequence[tuple[str, str]] = (),
    advance: bool = True, answered: bool = False,
) -> None:
    """Close an operation: result, elements, callback; with `advance`, also what its
    session does next (a recipe's or a purge's following step, or the session's end).

    `answered`: the caller took the responses of the pending batch (else a pending batch
    was never answered, and what it held may have run on the card)."""
    db, now = tx.db, tx.now()
    changed = bool(op.script_state and op.script_state.get(CHANGED_KEY))
    if status_code != 200 and not changed and not answered and op.batches:
        pending = db.connection().execute(_PENDING_COMMANDS, {"op_id": op.id}).scalar() or []
        sent = (op.script_state or {}).get(SENT_KEY)  # the touch point said how far it got
        changed = unanswered_change(pending[:sent] if isinstance(sent, int) else pending)
    op.status = OperationStatus.DONE
    op.status_code = status_code
    op.result = result or None
    op.message = message
    op.finished_at = now
    tx.effects.drop_scripts.add(op.id)
    # Core: a pending batch is never changed after it is written (see operations.store_batch)
    db.connection().execute(_DROP_PENDING, {"op_id": op.id})
    if not adds and op.script_state:
        # an operation cut short: what its script would have added may be on the card now
        adds = [(e["kind"], e["aid"]) for e in op.script_state.get("adds", [])]
    op.script_state = None  # its session keys and static DEK are of no use any more
    # A failed script changed the card only if a command that adds or removes elements
    # was answered with success, or was handed out and never answered (cardchange.py);
    # the purge tolerates elements that are not there.
    touched = status_code == 200 or changed
    if touched and adds:
        _record_elements(db, op, session, adds, (), now)
        session.added = True
    elif changed and status_code != 200:
        session.removed = True  # a delete (or an undeclared change) may have taken effect
    if status_code == 200 and removes:
        _record_elements(db, op, session, (), removes, now)
        session.removed = True
    if status_code == 200:
        _desfire_keys_after(db, op, session)
    session.last_progress_at = now
    tx.effects.sessions.add(session.id)
    if op.origin == Origin.SP and op.callback_url:
        db.add(Callback(operation_id=op.id, app_id=op.app_id, url=op.callback_url,
                        body=result_body(op), attempts=0, next_attempt_at=now, gave_up=False,
                        created_at=now))
        tx.effects.callbacks = True
    if not advance or session.phase == SessionPhase.DONE:
        return
    if op.origin == Origin.RECIPE:
        _after_recipe_action(tx, op, session)
    elif op.origin == Origin.PURGE:
        _after_purge_step(tx, op, session)


def _desfire_keys_after(db: Session, op: Operation, session: DeliverySession) -> None:
    req = op.request
    if op.endpoint == "/desfire/ev1/createApp":
        db.execute(delete(DesfireKeyRow).where(DesfireKeyRow.cin == session.cin,
                                               DesfireKeyRow.daid == req["aid"]))
        zero = "00" * {"AES": 16, "3K3DES": 24, "DES": 8}[req["keyType"]]
        keys = req.get("keys") or [zero] * int(req["numberOfKeys"])
        for no, key in enumerate(keys):
            db.add(DesfireKeyRow(cin=session.cin, daid=req["aid"], key_no=no,
                                 app_id=session.app_id, key_type=req["keyType"], key=key))
    elif op.endpoint == "/desfire/ev1/deleteApp":
        db.execute(delete(DesfireKeyRow).where(DesfireKeyRow.cin == session.cin,
                                               DesfireKeyRow.daid == req["aid"]))


def _after_recipe_action(tx: Tx, op: Operation, session: DeliverySession) -> None:
    recipe = session.recipe or {}
    if op.status_code != 200:
        end_session(tx, session, False,
                    recipe.get("failureMessage") or ml(f"The service failed: {op.message}"),
                    reason="an earlier recipe action failed")
    elif not any_unfinished(tx.db, session.id):
        end_session(tx, session, True,
                    recipe.get("successMessage") or ml("The service was delivered."),
                    open_ops=[])


def _after_purge_step(tx: Tx, op: Operation, session: DeliverySession) -> None:
    db = tx.db
    target = op.request.get("application") or op.request.get("aid") or ""
    gone = op.status_code == 200 or (
        op.status_code == 417 and bool(op.responses) and op.responses[-1][-4:] in ABSENT_SWS)
    if not gone:
        end_session(tx, session, False, ml(
            f"The application was uninstalled but the backend could not remove {target} "
            f"from the card ({op.message or op.status_code}); uninstall it again."),
            reason="an earlier purge step failed")
        return
    remove_element(db, session.cin, target, with_related=bool(op.request.get("withRelated")))
    if op.endpoint == "/desfire/ev1/deleteApp":
        db.execute(delete(DesfireKeyRow).where(DesfireKeyRow.cin == session.cin,
                                               DesfireKeyRow.daid == target))
    if not unfinished(db, session.id):
        end_session(tx, session, bool(session.sp_success),
                    session.sp_message or ml("The application was uninstalled."), open_ops=[])


def purge_operations(db: Session, session: DeliverySession, now: float) -> list[Operation]:
    """Delete operations for every element the application ever put on this card."""
    rows = (db.execute(select(ElementRow).where(
        ElementRow.cin == session.cin, ElementRow.app_id == session.app_id))).scalars().all()
    ordered = sorted(rows, key=lambda r: (PURGE_ORDER.get(r.kind, 9), r.id))
    seq = next_seq(db, session.id)
    ops = []
    for i, el in enumerate(ordered):
        req: dict[str, Any]
        if el.kind == "desfire-app":
            endpoint, req = "/desfire/ev1/deleteApp", {"aid": el.aid}
        else:
            endpoint, req = "/ccm/delete", {"application": el.aid,
                                            "withRelated": el.kind != "applet"}
        ops.append(new_operation(session, Origin.PURGE, endpoint, req, seq + i, now))
    return ops


ENDED_EARLY = "the delivery ended before this operation ran"


def end_session(tx: Tx, session: DeliverySession, success: bool, message: dict[str, Any], *,
                status_code: int = 409, reason: str = ENDED_EARLY,
                open_ops: list[Operation] | None = None) -> None:
    """End a delivery with `success` and `message` (the SP's, the recipe's or ours).

    Its unfinished operations (`open_ops`, when the caller knows them) end with
    `status_code` and `reason`, and their callbacks are queued. A good uninstall
    first purges what the application left on the card: the session ends, with
    this outcome, once the purge has.
    """
    if session.phase == SessionPhase.DONE:
        return
    for op in unfinished(tx.db, session.id) if open_ops is None else open_ops:
        end_operation(tx, op, session, status_code, message=reason, advance=False)
    if (success and session.phase != SessionPhase.PURGING
            and session.service_kind == ServiceKind.UNINSTALL):
        ops = purge_operations(tx.db, session, tx.now())
        if ops:
            session.sp_success, session.sp_message = success, message  # the purge ends so
            tx.db.add_all(ops)
            session.phase = SessionPhase.PURGING
            session.last_progress_at = tx.now()
            tx.effects.sessions.add(session.id)
            return
    _record_outcome(tx, session, success, message)


def _record_outcome(tx: Tx, session: DeliverySession, success: bool,
                    message: dict[str, Any]) -> None:
    """Final status and the application's new state on the card."""
    now = tx.now()
    # Core: app_states rows are never ORM objects in a delivery's transaction
    conn = tx.db.connection()
    old = conn.execute(_STATE, {"cin": session.cin, "app_id": session.app_id}).scalar()
    current = AppLifecycle(old) if old else AppLifecycle.NOT_INSTALLED
    new = state_after(ServiceKind(session.service_kind), current, success=success,
                      added=session.added, removed=session.removed,
                      reached=success or changed_card(session))
    if old is None:
        conn.execute(_NEW_STATE, {"cin": session.cin, "app_id": session.app_id,
                                  "state": new.value, "updated_at": now})
    elif old != new.value:
        conn.execute(_SET_STATE, {"k_cin": session.cin, "k_app": session.app_id,
                                  "state": new.value, "updated_at": now})
    session.phase = SessionPhase.DONE
    session.success = success
    session.message = message
    session.final_state = new.value
    session.ended_at = now
    session.last_progress_at = now
    tx.effects.sessions.add(session.id)
    tx.engine.last_seen.pop(session.id, None)


def restart_operation(tx: Tx, op: Operation, session: DeliverySession, sent: int | None
                      ) -> bool:
    """The card came back after a reset (issue 18): its secure channel is gone, so a
    wrapped script cannot go on from its last batch; the operation starts again from its
    beginning (a fresh INITIALIZE UPDATE on the next connector call), but only when
    nothing that adds or removes elements ran (else it ends, and the app needs a repair).
    False when it cannot be restarted."""
    if op.session_id != session.id or op.status != OperationStatus.RUNNING or \
            op.origin == Origin.INTERACTION or (op.script_state or {}).get(CHANGED_KEY):
        return False
    pending = tx.db.connection().execute(_PENDING_COMMANDS, {"op_id": op.id}).scalar() or []
    if unanswered_change(pending[:sent] if sent is not None else pending):
        return False
    tx.db.connection().execute(_DROP_PENDING, {"op_id": op.id})
    tx.effects.drop_scripts.add(op.id)
    tx.engine.scripts.pop(op.id, None)
    op.script_state, op.batches, op.responses = None, 0, []
    session.last_progress_at = tx.now()
    tx.effects.sessions.add(session.id)
    return True


def changed_card(session: DeliverySession) -> bool:
    """Whether a command of this session that adds or removes elements may have taken
    effect (end_operation sets `added` / `removed` so): a delivery that never changed the
    card leaves the application's state as it was (issue 18)."""
    return bool(session.added or session.removed)
