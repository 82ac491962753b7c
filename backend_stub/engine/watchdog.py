"""Timeouts of running sessions, and recovery of sessions a crash left running."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_stub.engine.context import Engine, Tx
from backend_stub.engine.flow import end_session, ml
from backend_stub.engine.states import OperationStatus, SessionPhase
from backend_stub.store.models import DeliverySession, Operation

log = logging.getLogger("backend_stub.watchdog")


async def check_timeouts(engine: Engine) -> int:
    """Fail sessions whose touch point went silent (408) or that made no progress at all."""
    now = engine.clock()
    tp_limit = engine.settings.touchpoint_timeout

    def _scan(db: Session) -> tuple[list[Any], set[str]]:
        rows = list(db.execute(select(
            DeliverySession.id, DeliverySession.last_device_at,
            DeliverySession.last_progress_at).where(
            DeliverySession.phase != SessionPhase.DONE)).all())
        if not rows:
            return [], set()
        waiting = {sid for (sid,) in db.execute(select(Operation.session_id).where(
            Operation.status != OperationStatus.DONE).distinct()).all()}
        return rows, waiting

    rows, waiting = await engine.db.read(_scan)
    if not rows:
        return 0
    expired: list[tuple[str, int, str]] = []
    for sid, last_device, last_progress in rows:
        last = max(last_device, engine.last_seen.get(sid, 0.0))
        if sid in waiting and now - last > tp_limit:
            expired.append((sid, 408, "The touch point did not answer in time."))
        elif now - max(last, last_progress) > engine.settings.session_timeout:
            expired.append((sid, 408, "The delivery timed out."))
    if not expired:
        return 0

    def _expire(tx: Tx) -> None:
        for sid, code, message in sorted(expired):
            # locked: another worker's watchdog or request may be ending the same session
            session = tx.db.get(DeliverySession, sid, with_for_update=True)
            if session is None or session.phase == SessionPhase.DONE:
                continue
            # re-check inside the transaction: the touch point may just have come back
            last = max(session.last_device_at, engine.last_seen.get(sid, 0.0))
            if now - last <= tp_limit and now - max(last, session.last_progress_at) <= \
                    engine.settings.session_timeout:
                continue
            end_session(tx, session, False, ml(message), status_code=code, reason=message)

    await engine.write(_expire)
    return len(expired)


async def run_watchdog(engine: Engine) -> None:
    while True:
        await asyncio.sleep(engine.settings.watchdog_interval)
        try:
            await check_timeouts(engine)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("watchdog pass failed")


async def recover(engine: Engine) -> int:
    """At startup: every session still open was cut off by a crash; end it failed.

    Its unfinished operations end with 500 and their callbacks are queued, and the
    application state follows the lifecycle rules for a failed delivery.
    """
    if engine.db.shared:
        # other workers may be serving these sessions right now: a restart of one worker
        # ends nothing; the watchdog fails whatever its touch point really abandoned
        return 0
    stopped = "The backend stopped during the delivery."

    def _fail_open(tx: Tx) -> int:
        open_sessions = tx.db.execute(select(DeliverySession).where(
            DeliverySession.phase != SessionPhase.DONE)).scalars().all()
        for session in open_sessions:
            end_session(tx, session, False, ml(stopped), status_code=500, reason=stopped)
        return len(open_sessions)

    count = await engine.write(_fail_open)
    if count:
        log.warning("ended %d session(s) interrupted by a restart", count)
    return count
