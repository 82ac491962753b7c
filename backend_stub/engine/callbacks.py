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

from backend_stub.engine.context import Engine, Tx
from backend_stub.engine.flow import end_session, ml
from backend_stub.engine.states import SessionPhase
from backend_stub.store.models import Callback, DeliverySession, Operation

log = logging.getLogger("backend_stub.callbacks")
BATCH = 200
PARALLEL = 32
LEASE_MARGIN = 5.0  # seconds a claimed row stays invisible beyond the POST timeout


def backoff(engine: Engine, attempts: int) -> float:
    """Delay before try number `attempts + 1`."""
    base = engine.settings.callback_base_delay * (2 ** max(attempts - 1, 0))
    return min(base, engine.settings.callback_max_delay) * (1 + 0.1 * random.random())


UNREACHABLE = "unreachable: "  # a connection that could not even be opened


async def _post(engine: Engine, cb: Callback) -> str | None:
    try:
        resp = await engine.http.post(cb.url, json=cb.body,
                                      timeout=engine.settings.callback_timeout)
    except (httpx.ConnectError, httpx.UnsupportedProtocol) as exc:
        return f"{UNREACHABLE}{type(exc).__name__}"
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}"
    if 200 <= resp.status_code < 300:
        return None
    return f"HTTP {resp.status_code}"


def _end_waiting_session(tx: Tx, cb: Callback, error: str) -> None:
    """The SP cannot hear the result it waits for: its delivery ends now instead of at the
    session timeout (the callback itself is still retried as scheduled)."""
    op = tx.db.get(Operation, cb.operation_id)
    if op is None or op.session_id is None:
        return
    session = tx.db.get(DeliverySession, op.session_id, with_for_update=True)
    if session is not None and session.phase != SessionPhase.DONE:
        text = ("The service provider's callback URL cannot be reached "
                f"({error.removeprefix(UNREACHABLE)}).")
        end_session(tx, session, False, ml(text), status_code=502, reason=text)


async def send_due(engine: Engine) -> int:
    """Post every due callback once; returns how many were tried."""
    now = engine.clock()

    lease = now + engine.settings.callback_timeout + LEASE_MARGIN

    def _claim(db: Session) -> list[Callback]:
        # claimed by pushing the due time past this send: another worker skips the locked
        # rows now and finds them not due afterwards; a crash lets the lease run out
        rows = list(db.execute(select(Callback).where(
            Callback.delivered_at.is_(None), Callback.gave_up.is_(False),
            Callback.next_attempt_at <= now).order_by(Callback.next_attempt_at).limit(
            BATCH).with_for_update(skip_locked=True)).scalars().all())
        for cb in rows:
            cb.next_attempt_at = lease
        return rows

    due = await engine.db.write(_claim)
    if not due:
        return 0
    sem = asyncio.Semaphore(PARALLEL)

    async def one(cb: Callback) -> tuple[int, str | None]:
        async with sem:
            return cb.id, await _post(engine, cb)

    outcomes = await asyncio.gather(*(one(cb) for cb in due))


    def _record(tx: Tx) -> None:
        for cb_id, error in outcomes:
            cb = tx.db.get(Callback, cb_id)
            if cb is None or cb.delivered_at is not None:
                continue
            cb.attempts += 1
            if error is None:
                cb.delivered_at = engine.clock()
                cb.last_error = None
                continue
            cb.last_error = error
            if cb.attempts >= engine.settings.callback_max_attempts:
                cb.gave_up = True
                log.warning("callback for operation %s given up after %d tries: %s",
                            cb.operation_id, cb.attempts, error)
            else:
                cb.next_attempt_at = engine.clock() + backoff(engine, cb.attempts)
            if cb.gave_up or error.startswith(UNREACHABLE):
                _end_waiting_session(tx, cb, error)
    await engine.write(_record)
    return len(due)


async def _next_due(engine: Engine) -> float | None:
    def _earliest(db: Session) -> Any:
        return (db.execute(select(func.min(Callback.next_attempt_at)).where(
            Callback.delivered_at.is_(None), Callback.gave_up.is_(False)))).scalar()
    return await engine.db.read(_earliest)


async def run_sender(engine: Engine) -> None:
    """The background loop: send what is due, sleep until the next due time or a wake-up."""
    while True:
        engine.callback_wake.clear()
        try:
            await send_due(engine)
            nxt = await _next_due(engine)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("callback sender failed; retrying")
            nxt = engine.clock() + 1.0
        delay = 5.0 if nxt is None else max(0.0, min(nxt - engine.clock(), 5.0))
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(engine.callback_wake.wait(), delay)
