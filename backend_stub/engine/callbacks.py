"""Delivery of operation results to SP callback URLs: persisted, retried, at least once.

A row is written in the transaction that ends the operation. The sender posts
due rows, marks them delivered on any 2xx, and otherwise schedules the next
try with exponential backoff (base * 2^attempts, capped, with jitter) until
`callback_max_attempts` tries are spent. Crashes lose nothing: an unmarked row
is simply sent again after restart. Several workers share the rows: a sender
claims due rows (FOR UPDATE SKIP LOCKED, then a lease on `next_attempt_at`), so
no callback is posted by two workers at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend_stub.engine.context import Effects, Engine
from backend_stub.engine.flow import DONE, fail_session
from backend_stub.store.models import Callback, DeliverySession, Operation

log = logging.getLogger("backend_stub.callbacks")
BATCH = 200
PARALLEL = 32
LEASE_MARGIN = 5.0  # seconds a claimed row stays invisible beyond the POST timeout


def backoff(eng: Engine, attempts: int) -> float:
    """Delay before try number `attempts + 1`."""
    base = eng.settings.callback_base_delay * (2 ** max(attempts - 1, 0))
    return min(base, eng.settings.callback_max_delay) * (1 + 0.1 * random.random())


UNREACHABLE = "unreachable: "  # a connection that could not even be opened


async def _post(eng: Engine, cb: Callback) -> str | None:
    try:
        resp = await eng.http.post(cb.url, json=cb.body, timeout=eng.settings.callback_timeout)
    except (httpx.ConnectError, httpx.UnsupportedProtocol) as exc:
        return f"{UNREACHABLE}{type(exc).__name__}"
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}"
    if 200 <= resp.status_code < 300:
        return None
    return f"HTTP {resp.status_code}"


def _end_waiting_session(s: Session, eng: Engine, fx: Effects, cb: Callback,
                         error: str) -> None:
    """The SP cannot hear the result it waits for: its delivery ends now instead of at the
    session timeout (the callback itself is still retried as scheduled)."""
    op = s.get(Operation, cb.operation_id)
    if op is None or op.session_id is None:
        return
    sess = s.get(DeliverySession, op.session_id, with_for_update=True)
    if sess is not None and sess.phase != DONE:
        fail_session(s, eng, fx, sess, 502, "The service provider's callback URL cannot be "
                     f"reached ({error.removeprefix(UNREACHABLE)}).")


async def send_due(eng: Engine) -> int:
    """Post every due callback once; returns how many were tried."""
    now = eng.clock()

    lease = now + eng.settings.callback_timeout + LEASE_MARGIN

    def _claim(s: Session) -> list[Callback]:
        # claimed by pushing the due time past this send: another worker skips the locked
        # rows now and finds them not due afterwards; a crash lets the lease run out
        rows = list(s.execute(select(Callback).where(
            Callback.delivered_at.is_(None), Callback.gave_up.is_(False),
            Callback.next_attempt_at <= now).order_by(Callback.next_attempt_at).limit(
            BATCH).with_for_update(skip_locked=True)).scalars().all())
        for cb in rows:
            cb.next_attempt_at = lease
        return rows

    due = await eng.db.write(_claim)
    if not due:
        return 0
    sem = asyncio.Semaphore(PARALLEL)

    async def one(cb: Callback) -> tuple[int, str | None]:
        async with sem:
            return cb.id, await _post(eng, cb)

    outcomes = await asyncio.gather(*(one(cb) for cb in due))

    fx = Effects()

    def _record(s: Session) -> None:
        for cb_id, error in outcomes:
            cb = s.get(Callback, cb_id)
            if cb is None or cb.delivered_at is not None:
                continue
            cb.attempts += 1
            if error is None:
                cb.delivered_at = eng.clock()
                cb.last_error = None
                continue
            cb.last_error = error
            if cb.attempts >= eng.settings.callback_max_attempts:
                cb.gave_up = True
                log.warning("callback for operation %s given up after %d tries: %s",
                            cb.operation_id, cb.attempts, error)
            else:
                cb.next_attempt_at = eng.clock() + backoff(eng, cb.attempts)
            if cb.gave_up or error.startswith(UNREACHABLE):
                _end_waiting_session(s, eng, fx, cb, error)
    await eng.db.write(_record)
    eng.apply(fx)
    return len(due)


async def _next_due(eng: Engine) -> float | None:
    def _tx(s: Session) -> Any:
        return (s.execute(select(func.min(Callback.next_attempt_at)).where(
            Callback.delivered_at.is_(None), Callback.gave_up.is_(False)))).scalar()
    return await eng.db.read(_tx)


async def run_sender(eng: Engine) -> None:
    """The background loop: send what is due, sleep until the next due time or a wake-up."""
    while True:
        eng.callback_wake.clear()
        try:
            await send_due(eng)
            nxt = await _next_due(eng)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("callback sender failed; retrying")
            nxt = eng.clock() + 1.0
        delay = 5.0 if nxt is None else max(0.0, min(nxt - eng.clock(), 5.0))
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(eng.callback_wake.wait(), delay)
