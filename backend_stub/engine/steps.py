"""What the touch point does next: service/fetch's answer, and the connector/json round trip
that may end an operation and answer the session's next step in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select

from backend_stub.engine.context import Engine, Tx
from backend_stub.engine.flow import lock_session
from backend_stub.engine.operations import exchange, open_batch, parse_responses
from backend_stub.engine.states import OperationStatus, Origin, SessionPhase
from backend_stub.errors import not_found
from backend_stub.store.models import DeliverySession, Operation, PendingBatch

LIVENESS_WRITE = 0.5  # seconds: how stale sessions.last_device_at may get while in use
# Hot-path statement, built once (building and cache-keying one costs more than running it)
_OPEN_OPS = select(Operation, PendingBatch).outerjoin(
    PendingBatch, PendingBatch.operation_id == Operation.id).where(
    Operation.session_id == bindparam("sid"), Operation.status != OperationStatus.DONE).order_by(
    Operation.seq)


def _completed(session: DeliverySession) -> dict[str, Any]:
    return {"completed": True,
            "status": {"success": bool(session.success), "message": session.message or {},
                       "appState": session.final_state}}


def next_step(tx: Tx, session_id: str) -> dict[str, Any] | None:
    """What service/fetch answers now; None when nothing is ready.

    A transceive operation comes with its pending batch inline (compiled and stored
    here on first use, so answering it again is idempotent); an operation that ends
    at once (it cannot compile) is skipped for whatever follows it.
    """
    session = lock_session(tx.db, session_id)
    if session is None:
        raise not_found("unknown session", "sessionId")
    now = tx.now()
    if now - session.last_device_at > LIVENESS_WRITE:  # other workers' watchdogs read this
        session.last_device_at = now
    while True:
        if session.phase == SessionPhase.DONE:
            return _completed(session)
        # open operations in order, each with its pending batch (one statement); the
        # in-memory status decides, as operations may have ended in this transaction
        rows = tx.db.execute(_OPEN_OPS, {"sid": session_id}).all()
        open_ops = [(op, pending) for op, pending in rows if op.status != OperationStatus.DONE]
        if not open_ops:
            return None
        op, pending = open_ops[0]
        if op.origin == Origin.INTERACTION:  # "action" or "user-interaction" (+ encrypted)
            return {"completed": False, "operationId": op.id, "operationType": op.endpoint,
                    **op.request}
        batch = open_batch(tx, op, session, pending)
        if batch["commands"]:
            return {"completed": False, "operationId": op.id, "operationType": "transceive",
                    **batch}


@dataclass
class ConnectorStep:
    """A connector/json answer, and whether posting responses just ended the operation."""

    answer: dict[str, Any]
    session_id: str
    ended: bool
    # when `ended`: what service/fetch answers now, computed in the same transaction
    # (None: nothing was ready yet, e.g. the SP has not queued its next operation)
    next: dict[str, Any] | None = None


async def connector_step(engine: Engine, op_id: str, responses: list[Any]) -> ConnectorStep:
    """POST /connector/json: take the last batch's responses, give the next batch; when the
    responses end the operation, also the session's next step (see api/device.py)."""
    raw = parse_responses(responses)

    def _step(tx: Tx) -> ConnectorStep:
        answer, session = exchange(tx, op_id, raw)
        ended = bool(raw) and not answer["commands"]
        return ConnectorStep(answer, session.id, ended,
                             next_step(tx, session.id) if ended else None)

    try:
        return await engine.write(_step)
    except BaseException:
        engine.scripts.pop(op_id, None)
        raise
