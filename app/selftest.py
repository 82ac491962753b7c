"""`touchpoint --self-test`: proves an installed or frozen build works, with no display or card.

It runs what a user's first minute runs, on throw-away state: the Qt window up
to its first frame (offscreen, in a child process, because `app/` never
imports `ui/`), the bundled backend started as its own process, and the demo
application installed and uninstalled on a fresh virtual card, with the state
the backend reports checked after each step. Everything lives in a temporary
folder (`TOUCHPOINT_HOME`, the backend database, the virtual card, a null
keyring), so running it on a kiosk touches none of the kiosk's own data or
secrets. Exit status 0 when every step passed, 1 otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from app import paths
from app.backend import BundledBackend, backend_command
from app.client import BackendClient
from app.delivery import DeliveryRunner
from app.description import Field, inputs
from app.errors import TouchpointError
from app.identity import CardIdentity, read_identity
from app.paths import bundle_root, demo_dir, frozen, qm_dir
from app.readers.base import Reader
from app.readers.registry import open_reader

DEMO_APP = "73656372"
DEMO_FIELDS = {"nickname": "self-test"}
GUI_MARKER = "first-frame"
NULL_KEYRING = "keyring.backends.null.Keyring"


class SelfTestError(TouchpointError):
    """One self-test step failed; the message says what was expected and what came."""


@dataclass
class StepResult:
    name: str
    ok: bool
    detail: str
    seconds: float

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        return f"{mark}  {self.name:<10} {self.detail} ({self.seconds:.1f} s)"


@dataclass
class SelfTestReport:
    steps: list[StepResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)


def self_command() -> list[str]:
    """How to start this same program again: the frozen executable, or this interpreter."""
    if frozen():
        return [sys.executable]
    return [sys.executable, "-m", "ui.main"]


@contextlib.contextmanager
def isolated_env(home: Path) -> Iterator[dict[str, str]]:
    """Points TOUCHPOINT_HOME and the keyring at throw-away places for the whole test."""
    changes = {"TOUCHPOINT_HOME": str(home), "PYTHON_KEYRING_BACKEND": NULL_KEYRING}
    saved = {k: os.environ.get(k) for k in changes}
    os.environ.update(changes)
    try:
        yield changes
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# -- the steps ---------------------------------------------------------------------------
def check_resources() -> str:
    """The demo data the backend registers must be there; translations are counted."""
    demo = demo_dir()
    missing = [n for n in ("secret-app.json", "keystore.cap") if not (demo / n).is_file()]
    if missing:
        raise SelfTestError(f"demo data missing in {demo}: {', '.join(missing)} "
                            f"(set ${paths.DEMO_DIR_ENV} or reinstall)")
    qms = sorted(p.stem.rsplit("_", 1)[-1] for p in qm_dir().glob("*.qm"))
    langs = ", ".join(qms) if qms else "none compiled (English only)"
    return f"demo data in {demo}; translations: {langs}"


def check_gui(timeout: float, extra_env: dict[str, str]) -> str:
    """The kiosk window reaches its first frame on Qt's offscreen platform."""
    env = dict(os.environ) | extra_env | {"QT_QPA_PLATFORM": "offscreen"}
    cmd = [*self_command(), "--kiosk", "--no-pcsc", "--exit-after-first-frame"]
    try:
        proc = subprocess.run(  # noqa: S603 - our own executable, fixed arguments
            cmd, stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=timeout,
            check=False)
    except subprocess.TimeoutExpired as exc:
        raise SelfTestError(f"the window did not draw its first frame within {timeout:.0f} s"
                            ) from exc
    except OSError as exc:
        raise SelfTestError(f"cannot start {cmd[0]}: {exc.strerror}") from exc
    out = proc.stdout.decode(errors="replace")
    if proc.returncode != 0 or GUI_MARKER not in out:
        tail = "\n".join(proc.stderr.decode(errors="replace").splitlines()[-12:])
        raise SelfTestError(f"the GUI exited with status {proc.returncode} before its first "
                            f"frame:\n{tail}")
    return "kiosk window drew its first frame (offscreen)"


async def connect_card(reader: Reader, client: BackendClient) -> CardIdentity:
    """Reads the card's identity and tells the backend about the card."""
    info = await reader.connect()
    ident = await read_identity(reader.transmit, uid=info.uid, atr=info.atr)
    iin = ident.iin.hex().upper() if ident.iin else None
    await client.register_device(ident.cin_hex, iin, batch_id=ident.batch_id,
                                 platform_version=ident.platform_version)
    return ident


