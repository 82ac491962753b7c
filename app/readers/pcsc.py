"""PC/SC readers over pyscard's `smartcard.scard` layer.

- One worker thread per reader owns its own SCARDCONTEXT and card handle
  (pcsc-lite contexts are not shared across threads).
- Connect exclusive first (nobody else may interleave APDUs inside our secure
  channel), fall back to shared when another program holds the card.
- 61xx/6Cxx and short/extended handling are in `transport.exchange`.
- Errors are classified by hresult: card removed/reset/unresponsive ->
  CardRemovedError, reader or service gone -> ReaderUnavailableError.
- `PcscMonitor` watches readers and cards with SCardGetStatusChange in its
  own thread and is its own watchdog: when pcscd restarts (SCARD_E_NO_SERVICE,
  invalid context) it reports every reader removed, re-establishes a context
  with backoff and reports what is there again. pyscard's CardMonitor stops
  silently in that case.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from app.atr import parse_atr
from app.errors import CardRemovedError, NoCardError, ReaderError, ReaderUnavailableError
from app.readers.base import CardInfo, EventCallback, EventType, ReaderEvent, ReaderKind
from app.readers.worker import Subscribers, WorkerReader

log = logging.getLogger(__name__)

PNP_READER = "\\\\?PnP?\\Notification"


def _scard() -> Any:
    try:
        from smartcard import scard
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise ReaderUnavailableError(f"pyscard is not available: {exc}") from exc
    return scard


def _u32(code: int) -> int:
    return code & 0xFFFFFFFF


def _codes(api: Any, *names: str) -> frozenset[int]:
    return frozenset(_u32(getattr(api, n)) for n in names if hasattr(api, n))


def _removed_codes(api: Any) -> frozenset[int]:
    return _codes(api, "SCARD_W_REMOVED_CARD", "SCARD_E_NO_SMARTCARD", "SCARD_W_RESET_CARD",
                  "SCARD_W_UNPOWERED_CARD", "SCARD_W_UNRESPONSIVE_CARD",
                  "SCARD_E_NOT_TRANSACTED", "SCARD_F_COMM_ERROR")


def _service_codes(api: Any) -> frozenset[int]:
    return _codes(api, "SCARD_E_NO_SERVICE", "SCARD_E_SERVICE_STOPPED", "SCARD_E_INVALID_HANDLE",
                  "SCARD_E_NO_READERS_AVAILABLE", "SCARD_E_READER_UNAVAILABLE",
                  "SCARD_E_UNKNOWN_READER", "SCARD_E_INVALID_VALUE")


def _message(api: Any, hr: int) -> str:
    try:
        return f"{api.SCardGetErrorMessage(hr)} (0x{_u32(hr):08X})"
    except Exception:
        return f"0x{_u32(hr):08X}"


def _release_context(api: Any, ctx: Any) -> None:
    """SCardReleaseContext, when there is a context; a failure (pcscd gone) is ignored."""
    if ctx is not None:
        with contextlib.suppress(Exception):
            api.SCardReleaseContext(ctx)


def list_readers(api: Any | None = None) -> list[str]:
    """Names of the PC/SC readers; [] when pcscd is not running or pyscard is missing."""
    try:
        api = api or _scard()
    except ReaderUnavailableError:
        return []
    hr, ctx = api.SCardEstablishContext(api.SCARD_SCOPE_USER)
    if hr != api.SCARD_S_SUCCESS:
        return []
    try:
        hr, names = api.SCardListReaders(ctx, [])
        return list(names) if hr == api.SCARD_S_SUCCESS else []
    finally:
        api.SCardReleaseContext(ctx)


def card_present_now(name: str, api: Any | None = None) -> bool:
    """One-shot presence query with a short-lived context."""
    try:
        api = api or _scard()
    except ReaderUnavailableError:
        return False
    hr, ctx = api.SCardEstablishContext(api.SCARD_SCOPE_USER)
    if hr != api.SCARD_S_SUCCESS:
        return False
    try:
        hr, states = api.SCardGetStatusChange(ctx, 0, [(name, api.SCARD_STATE_UNAWARE)])
        return hr == api.SCARD_S_SUCCESS and bool(states[0][1] & api.SCARD_STATE_PRESENT)
    finally:
        api.SCardReleaseContext(ctx)


class PcscReader(WorkerReader):
    """One PC/SC reader slot."""

    kind = ReaderKind.PCSC

    def __init__(self, name: str, *, monitor: PcscMonitor | None = None,
                 exclusive: bool = True, api: Any | None = None) -> None:
        self._api = api or _scard()
        self._ctx: Any = None
        self._hcard: Any = None
        self._pci: Any = None
        self._exclusive = exclusive
        self.shared = False  # True when exclusive access was refused and we fell back
        self._monitor = monitor
        self._unsub_monitor: Callable[[], None] | None = None
        super().__init__(name)

    # -- presence and events -----------------------------------------------------------
    @property
    def card_present(self) -> bool:
        if self._monitor is not None and self._monitor.running:
            return self._monitor.present(self.name)
        if self._card is not None:
            return True
        return card_present_now(self.name, self._api)

    def subscribe(self, callback: EventCallback) -> Callable[[], None]:
        """Events for this reader only, from the shared monitor (started on demand)."""
        if self._monitor is None:
            self._monitor = shared_monitor()

        def filtered(event: ReaderEvent) -> None:
            if event.reader == self.name:
                callback(event)

        return self._monitor.subscribe(filtered)

    # -- worker primitives ---------------------------------------------------------------
    def _context(self) -> Any:
        api = self._api
        if self._ctx is None:
            hr, ctx = api.SCardEstablishContext(api.SCARD_SCOPE_USER)
            if hr != api.SCARD_S_SUCCESS:
                raise ReaderUnavailableError(f"PC/SC is not available: {_message(api, hr)}")
            self._ctx = ctx
        return self._ctx

    def _drop_context(self) -> None:
        _release_context(self._api, self._ctx)
        self._ctx = None

    def _connect_sync(self) -> CardInfo:
        api = self._api
        protocols = api.SCARD_PROTOCOL_T0 | api.SCARD_PROTOCOL_T1
        for attempt in range(2):
            ctx = self._context()
            modes = [api.SCARD_SHARE_EXCLUSIVE, api.SCARD_SHARE_SHARED] if self._exclusive \
                else [api.SCARD_SHARE_SHARED]
            hr = api.SCARD_S_SUCCESS
            for mode in modes:
                hr, hcard, proto = api.SCardConnect(ctx, self.name, mode, protocols)
                if _u32(hr) != _u32(api.SCARD_E_SHARING_VIOLATION):
                    break
                log.info("%s: exclusive access refused, connecting shared", self.name)
            if hr == api.SCARD_S_SUCCESS:
                break
            if _u32(hr) in _codes(api, "SCARD_E_NO_SERVICE", "SCARD_E_INVALID_HANDLE",
                                  "SCARD_E_SERVICE_STOPPED") and attempt == 0:
                self._drop_context()  # pcscd restarted since: a fresh context may work
                continue
            if _u32(hr) in _codes(api, "SCARD_E_NO_SMARTCARD", "SCARD_W_REMOVED_CARD"):
                raise NoCardError(f"no card in {self.name}")
            if _u32(hr) in _service_codes(api):
                raise ReaderUnavailableError(f"{self.name}: {_message(api, hr)}")
            raise ReaderError(f"cannot connect to the card in {self.name}: {_message(api, hr)}")
        self.shared = mode == api.SCARD_SHARE_SHARED
        self._hcard = hcard
        self._pci = api.SCARD_PCI_T1 if proto == api.SCARD_PROTOCOL_T1 else api.SCARD_PCI_T0
        hr, _reader, _state, _proto, atr = api.SCardStatus(hcard)
        atr_bytes = bytes(atr) if hr == api.SCARD_S_SUCCESS else b""
        info = parse_atr(atr_bytes)
        # Extended lengths need T=1 and a card that says so; the reader is probed on failure.
        extended = info.extended_length and proto == api.SCARD_PROTOCOL_T1
        return CardInfo(atr=atr_bytes, uid=None, extended_length=extended,
                        contactless=info.contactless,
                        protocol="T=1" if proto == api.SCARD_PROTOCOL_T1 else "T=0")

    def _still_connected(self) -> bool:
        """False when the card of our handle left or was reset since we connected: the
        handle is stale (SCardStatus answers "removed" / "reset"), even when a card is back."""
        if self._hcard is None:
            return False
        hr = self._api.SCardStatus(self._hcard)[0]
        return bool(hr == self._api.SCARD_S_SUCCESS)

    def _transmit_raw(self, apdu: bytes) -> bytes:
        api = self._api
        if self._hcard is None:
            raise CardRemovedError(f"the card in {self.name} is not connected")
        hr, response = api.SCardTransmit(self._hcard, self._pci, list(apdu))
        if hr == api.SCARD_S_SUCCESS and len(response) >= 2:
            return bytes(response)
        if hr == api.SCARD_S_SUCCESS:
            # no status word: the card lost power mid-command (vpcd reports a torn card so)
            hr = api.SCARD_W_UNRESPONSIVE_CARD
        code = _u32(hr)
        with contextlib.suppress(Exception):
            api.SCardDisconnect(self._hcard, api.SCARD_LEAVE_CARD)
        self._hcard = None
        if code in _removed_codes(api):
            raise CardRemovedError(
                f"the card was removed from {self.name} during "
                f"{apdu[:4].hex().upper()}: {_message(api, hr)}")
        if code in _service_codes(api):
            self._drop_context()
            raise ReaderUnavailableError(f"{self.name} went away: {_message(api, hr)}")
        raise ReaderError(f"transmit failed on {self.name}: {_message(api, hr)}")

    def _disconnect_sync(self) -> None:
        if self._hcard is not None:
            with contextlib.suppress(Exception):
                self._api.SCardDisconnect(self._hcard, self._api.SCARD_UNPOWER_CARD)
            self._hcard = None

    def _close_sync(self) -> None:
        self._drop_context()


class PcscMonitor:
    """Reader and card events for every PC/SC reader, from one thread, with a watchdog."""

    def __init__(self, api: Any | None = None, *, poll_ms: int = 500,
                 retry_s: float = 1.0) -> None:
        self._api: Any = api
        self._poll_ms = poll_ms
        self._retry_s = retry_s
        self._subs = Subscribers()
        self._state: dict[str, int] = {}  # reader -> last event state
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ctx: Any = None
        self.restarts = 0  # how often the watchdog re-established the context
        self.ready = threading.Event()  # set after the first full scan

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def readers(self) -> dict[str, bool]:
        """Reader name -> card present, as last seen."""
        api = self._api
        with self._lock:
            return {r: bool(s & api.SCARD_STATE_PRESENT) for r, s in self._state.items()}

    def present(self, name: str) -> bool:
        return self.readers().get(name, False)

    def subscribe(self, callback: EventCallback) -> Callable[[], None]:
        """Events from now on, after the readers and cards already seen."""
        replay: list[ReaderEvent] = []
        if self._api is not None:
            for reader, present in self.readers().items():
                replay.append(ReaderEvent(EventType.READER_ADDED, reader))
                if present:
                    replay.append(ReaderEvent(EventType.CARD_INSERTED, reader))
        unsub = self._subs.add(callback, replay)
        self.start()
        return unsub

    def start(self) -> PcscMonitor:
        if self.running:
            return self
        if self._api is None:
            self._api = _scard()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pcsc-monitor", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        ctx = self._ctx
        if ctx is not None and self._api is not None:
            with contextlib.suppress(Exception):
                self._api.SCardCancel(ctx)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    # -- the loop ----------------------------------------------------------------------
    def _emit(self, etype: EventType, reader: str) -> None:
        self._subs.emit(ReaderEvent(etype, reader))

    def _lose_everything(self) -> None:
        api = self._api
        with self._lock:
            gone, self._state = self._state, {}
        for reader, state in gone.items():
            if state & api.SCARD_STATE_PRESENT:
                self._emit(EventType.CARD_REMOVED, reader)
            self._emit(EventType.READER_REMOVED, reader)

    def _release(self) -> None:
        _release_context(self._api, self._ctx)
        self._ctx = None

    def _run(self) -> None:
        api = self._api
        pnp_state = api.SCARD_STATE_UNAWARE
        had_context = False
        while not self._stop.is_set():
            if self._ctx is None:
                hr, ctx = api.SCardEstablishContext(api.SCARD_SCOPE_USER)
                if hr != api.SCARD_S_SUCCESS:
                    self._lose_everything()
                    self.ready.set()
                    self._stop.wait(self._retry_s)
                    continue
                self._ctx = ctx
                if had_context:
                    self.restarts += 1
                    log.info("PC/SC monitor: context re-established (pcscd restarted?)")
                had_context = True
                pnp_state = api.SCARD_STATE_UNAWARE
            hr, names = api.SCardListReaders(self._ctx, [])
            if hr != api.SCARD_S_SUCCESS:
                names = []
                if _u32(hr) in _codes(api, "SCARD_E_NO_SERVICE", "SCARD_E_SERVICE_STOPPED",
                                      "SCARD_E_INVALID_HANDLE"):
                    self._watchdog_reset()
                    continue
            self._sync_readers(list(names))
            self.ready.set()
            with self._lock:
                states = [(r, s & ~api.SCARD_STATE_CHANGED) for r, s in self._state.items()]
            states.append((PNP_READER, pnp_state))
            hr, new_states = api.SCardGetStatusChange(self._ctx, self._poll_ms, states)
            code = _u32(hr)
            if hr == api.SCARD_S_SUCCESS:
                for reader, event_state, _atr in new_states:
                    if reader == PNP_READER:
                        pnp_state = event_state & ~api.SCARD_STATE_CHANGED
                        continue
                    self._update(reader, event_state)
            elif code in _codes(api, "SCARD_E_TIMEOUT", "SCARD_E_UNKNOWN_READER",
                                "SCARD_E_CANCELLED"):
                continue
            else:
                log.info("PC/SC monitor: %s", _message(api, hr))
                self._watchdog_reset()
        self._release()

    def _watchdog_reset(self) -> None:
        self._release()
        self._lose_everything()
        self._stop.wait(self._retry_s)

    def _sync_readers(self, names: list[str]) -> None:
        api = self._api
        with self._lock:
            known = set(self._state)
        for reader in names:
            if reader not in known:
                hr, states = api.SCardGetStatusChange(self._ctx, 0,
                                                      [(reader, api.SCARD_STATE_UNAWARE)])
                state = states[0][1] if hr == api.SCARD_S_SUCCESS else api.SCARD_STATE_EMPTY
                with self._lock:
                    self._state[reader] = state & ~api.SCARD_STATE_CHANGED
                self._emit(EventType.READER_ADDED, reader)
                if state & api.SCARD_STATE_PRESENT:
                    self._emit(EventType.CARD_INSERTED, reader)
        for reader in known - set(names):
            with self._lock:
                state = self._state.pop(reader, 0)
            if state & api.SCARD_STATE_PRESENT:
                self._emit(EventType.CARD_REMOVED, reader)
            self._emit(EventType.READER_REMOVED, reader)

    def _update(self, reader: str, event_state: int) -> None:
        api = self._api
        with self._lock:
            if reader not in self._state:
                return
            old = self._state[reader]
            self._state[reader] = event_state & ~api.SCARD_STATE_CHANGED
        was, now = bool(old & api.SCARD_STATE_PRESENT), bool(event_state & api.SCARD_STATE_PRESENT)
        if was and not now:
            self._emit(EventType.CARD_REMOVED, reader)
        elif now and not was:
            self._emit(EventType.CARD_INSERTED, reader)
        elif now and (event_state >> 16) != (old >> 16):
            # the event counter moved while present: removed and reinserted between polls
            self._emit(EventType.CARD_REMOVED, reader)
            self._emit(EventType.CARD_INSERTED, reader)


_shared: PcscMonitor | None = None
_shared_lock = threading.Lock()


def shared_monitor() -> PcscMonitor:
    """The process-wide monitor PC/SC readers subscribe through (started on first subscribe)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = PcscMonitor()
        return _shared
