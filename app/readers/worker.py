"""The worker thread every reader backend runs its card work on.

Each reader has exactly one worker thread that owns its connection (PC/SC
handles and nfcpy frontends are not thread-safe). Coroutines hand it work with
`Worker.call` and await the result through `asyncio.wrap_future`, so the
asyncio loop (and the Qt loop through qasync) never waits on a card. A whole
batch of APDUs is one hand-off: the worker carries every command
(`app.readers.transport.exchange_batch`) and hands back all answers.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from app.errors import CardRemovedError, ReaderError
from app.loops import call_soon, running_on
from app.readers.base import (
    BatchCommand,
    BatchResult,
    CardInfo,
    EventCallback,
    EventType,
    Observer,
    ReaderEvent,
    ReaderKind,
)
from app.readers.transport import exchange, exchange_batch

log = logging.getLogger(__name__)
T = TypeVar("T")
# the job's future, the work, and the asyncio future a coroutine awaits it through
_Job = tuple["concurrent.futures.Future[Any]", Callable[..., Any], tuple[Any, ...],
             "asyncio.Future[Any] | None"]


class Worker:
    """One thread, one queue; `idle()` runs when there is nothing to do (polling hooks)."""

    def __init__(self, name: str, idle: Callable[[], None] | None = None,
                 idle_interval: float = 0.2) -> None:
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._idle = idle
        self._idle_interval = idle_interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"reader-{name}", daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        """True when work is waiting (idle hooks use it to return early)."""
        return not self._queue.empty() or self._stopped.is_set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def on_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, fn: Callable[..., T], *args: Any) -> concurrent.futures.Future[T]:
        """`fn(*args)` on the worker thread; the future fails at once when it is stopped."""
        fut: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._put(fut, fn, args, None)
        return fut

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` on the worker thread, awaited on the running loop; a job whose
        coroutine was cancelled before the worker reached it is skipped."""
        fut: concurrent.futures.Future[T] = concurrent.futures.Future()
        waiter = asyncio.wrap_future(fut)
        self._put(fut, fn, args, waiter)
        return await waiter

    def _put(self, fut: concurrent.futures.Future[Any], fn: Callable[..., Any],
             args: tuple[Any, ...], waiter: asyncio.Future[Any] | None) -> None:
        if self._stopped.is_set():
            fut.set_exception(ReaderError("the reader is closed"))
        else:
            self._queue.put((fut, fn, args, waiter))

    def stop(self, timeout: float = 5.0) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._queue.put(None)
        if not self.on_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            try:
                item = self._queue.get(timeout=self._idle_interval if self._idle else None)
            except queue.Empty:
                if self._idle is not None and not self._stopped.is_set():
                    try:
                        self._idle()
                    except Exception:  # an idle poll must never kill the worker
                        log.exception("reader idle hook failed")
                continue
            if item is None:
                break
            fut, fn, args, waiter = item
            if waiter is not None and waiter.cancelled():
                # the coroutine gave up; wrap_future cancels `fut` only a loop pass later
                fut.cancel()
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn(*args))
            except BaseException as exc:
                fut.set_exception(exc)
        # fail whatever is left so no caller waits forever
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None and item[0].set_running_or_notify_cancel():
                item[0].set_exception(ReaderError("the reader is closed"))


class Subscribers:
    """Event fan-out that delivers on each subscriber's asyncio loop when it has one."""

    def __init__(self) -> None:
        self._subs: list[tuple[EventCallback, asyncio.AbstractEventLoop | None]] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._subs)

    def add(self, callback: EventCallback, replay: Sequence[ReaderEvent] = ()
            ) -> Callable[[], None]:
        """Subscribes; `replay` (the current state) goes to this subscriber first."""
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        entry = (callback, loop)
        with self._lock:
            self._subs.append(entry)
        for event in replay:
            self._deliver(entry, event)

        def remove() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._subs.remove(entry)

        return remove

    def emit(self, event: ReaderEvent) -> None:
        with self._lock:
            subs = list(self._subs)
        for entry in subs:
            self._deliver(entry, event)

    @staticmethod
    def _deliver(entry: tuple[EventCallback, asyncio.AbstractEventLoop | None],
                 event: ReaderEvent) -> None:
        callback, loop = entry
        if loop is None or running_on(loop):
            callback(event)
        else:
            call_soon(loop, callback, event)