def _defaults(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {f.id: DEMO_FIELDS.get(f.id, f.blank) for f in inputs(fields)}


async def deliver(client: BackendClient, reader: Reader, ident: CardIdentity, kind: str,
                  expected_state: str) -> str:
    """Runs the demo app's `kind` service (install/uninstall) and checks the state after it."""
    desc = await client.get_app(DEMO_APP)
    key = {"install": "installServices", "uninstall": "uninstallService"}[kind]
    value = desc.get(key)
    services = value if isinstance(value, list) else [value]
    service = next((s for s in services if isinstance(s, str) and s), None)
    if service is None:
        raise SelfTestError(f"the demo app {DEMO_APP} has no {kind} service")
    runner = DeliveryRunner(client, reader, ident, fields=DEMO_FIELDS, on_fields=_defaults)
    result = await runner.run(DEMO_APP, service)
    if not result.success:
        raise SelfTestError(f"{kind} failed ({result.outcome.value}): {result.text('en')}")
    state = (await client.device_apps(ident.cin_hex)).get(DEMO_APP, "NotInstalled")
    if state != expected_state:
        raise SelfTestError(f"after {kind} the backend reports {state}, expected "
                            f"{expected_state}")
    return (f"{DEMO_APP}/{service}: {result.apdus} APDUs in {result.http_round_trips} round "
            f"trips, now {state}")


# -- driver ------------------------------------------------------------------------------
Emit = Callable[[StepResult], None]


async def _step(report: SelfTestReport, emit: Emit, name: str,
                work: Callable[[], Awaitable[str]]) -> bool:
    start = time.monotonic()
    try:
        detail = await work()
        ok = True
    except TimeoutError:
        detail, ok = "no answer within the time limit", False
    except (TouchpointError, OSError) as exc:
        detail, ok = str(exc) or type(exc).__name__, False
    except Exception as exc:  # a self-test reports a bug as a failed step, not a traceback
        detail, ok = f"unexpected {type(exc).__name__}: {exc}", False
    result = StepResult(name, ok, detail, time.monotonic() - start)
    report.steps.append(result)
    emit(result)
    return ok


async def run_self_test(*, gui: bool = True, timeout: float = 120.0,
                        emit: Emit | None = None) -> SelfTestReport:
    """Runs every step in a temporary home; stops at the first failure."""
    report = SelfTestReport()
    say: Emit = emit or (lambda _r: None)
    with tempfile.TemporaryDirectory(prefix="touchpoint-selftest-") as tmp:
        home = Path(tmp)
        with isolated_env(home) as env:
            async def resources() -> str:
                return check_resources()

            if not await _step(report, say, "resources", resources):
                return report
            if gui:
                async def window() -> str:
                    loop = asyncio.get_running_loop()
                    return await loop.run_in_executor(None, check_gui, min(timeout, 90.0), env)

                if not await _step(report, say, "gui", window):
                    return report
            await _backend_steps(report, say, home, timeout)
    return report


async def _backend_steps(report: SelfTestReport, say: Emit, home: Path, timeout: float) -> None:
    backend = BundledBackend(db=home / "backend" / "backend.sqlite", log_path=home / "backend.log",
                             startup_timeout=timeout)

    async def start() -> str:
        await backend.start()
        return f"bundled backend ({Path(backend_command()[0]).name}) at {backend.url}"

    try:
        if not await _step(report, say, "backend", start):
            return
        readers: list[Reader] = []
        ident: list[CardIdentity] = []
        try:
            async with BackendClient(backend.url, backend.token, language="en") as client:
                async def card() -> str:
                    readers.append(open_reader("virtual", virtual_card=home / "virtual-card.json",
                                               pcsc=False))
                    ident.append(await connect_card(readers[0], client))
                    return f"virtual card CIN {ident[0].printable_cin}"

                if not await _step(report, say, "card", card):
                    return
                for kind, state in (("install", "Installed"), ("uninstall", "NotInstalled")):
                    async def run(kind: str = kind, state: str = state) -> str:
                        return await asyncio.wait_for(
                            deliver(client, readers[0], ident[0], kind, state), timeout)

                    if not await _step(report, say, kind, run):
                        return
        finally:
            for reader in readers:
                await reader.close()
    finally:
        await asyncio.get_running_loop().run_in_executor(None, backend.stop)


def main(argv: Sequence[str] = (), *, out: TextIO | None = None) -> int:
    """`touchpoint --self-test [--no-gui]`: prints one line per step; 0 when all passed."""
    stream = out or sys.stdout
    unknown = [a for a in argv if a != "--no-gui"]
    if unknown:
        print(f"touchpoint --self-test: unknown option {unknown[0]!r} (only --no-gui)",
              file=sys.stderr if out is None else stream)
        return 1
    gui = "--no-gui" not in argv

    def emit(r: StepResult) -> None:
        print(r.line(), file=stream, flush=True)

    what = "frozen build" if frozen() else f"Python {sys.version.split()[0]}"
    print(f"touchpoint self-test ({what}, {bundle_root()})", file=stream, flush=True)
    try:
        report = asyncio.run(run_self_test(gui=gui, emit=emit))
    except KeyboardInterrupt:
        print("self-test interrupted", file=stream)
        return 1
    print("self-test passed" if report.ok else "self-test FAILED", file=stream, flush=True)
    return 0 if report.ok else 1
