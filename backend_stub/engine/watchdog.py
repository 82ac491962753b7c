"""Timeouts of running sessions, and recovery of sessions a crash left running."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_stub.engine.context import Effects, Engine
from backend_stub.engine.flow import DONE, fail_session
from backend_stub.store.models import DeliverySession, Operation

log = logging.getLogger("backend_stub.watchdog")


async def check_timeouts(eng: Engine) -> int:
    """Fail sessions whose touch point went silent (408) or that made no progress at all."""
    now = eng.clock()
    tp_limit = eng.settings.touchpoint_timeout

    def _scan(s: Session) -> tuple[list[Any], set[str]]:
        rows = list(s.execute(select(
            DeliverySession.id, DeliverySession.last_device_at,
            DeliverySession.last_progress_at).where(DeliverySession.phase != DONE)).all())
        if not rows:
            return [], set()
        waiting = {sid for (sid,) in s.execute(select(Operation.session_id).where(
            Operation.status != DONE).distinct()).all()}
        return rows, waiting

    rows, waiting = await eng.db.read(_scan)
    if not rows:
        return 0
    expired: list[tuple[str, int, str]] = []
    for sid, last_device, last_progress in rows:
        last = max(last_device, eng.last_seen.get(sid, 0.0))
        if sid in waiting and now - last > tp_limit:
            expired.append((sid, 408, "The touch point did not answer in time."))
        elif now - max(last, last_progress) > eng.settings.session_timeout:
            expired.append((sid, 408, "The delivery timed out."))
    if not expired:
        return 0
    fx = Effects()

    def _expire(s: Session) -> None:
        for sid, code, message in sorted(expired):
            # locked: another worker's watchdog or request may be ending the same session
            sess = s.get(DeliverySession, sid, with_for_update=True)
            if sess is None or sess.phase == DONE:
                continue
            # re-check inside the transaction: the touch point may just have come back
            last = max(sess.last_device_at, eng.last_seen.get(sid, 0.0))
            if now - last <= tp_limit and now - max(last, sess.last_progress_at) <= \
                    eng.settings.session_timeout:
                continue
            fail_session(s, eng, fx, sess, code, message)

    await eng.db.write(_expire)
    eng.apply(fx)
    return len(expired)


async def run_watchdog(eng: Engine) -> None:
    while True:
        await asyncio.sleep(eng.settings.watchdog_interval)
        try:
            await check_timeouts(eng)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("watchdog pass failed")


async def recover(eng: Engine) -> int:
    """At startup: every session still open was cut off by a crash; end it failed.

    Its unfinished operations end with 500 and their callbacks are queued, and the
    application state follows the lifecycle rules for a failed delivery.
    """
    if eng.db.shared:
        # other workers may be serving these sessions right now: a restart of one worker
        # ends nothing; the watchdog fails whatever its touch point really abandoned
        return 0
    fx = Effects()

    def _fail_open(s: Session) -> int:
        open_sessions = s.execute(select(DeliverySession).where(
            DeliverySession.phase != DONE)).scalars().all()
        for sess in open_sessions:
            fail_session(s, eng, fx, sess, 500, "The backend stopped during the delivery.")
        return len(open_sessions)

    count = await eng.db.write(_fail_open)
    eng.apply(fx)
    if count:
        log.warning("ended %d session(s) interrupted by a restart", count)
    return count