class WorkerReader:
    """Base for the three backends: async API over `_connect_sync/_transmit_raw/_disconnect_sync`.

    Subclasses implement the blocking primitives; they run on the worker thread only.
    """

    kind: ReaderKind = ReaderKind.VIRTUAL
    idle_interval = 0.2

    def __init__(self, name: str) -> None:
        self.name = name
        self._subscribers = Subscribers()
        self._state_lock = threading.RLock()
        self._reader_up = True  # NFC: False until its frontend opened
        self._card: CardInfo | None = None
        self._present = False
        self._worker = Worker(name, self._idle if self._has_idle() else None, self.idle_interval)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    # -- hooks for subclasses (worker thread) ---------------------------------------------
    def _has_idle(self) -> bool:
        return False

    def _idle(self) -> None:
        """Called on the worker thread when no work is queued (polling readers)."""

    def _connect_sync(self) -> CardInfo:
        raise NotImplementedError

    def _transmit_raw(self, apdu: bytes) -> bytes:
        raise NotImplementedError

    def _disconnect_sync(self) -> None:
        raise NotImplementedError

    def _close_sync(self) -> None:
        """Release everything the worker thread owns."""

    # -- state ---------------------------------------------------------------------
    @property
    def card_present(self) -> bool:
        return self._present

    @property
    def connected(self) -> CardInfo | None:
        return self._card

    def _set_present(self, present: bool) -> None:
        with self._state_lock:
            if present == self._present:
                return
            self._present = present
            if not present:
                self._card = None
            self._subscribers.emit(ReaderEvent(
                EventType.CARD_INSERTED if present else EventType.CARD_REMOVED, self.name))

    def _set_reader_up(self, up: bool) -> None:
        with self._state_lock:
            if up == self._reader_up:
                return
            self._reader_up = up
            self._subscribers.emit(ReaderEvent(
                EventType.READER_ADDED if up else EventType.READER_REMOVED, self.name))

    def subscribe(self, callback: EventCallback) -> Callable[[], None]:
        """Events from now on, after the current state (reader added, card inserted)."""
        with self._state_lock:
            replay = []
            if self._reader_up:
                replay.append(ReaderEvent(EventType.READER_ADDED, self.name))
                if self._present:
                    replay.append(ReaderEvent(EventType.CARD_INSERTED, self.name))
            return self._subscribers.add(callback, replay)

    # -- sync bodies run on the worker --------------------------------------------------
    def _still_connected(self) -> bool:
        """Whether the open connection still reaches the same card (worker thread); a
        backend whose card can leave unseen (PC/SC) asks the reader."""
        return True

    def _do_connect(self) -> CardInfo:
        if self._card is not None:
            if self._still_connected():
                return self._card
            self._do_disconnect()  # the card left (and maybe came back) since: connect anew
        info = self._connect_sync()
        self._card = info
        self._set_present(True)
        return info

    def _with_card(self, work: Callable[[CardInfo], T]) -> T:
        """`work` on the connected card (connecting first); a removed card is reported."""
        info = self._card if self._card is not None else self._do_connect()
        try:
            return work(info)
        except CardRemovedError:
            self._card = None
            self._set_present(False)
            raise

    def _do_transmit(self, apdu: bytes, observer: Observer | None) -> bytes:
        return self._with_card(lambda info: exchange(
            self._transmit_raw, apdu, extended_ok=info.extended_length, observer=observer))

    def _do_batch(self, commands: Sequence[BatchCommand], observer: Observer | None,
                  cancel: threading.Event | None, on_apdu: Callable[[int], None] | None
                  ) -> BatchResult:
        if not commands:
            return BatchResult()
        return self._with_card(lambda info: exchange_batch(
            self._transmit_raw, commands, extended_ok=info.extended_length,
            observer=observer, cancel=cancel, on_apdu=on_apdu))

    def _do_disconnect(self) -> None:
        if self._card is None:
            return
        self._card = None
        self._disconnect_sync()

    # -- async API --------------------------------------------------------------------
    async def connect(self) -> CardInfo:
        return await self._worker.call(self._do_connect)

    async def transmit(self, apdu: bytes, *, observer: Observer | None = None) -> bytes:
        return await self._worker.call(self._do_transmit, bytes(apdu), observer)

    async def transmit_batch(self, commands: Sequence[BatchCommand], *,
                             observer: Observer | None = None,
                             cancel: threading.Event | None = None,
                             on_apdu: Callable[[int], None] | None = None) -> BatchResult:
        return await self._worker.call(self._do_batch, list(commands), observer, cancel, on_apdu)

    async def disconnect(self) -> None:
        await self._worker.call(self._do_disconnect)

    async def close(self) -> None:
        if self._worker.stopped:
            return
        with contextlib.suppress(Exception):
            await self._worker.call(self._close_all)
        self._worker.stop()

    def close_sync(self) -> None:
        """For atexit paths without a loop."""
        if self._worker.stopped:
            return
        with contextlib.suppress(Exception):
            self._worker.submit(self._close_all).result(timeout=5)
        self._worker.stop()

    def _close_all(self) -> None:
        with contextlib.suppress(Exception):
            self._do_disconnect()
        self._close_sync()
