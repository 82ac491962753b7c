"""The Reader protocol and the worker-thread machinery every backend shares.

Each reader has exactly one worker thread that owns its connection (PC/SC
handles and nfcpy frontends are not thread-safe); coroutines hand it work and
await the result through `asyncio.wrap_future`, so the asyncio loop (and the
Qt loop through qasync) never blocks on a card. A whole batch of APDUs runs in
one hand-off (`transmit_batch`: the worker carries every APDU, stops at the
first status word outside `expect` and hands back all answers), which keeps the
per-APDU overhead close to the card's own time. A reader that is not a
WorkerReader can build `transmit_batch` on `run_batch`, the same loop over its
own `transmit`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import enum
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, TypeVar, runtime_checkable

from app.apdu import expect_matcher, expect_pairs
from app.errors import ApduError, CardRemovedError, ReaderError
from app.loops import running_on
from app.readers.transport import (
    BULK_HANDOVER_S,
    Exchange,
    Observer,
    complete,
    exchange,
    prepare,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


class ReaderKind(enum.StrEnum):
    PCSC = "pcsc"
    NFC = "nfc"
    VIRTUAL = "virtual"


class EventType(enum.StrEnum):
    READER_ADDED = "reader-added"
    READER_REMOVED = "reader-removed"
    CARD_INSERTED = "card-inserted"
    CARD_REMOVED = "card-removed"


@dataclass(frozen=True)
class ReaderEvent:
    """Something happened to a reader or the card in it."""

    type: EventType
    reader: str


@dataclass(frozen=True)
class CardInfo:
    """What connect() learned about the card."""

    atr: bytes
    uid: bytes | None = None  # from the reader (NFC anticollision), when it gives one
    extended_length: bool = False
    contactless: bool = False
    protocol: str = ""


class BatchCommand(NamedTuple):
    """One command of a backend batch and the status words that let the batch go on.

    A named tuple rather than a frozen dataclass: the client makes one per command of
    every batch (135 for an install's LOAD batch) and a tuple is built in a third of
    the time; immutable, compared and hashed by value, `.apdu` and `.expect` as before.
    """

    apdu: bytes
    expect: tuple[str, ...] = ()


@dataclass
class BatchResult:
    """Answers of a batch; `stopped_sw` is set when a status word was outside `expect`."""

    responses: list[bytes] = field(default_factory=list)
    stopped_sw: int | None = None
    cancelled: bool = False


EventCallback = Callable[[ReaderEvent], None]


@runtime_checkable
class Reader(Protocol):
    """A place a card can be: a PC/SC slot, an NFC frontend, the embedded virtual card."""

    name: str
    kind: ReaderKind

    @property
    def card_present(self) -> bool: ...

    async def connect(self) -> CardInfo: ...

    async def transmit(self, apdu: bytes, *, observer: Observer | None = None) -> bytes: ...

    async def transmit_batch(
        self,
        commands: Sequence[BatchCommand],
        *,
        observer: Observer | None = None,
        cancel: threading.Event | None = None,
        on_apdu: Callable[[int], None] | None = None,
    ) -> BatchResult: ...

    async def disconnect(self) -> None: ...

    def subscribe(self, callback: EventCallback) -> Callable[[], None]: ...

    async def close(self) -> None: ...


async def transmit_batch(
    reader: Any,
    commands: Sequence[BatchCommand],
    *,
    observer: Observer | None = None,
    cancel: threading.Event | None = None,
    on_apdu: Callable[[int], None] | None = None,
) -> BatchResult:
    """`reader.transmit_batch(...)`, or `run_batch` over its `transmit` when it has none."""
    native = getattr(reader, "transmit_batch", None)
    if native is not None:
        result: BatchResult = await native(commands, observer=observer, cancel=cancel,
                                           on_apdu=on_apdu)
        return result
    return await run_batch(reader.transmit, commands, observer=observer, cancel=cancel,
                           on_apdu=on_apdu)


async def run_batch(
    transmit: Callable[..., Any],
    commands: Sequence[BatchCommand],
    *,
    observer: Observer | None = None,
    cancel: threading.Event | None = None,
    on_apdu: Callable[[int], None] | None = None,
) -> BatchResult:
    """The default batch for a reader that only has `transmit(apdu, observer=)`: one
    await per APDU, the same stop rules as `WorkerReader.transmit_batch` (first status
    word outside `expect`, cancel between APDUs)."""
    result = BatchResult()
    for i, cmd in enumerate(commands, 1):
        if cancel is not None and cancel.is_set():
            result.cancelled = True
            return result
        rsp = bytes(await transmit(cmd.apdu, observer=observer))
        if len(rsp) < 2:
            raise ApduError(f"the card answered {len(rsp)} bytes, no status word")
        if _stops(result, i, rsp, expect_matcher(cmd.expect), on_apdu):
            return result
    return result


def _stops(result: BatchResult, i: int, rsp: bytes, matches: Callable[[int], bool],
           on_apdu: Callable[[int], None] | None) -> bool:
    """Record the `i`-th answer; True when the batch stops at it (status word refused by
    `matches`, the command's `expect_matcher`). The stop rule of every batch loop, run
    once per APDU (`WorkerReader._do_batch` has it inline, on `expect_pairs`)."""
    result.responses.append(rsp)
    if on_apdu is not None:
        on_apdu(i)
    sw = (rsp[-2] << 8) | rsp[-1]
    if matches(sw):
        return False
    result.stopped_sw = sw
    return True


class _LoopReply:
    """The worker's answer to a coroutine, posted straight onto its loop's future.

    Duck-types the three methods of concurrent.futures.Future that `Worker._run`
    calls, so `Worker.call` skips `asyncio.wrap_future`'s chain of two futures (one
    hand-over to the loop either way, less work on both sides of it)."""

    __slots__ = ("_future", "_loop")

    def __init__(self, loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any]) -> None:
        self._loop = loop
        self._future = future

    def set_running_or_notify_cancel(self) -> bool:
        """False when the awaiting coroutine was cancelled before the work started."""
        return not self._future.cancelled()

    def set_result(self, value: Any) -> None:
        self._post(_settle, value)

    def set_exception(self, exc: BaseException) -> None:
        self._post(_fail, exc)

    def _post(self, how: Callable[[asyncio.Future[Any], Any], None], value: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody waits
            self._loop.call_soon_threadsafe(how, self._future, value)


def _settle(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


def _fail(future: asyncio.Future[Any], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


_Job = tuple["concurrent.futures.Future[Any] | _LoopReply", Callable[..., Any], tuple[Any, ...]]


class Worker:
    """One thread, one queue; `idle()` runs when there is nothing to do (polling hooks)."""

    def __init__(self, name: str, idle: Callable[[], None] | None = None,
                 idle_interval: float = 0.2) -> None:
        # SimpleQueue: put and get in C, no Condition round (the batch hand-off's latency)
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
        fut: concurrent.futures.Future[T] = concurrent.futures.Future()
        if self._stopped.is_set():
            fut.set_exception(ReaderError("the reader is closed"))
            return fut
        self._queue.put((fut, fn, args))
        return fut

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` on the worker thread, awaited on the running loop."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        if self._stopped.is_set():
            raise ReaderError("the reader is closed")
        self._queue.put((_LoopReply(future.get_loop(), future), fn, args))
        return await future

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
            fut, fn, args = item
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
        if loop is None:
            callback(event)
            return
        if loop.is_closed():
            return
        if running_on(loop):
            callback(event)
        else:
            with contextlib.suppress(RuntimeError):  # loop closed meanwhile
                loop.call_soon_threadsafe(callback, event)


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
    def _do_connect(self) -> CardInfo:
        if self._card is not None:
            return self._card
        info = self._connect_sync()
        self._card = info
        self._set_present(True)
        return info

    def _do_transmit(self, apdu: bytes, observer: Observer | None) -> bytes:
        info = self._card if self._card is not None else self._do_connect()
        try:
            return exchange(self._transmit_raw, apdu, extended_ok=info.extended_length,
                            observer=observer)
        except CardRemovedError:
            self._card = None
            self._set_present(False)
            raise

    def _do_batch(
        self,
        commands: Sequence[BatchCommand],
        observer: Observer | None,
        cancel: threading.Event | None,
        on_apdu: Callable[[int], None] | None,
    ) -> BatchResult:
        # The hot loop of an install (a LOAD every ~0.7 ms on a fast card), and the card
        # runs between two APDUs, so every object the loop touches is out of the CPU's
        # caches again: `exchange` and the stop rule of `_stops` are inlined for the
        # common case (the APDU goes as given, the answer is complete, the first expect
        # pattern matches), with locals only; the (mask, value) pairs are looked up again
        # only when the pattern tuple changes (a batch shares one); an observer that takes
        # exchanges in bulk (app.trace.Trace) gets them every BULK_HANDOVER_S and at the
        # end rather than one call each. 61xx/6Cxx answers and APDUs to re-encode take
        # the general path of `app.readers.transport`.
        result = BatchResult()
        if not commands:
            return result
        info = self._card if self._card is not None else self._do_connect()
        raw = self._transmit_raw
        extended_ok = info.extended_length
        stop_asked = cancel.is_set if cancel is not None else None
        now = time.time
        answers = result.responses
        expect: tuple[str, ...] | None = None
        pairs: tuple[tuple[int, int], ...] = ()
        mask = value = 0
        bulk: Callable[[list[Exchange]], None] | None = (
            getattr(observer, "record_many", None) if observer is not None else None)
        pending: list[Exchange] = []
        handed = now()
        try:
            for i, cmd in enumerate(commands, 1):
                if stop_asked is not None and stop_asked():
                    result.cancelled = True
                    return result
                wire = cmd.apdu
                if type(wire) is not bytes or (
                        not extended_ok and len(wire) > 5 and wire[4] == 0):
                    wire = prepare(wire, extended_ok)  # extended form on a short-only card
                t0 = now()
                try:
                    rsp = raw(wire)
                except BaseException:
                    if bulk is not None:
                        pending.append((wire, None, t0, now()))
                    elif observer is not None:
                        observer(wire, None, t0, now())
                    raise
                t1 = now()
                if bulk is not None:
                    pending.append((wire, rsp, t0, t1))
                    if t1 - handed >= BULK_HANDOVER_S:
                        bulk(pending)
                        pending = []
                        handed = t1
                elif observer is not None:
                    observer(wire, rsp, t0, t1)
                if len(rsp) < 2:
                    raise ApduError(f"the card answered {len(rsp)} bytes, no status word")
                sw1 = rsp[-2]
                if sw1 == 0x61 or sw1 == 0x6C:
                    if pending:  # in order: what came before goes first
                        assert bulk is not None
                        bulk(pending)
                        pending = []
                    rsp = complete(raw, wire, rsp, observer)
                if cmd.expect is not expect:
                    expect = cmd.expect
                    pairs = expect_pairs(expect)
                    mask, value = pairs[0]
                answers.append(rsp)
                if on_apdu is not None:
                    on_apdu(i)
                sw = (rsp[-2] << 8) | rsp[-1]
                if sw & mask != value and not any(sw & m == v for m, v in pairs):
                    result.stopped_sw = sw
                    return result
        except CardRemovedError:
            self._card = None
            self._set_present(False)
            raise
        finally:
            if pending:
                assert bulk is not None
                bulk(pending)  # the trace is complete when the batch ends, however it ends
        return result

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

    async def transmit_batch(
        self,
        commands: Sequence[BatchCommand],
        *,
        observer: Observer | None = None,
        cancel: threading.Event | None = None,
        on_apdu: Callable[[int], None] | None = None,
    ) -> BatchResult:
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
