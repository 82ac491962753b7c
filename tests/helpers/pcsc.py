"""The real PC/SC stack for tests: pcscd with the vpcd driver, and a card in slot 0.

Only one pcscd can run on a machine (fixed socket and pid paths), so we use
the running one or start `pcscd --foreground` ourselves and stop it after.
Under CI=true a missing component fails the test instead of skipping it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

VPCD_CONF = Path("/etc/reader.conf.d/vpcd")
PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
READER = "Virtual PCD 00 00"
SLOT0_PORT = 35963


def missing(reason: str) -> None:
    """Skip on a developer machine without PC/SC; fail under CI, where it must be there."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PC/SC stack unavailable under CI: {reason}")
    pytest.skip(f"PC/SC stack unavailable: {reason}")


def _pcscd_answers() -> bool:
    try:
        from smartcard.System import readers

        return READER in [str(r) for r in readers()]
    except Exception:
        return False


class Pcscd:
    """A pcscd we may have started; `stop()` only stops our own."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Pcscd:
        if shutil.which("pcscd") is None and not Path("/usr/sbin/pcscd").exists():
            missing("pcscd is not installed (Debian package pcscd)")
        if not VPCD_CONF.exists():
            missing("the vpcd driver is not installed (Debian package vsmartcard-vpcd)")
        try:
            import smartcard  # noqa: F401
        except ImportError as exc:
            missing(f"pyscard does not import: {exc}")
        if PCSCD_SOCKET.exists() and _pcscd_answers():
            return self
        exe = shutil.which("pcscd") or "/usr/sbin/pcscd"
        self.proc = subprocess.Popen(
            [exe, "--foreground"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                missing(f"pcscd exited with status {self.proc.returncode} (is it run as root?)")
            if PCSCD_SOCKET.exists() and _pcscd_answers():
                return self
            time.sleep(0.1)
        missing("pcscd did not list the vpcd reader within 15 s")
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class SlotLock:
    """Serialises use of the vpcd slot between test processes on one machine.

    There is one slot 0 per machine; two pytest runs (or a bench) putting cards
    into it at once would answer each other's APDUs.
    """

    PATH = Path(os.environ.get("TMPDIR", "/tmp")) / "se-touchpoint-vpcd-slot0.lock"

    def __init__(self) -> None:
        self._fd: int | None = None

    def acquire(self) -> None:
        if self._fd is None:
            self._fd = os.open(self.PATH, os.O_CREAT | os.O_RDWR, 0o666)
            fcntl.flock(self._fd, fcntl.LOCK_EX)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def wait_card(present: bool, reader: str = READER, timeout: float = 10.0) -> None:
    """Waits until pcscd itself reports the card present (or gone) in `reader`."""
    from smartcard.scard import (
        SCARD_S_SUCCESS,
        SCARD_SCOPE_USER,
        SCARD_STATE_PRESENT,
        SCARD_STATE_UNAWARE,
        SCardEstablishContext,
        SCardGetStatusChange,
        SCardReleaseContext,
    )

    hr, ctx = SCardEstablishContext(SCARD_SCOPE_USER)
    assert hr == SCARD_S_SUCCESS
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hr, states = SCardGetStatusChange(ctx, 100, [(reader, SCARD_STATE_UNAWARE)])
            if hr == SCARD_S_SUCCESS:
                is_present = bool(states[0][1] & SCARD_STATE_PRESENT)
                if is_present == present:
                    return
            time.sleep(0.05)
        raise TimeoutError(f"card {'not present' if present else 'still present'} in {reader}")
    finally:
        SCardReleaseContext(ctx)
