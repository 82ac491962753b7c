"""Timeouts of running sessions, and recovery of sessions a crash left running."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import select

from backend_stub.engine.context import Effects, Engine
from backend_stub.engine.flow import DONE, fail_session
from backend_stub.store.models import DeliverySession, Operation

log = logging.getLogger("backend_stub.watchdog")


async def check_timeouts(eng: Engine) -> int:
    """Fail sessions whose touch point went silent (408) or that made no progress at all."""
    now = eng.clock()
    tp_limit = eng.settings.touchpoint_timeout
    async with eng.db.read() as s:
        rows = (await s.execute(select(
            DeliverySession.id, DeliverySession.last_device_at,
            DeliverySession.last_progress_at).where(DeliverySession.phase != DONE))).all()
        if not rows:
            return 0
        waiting = {sid for (sid,) in (await s.execute(select(Operation.session_id).where(
            Operation.status != DONE).distinct())).all()}
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
    async with eng.db.write() as s:
        for sid, code, message in expired:
            sess = await s.get(DeliverySession, sid)
            if sess is None or sess.phase == DONE:
                continue
            # re-check inside the transaction: the touch point may just have come back
            last = max(sess.last_device_at, eng.last_seen.get(sid, 0.0))
            if now - last <= tp_limit and now - max(last, sess.last_progress_at) <= \
                    eng.settings.session_timeout:
                continue
            await fail_session(s, eng, fx, sess, code, message)
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
    fx = Effects()
    async with eng.db.write() as s:
        open_sessions = (await s.execute(select(DeliverySession).where(
            DeliverySession.phase != DONE))).scalars().all()
        for sess in open_sessions:
            await fail_session(s, eng, fx, sess, 500,
                               "The backend stopped during the delivery.")
    eng.apply(fx)
    if open_sessions:
        log.warning("ended %d session(s) interrupted by a restart", len(open_sessions))
    return len(open_sessions)
