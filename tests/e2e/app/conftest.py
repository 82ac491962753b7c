"""The touch point core against a real backend on 127.0.0.1 (uvicorn + SQLite + demo SP).

The backend runs in this process (in its own thread and event loop) so tests can
look at the demo SP's received callbacks; the touch point still reaches it over
HTTP only, exactly as it does a remote one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.client import BackendClient
from app.identity import CardIdentity, read_identity
from app.readers.virtual import VirtualReader
from backend_stub.config import make_settings
from backend_stub.runner import Runner, free_port
from cardsim.card import VirtualCard

DEVICE_TOKEN = "touchpoint-e2e-device-token"
ADMIN_TOKEN = "touchpoint-e2e-admin-token"
SECRET_APP = "73656372"
SSD_AID = bytes.fromhex("A0000006170173656372")
APP_PREFIX = bytes.fromhex("A00000061700") + bytes.fromhex(SECRET_APP)


@dataclass
class Backend:
    runner: Runner
    data_dir: Path

    @property
    def url(self) -> str:
        return self.runner.url

    @property
    def demo(self) -> Any:
        return self.runner.demo_sp

    def client(self, **kw: Any) -> BackendClient:
        return BackendClient(self.url, DEVICE_TOKEN, **kw)

    async def session(self, session_id: str) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=self.url) as c:
            rsp = await c.get(f"/admin/sessions/{session_id}",
                              headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
            rsp.raise_for_status()
            return rsp.json()  # type: ignore[no-any-return]

    async def wait_session_callbacks(self, session_id: str, timeout: float = 10.0
                                     ) -> dict[str, Any]:
        """The session once every operation's callback was delivered (or given up)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            sess = await self.session(session_id)
            cbs = [op.get("callback") for op in sess["operations"] if op.get("callback")]
            if sess["phase"] != "running" and all(c["delivered"] or c["gaveUp"] for c in cbs):
                return sess
            if loop.time() > end:
                return sess
            await asyncio.sleep(0.05)


def start_backend(tmp: Path, **overrides: Any) -> Backend:
    settings = make_settings(
        tmp, device_token=DEVICE_TOKEN, admin_token=ADMIN_TOKEN,
        **{"fetch_wait": 2.0, "touchpoint_timeout": 5.0, "watchdog_interval": 0.2,
           "callback_base_delay": 0.05, "callback_max_delay": 0.2, **overrides})
    runner = Runner(settings, port=free_port(), demo=True).start_in_thread()
    return Backend(runner, tmp)


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    b = start_backend(tmp_path_factory.mktemp("tp-backend"))
    yield b
    b.runner.stop()


@pytest.fixture
async def client(backend: Backend) -> AsyncIterator[BackendClient]:
    async with backend.client() as c:
        yield c


@pytest.fixture
async def virtual() -> AsyncIterator[VirtualReader]:
    reader = VirtualReader(VirtualCard.create(None))
    yield reader
    await reader.close()


async def identify(reader: Any) -> CardIdentity:
    info = await reader.connect()
    return await read_identity(reader.transmit, uid=info.uid, atr=info.atr)


def app_elements(card: VirtualCard) -> list[str]:
    """AIDs on the card that belong to the Secret Application (SSD, package, instances)."""
    reg = card.state.registry
    aids = [a.aid for a in reg.apps] + [e.aid for e in reg.elfs]
    return [a.hex().upper() for a in aids if a.startswith(APP_PREFIX) or a == SSD_AID]
