"""What every screen shares: settings, language, readers, images, the staff PIN, the backend.

The backend client is created once the backend is known to answer: the
bundled one (the kiosk's own, or the user's shared one on the desktop) is
started in the background (about two seconds), so the attract
screen is up at once and a card tapped meanwhile simply waits for `client()`.

A context can be made before the asyncio loop runs (the kiosk draws its first
frame first): the reader hub, the PIN store and asyncio itself are then made
or imported on first use, from inside the loop.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.errors import AuthError, BackendError, BackendUnavailableError, TouchpointError
from ui.access import Access
from ui.i18n import Language

if TYPE_CHECKING:  # imported on first use: asyncio, app.readers and httpx are slow to load
    import asyncio

    import httpx

    from app.backend import BundledBackend
    from app.backendrecord import Record
    from app.client import BackendClient
    from app.pinstore import PinStore
    from ui.httplog import HttpLog
    from ui.images import ImageCache
    from ui.readers import ReaderHub

log = logging.getLogger(__name__)


@dataclass
class Settings:
    kiosk: bool = False
    backend_url: str | None = None  # None: start the bundled backend
    token: str | None = None
    db: str | None = None
    language: str = "en"
    idle_s: float = 90.0  # inactivity before the kiosk resets
    warn_s: float = 20.0  # "Still there?" shown this long before the reset
    slow_s: float = 5.0  # no news of a delivery this long: "taking longer than usual"
    wait_limit_s: float = 60.0  # no news this long: the delivery ends, "it took too long"
    staff_idle_s: float = 120.0  # staff and tester modes lock after this long without input
    card_grace_s: float = 20.0  # "Place your card again" lasts this long (0: no wait)
    pcsc: bool = True
    virtual_card: str | None = None  # state file of the virtual card (None: in memory)
    virtual_present: bool = True  # the virtual card starts on its reader
    data_dir: Path | None = None
    trace_api: bool = False  # --trace-api: every HTTP exchange in the log (app/apitrace.py)
    large_text: bool = False  # ui/access.py: the session's display settings
    high_contrast: bool = False


class UiContext(QObject):
    backend_ready = Signal(str)  # base URL
    backend_failed = Signal(str)  # one sentence and the next step (ui/usertext.py)

    def __init__(self, settings: Settings, language: Language,
                 hub: ReaderHub | Callable[[], ReaderHub],
                 images: ImageCache | None = None, pins: PinStore | None = None,
                 parent: QObject | None = None) -> None:
        """`hub`: the readers, or a function making them on first use of `hub` (reader
        events are delivered to the asyncio loop running when the hub is made)."""
        super().__init__(parent)
        self.settings = settings
        self.language = language
        self.access = Access(settings, self)
        self._hub: ReaderHub | None = None
        self._make_hub: Callable[[], ReaderHub] | None = None
        if isinstance(hub, QObject):
            self._hub = hub
        else:
            self._make_hub = hub
        self._images = images
        self._pins = pins
        self._http: HttpLog | None = None
        self.bundled: BundledBackend | None = None  # the kiosk's own backend
        self.bundled_url: str | None = None  # the bundled backend in use (own or shared)
        self._alive_task: asyncio.Task[None] | None = None
        self._client: BackendClient | None = None
        self._ready_event: asyncio.Event | None = None
        self.error: str | None = None  # the technical text, for the log and the tester
        self.failure: TouchpointError | None = None  # what ended the last try, if it failed
        self._closers: list[Callable[[], Awaitable[None]]] = []

    @property
    def hub(self) -> ReaderHub:
        if self._hub is None:
            assert self._make_hub is not None
            self._hub = self._make_hub()
        return self._hub

    @property
    def pins(self) -> PinStore:
        """The staff PIN store (by default in the data directory)."""
        if self._pins is None:
            from app.pinstore import PinStore

            self._pins = PinStore(self.settings.data_dir)
        return self._pins

    @property
    def _ready(self) -> asyncio.Event:
        if self._ready_event is None:
            import asyncio

            self._ready_event = asyncio.Event()
        return self._ready_event

    def on_close(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Runs `closer` first in close(): screens stop their tasks before the client goes."""
        self._closers.append(closer)

    @property
    def images(self) -> ImageCache:
        """Logos and graphics (made on first use: the attract screen has none)."""
        if self._images is None:
            from ui.images import ImageCache

            self._images = ImageCache(self)
        return self._images

    @property
    def http(self) -> HttpLog:
        """Every HTTP exchange with the backend (the tester shows them)."""
        if self._http is None:
            from ui.httplog import HttpLog

            self._http = HttpLog()
        return self._http

    @property
    def lang(self) -> str:
        return self.language.code

    @property
    def backend_url(self) -> str | None:
        return self._client.base_url if self._client is not None else None

    async def client(self) -> BackendClient:
        """The backend client, once the backend answers; raises TouchpointError if it cannot."""
        await self._ready.wait()
        if self._client is None:
            raise self.failure or TouchpointError(self.error or "no backend")
        return self._client

    def client_now(self) -> BackendClient | None:
        return self._client

    async def start(self) -> None:
        """Connects to the configured backend, starting the bundled one if none is given."""
        s = self.settings
        try:
            if s.backend_url:
                await self.connect_backend(s.backend_url, s.token)
                return
            await self.use_bundled()
        except TouchpointError as exc:
            log.error("backend not available: %s", exc)
            self._failed(exc)

    def _failed(self, exc: TouchpointError) -> None:
        """No backend: kept for `client()`, said in a sentence (the detail is in the log)."""
        from ui.usertext import error_sentence

        self.error, self.failure = str(exc), exc
        self._ready.set()
        self.backend_failed.emit(error_sentence(exc))

    async def connect_backend(self, url: str, token: str | None) -> BackendClient:
        """Switches to another backend (the tester's choice); the old client is closed."""
        from app.client import BackendClient
        from app.loopback import LoopbackTransport, is_loopback_url
        from ui.httplog import RecordingTransport

        # the bundled backend is on this machine: its lean transport under the recorder
        inner: httpx.AsyncBaseTransport | None = (LoopbackTransport() if is_loopback_url(url)
                                                  else None)
        if self.settings.trace_api:
            from app.apitrace import ApiTraceTransport

            inner = ApiTraceTransport(inner)
        client = BackendClient(url, token, language=self.lang,
                               transport=RecordingTransport(self.http, inner))
        try:
            if not await client.health():
                raise BackendUnavailableError(f"no backend answers at {url}")
        except (AuthError, BackendUnavailableError):  # a wrong token; nothing listening
            await client.aclose()
            raise
        except BackendError as exc:  # something answers, but not as a backend does
            await client.aclose()
            raise BackendUnavailableError(f"no backend answers at {url}: {exc}") from exc
        old, self._client = self._client, client
        if url != self.bundled_url:
            self.bundled_url = None  # another backend: the bundled one is no longer in use
        self.error, self.failure = None, None
        self._ready.set()
        if old is not None:
            await old.aclose()
        self.backend_ready.emit(url)
        return client

    async def use_bundled(self) -> BackendClient:
        """Back to the bundled backend (started now if it is not running).

        The kiosk runs all day and keeps a backend of its own, stopped with it; the
        desktop window shares the user's backend with the `touchpoint` commands
        (app/sharedbackend.py), which ends by itself when idle."""
        if not self.settings.kiosk:
            from app.sharedbackend import obtain

            shared = await obtain(self.settings.db)
            self.bundled_url = shared.url
            client = await self.connect_backend(shared.url, shared.token)
            self._keep_alive(shared.record)
            return client
        if self.bundled is None or not self.bundled.running:
            from app.backend import BundledBackend

            self.bundled = BundledBackend(db=self.settings.db)
            await self.bundled.start()
        self.bundled_url = self.bundled.url
        return await self.connect_backend(self.bundled.url, self.bundled.token)

    def _keep_alive(self, record: Record) -> None:
        """While the window is open the shared backend must not end for idleness: ask it
        who it is now and then (not through the HTTP log), and start a new one when it
        has gone (killed, or ended because its database or version changed)."""
        import asyncio

        if self._alive_task is not None and self._alive_task is not asyncio.current_task():
            self._alive_task.cancel()
        interval = max(1.0, (record.idle_exit_s or 600.0) / 3)

        async def beat() -> None:
            from app.backendrecord import query_instance

            while True:
                await asyncio.sleep(interval)
                if self.bundled_url != record.url:
                    return  # the tester switched to another backend: it may end when idle
                if await asyncio.to_thread(query_instance, record) is None:
                    log.warning("the shared backend at %s is gone; starting another",
                                record.url)
                    try:
                        await self.use_bundled()
                    except TouchpointError as exc:
                        log.error("no backend after the shared one ended: %s", exc)
                        self._failed(exc)
                    return  # use_bundled() started the next beat

        self._alive_task = asyncio.get_running_loop().create_task(beat())

    async def close(self) -> None:
        self.access.reset()  # the look is the process's: the next context starts as set
        if self._alive_task is not None:
            self._alive_task.cancel()
            self._alive_task = None
        for closer in reversed(self._closers):
            try:
                await closer()
            except Exception:  # one screen failing to stop must not keep the rest running
                log.exception("closing a screen failed")
        self._closers.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._hub is not None:
            await self._hub.close()
        if self.bundled is not None:
            import asyncio

            await asyncio.get_running_loop().run_in_executor(None, self.bundled.stop)
            self.bundled = None
