"""Run the backend (and optionally the demo SP) as real uvicorn servers in one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from backend_stub.config import Settings
from backend_stub.server import create_app

log = logging.getLogger("backend_stub.runner")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A listening socket that sibling processes bind too: the kernel spreads connections."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def _server(app: Any, host: str, port: int, log_level: str) -> uvicorn.Server:
    # Keep idle connections longer than clients do (httpx: 5 s), so a client never sends on a
    # connection the server is closing at that very moment (a ReadError on the client).
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, lifespan="on",
                            access_log=False, timeout_graceful_shutdown=2,
                            timeout_keep_alive=65,
                            log_config=None)  # into our handlers (backend_stub/logs.py)
    server = uvicorn.Server(config)
    # signals are the runner's business (see cli.py), not each server's
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
    return server


async def _wait_started(server: uvicorn.Server, task: asyncio.Task[Any]) -> None:
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("the server stopped while starting")
        await asyncio.sleep(0.02)


@dataclass
class Runner:
    """The backend server, plus the demo SP when `demo` is set."""

    settings: Settings
    host: str = "127.0.0.1"
    port: int = 8480
    demo: bool = False
    demo_port: int | None = None
    log_level: str = "warning"
    reuse_port: bool = False  # share the port with sibling workers (SO_REUSEPORT)
    lifetime: Any = None  # a backend_stub.lifetime.Lifetime: stop when idle or outdated
    demo_sp: Any = None
    _servers: list[uvicorn.Server] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _started: threading.Event = field(default_factory=threading.Event)
    _error: BaseException | None = None
    _stop: asyncio.Event | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def demo_url(self) -> str | None:
        if not self.demo or self.demo_port is None:
            return None
        return f"http://{self.host}:{self.demo_port}"

    async def run(self, on_started: Any = None) -> None:
        """Serve until stop() (or cancellation)."""
        self._stop = asyncio.Event()
        app = create_app(self.settings)
        if self.lifetime is not None:
            from backend_stub.lifetime import install

            install(app, self.lifetime)
        backend = _server(app, self.host, self.port, self.log_level)
        self._servers.append(backend)
        sockets = [reuse_port_socket(self.host, self.port)] if self.reuse_port else None
        tasks = [asyncio.create_task(backend.serve(sockets=sockets))]
        watch = None
        if self.lifetime is not None:
            watch = asyncio.create_task(self.lifetime.watch(self.request_stop))
        try:
            await _wait_started(backend, tasks[0])
            if self.demo:
                from backend_stub.demo_sp.register import register_demo
                from backend_stub.demo_sp.server import DemoSP

                if self.demo_port is None:
                    self.demo_port = free_port(self.host)
                demo_url = f"http://{self.host}:{self.demo_port}"
                self.demo_sp = DemoSP(backend_url=self.url, public_url=demo_url)
                demo = _server(self.demo_sp.app, self.host, self.demo_port, self.log_level)
                self._servers.append(demo)
                tasks.append(asyncio.create_task(demo.serve()))
                await _wait_started(demo, tasks[-1])
                creds = await register_demo(self.url, self.settings.admin_token, demo_url)
                self.demo_sp.set_credentials(creds)
            if on_started is not None:
                on_started(self)
            self._started.set()
            stop = asyncio.create_task(self._stop.wait())
            await asyncio.wait([*tasks, stop], return_when=asyncio.FIRST_COMPLETED)
            stop.cancel()
        finally:
            if watch is not None:
                watch.cancel()
            for server in self._servers:
                server.should_exit = True
            for task in tasks:
                with contextlib.suppress(Exception):
                    await task
            if self.demo_sp is not None:
                await self.demo_sp.close()

    def request_stop(self) -> None:
        """Ask a running `run()` to shut down (call from its own event loop)."""
        if self._stop is not None:
            self._stop.set()

    # --- running in a background thread (tests, the desktop app) ---
    def start_in_thread(self, timeout: float = 20.0) -> Runner:
        def main() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self.run())
            except BaseException as exc:
                self._error = exc
                self._started.set()
            finally:
                loop.close()

        self._thread = threading.Thread(target=main, name="touchpoint-backend", daemon=True)
        self._thread.start()
        if not self._started.wait(timeout):
            raise RuntimeError("the backend did not start in time")
        if self._error is not None:
            raise RuntimeError(f"the backend failed to start: {self._error!r}")
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self._loop is not None and self._stop is not None:
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout)
