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
import sys
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


class SlotLockTimeout(AssertionError):
    """The vpcd slot stayed taken past the timeout; the message names who holds it."""


class SlotLock:
    """Serialises use of the vpcd slot between test processes on one machine.

    There is one slot 0 per machine; two pytest runs (or a bench) putting cards
    into it at once would answer each other's APDUs. The holder writes its pid
    and test id into the lock file, so a waiter that gives up can say whom it
    waited for. The lock is an flock: it goes with the holder's process, so a
    crashed run never leaves it taken.
    """

    PATH = Path(os.environ.get("TMPDIR", "/tmp")) / "se-touchpoint-vpcd-slot0.lock"
    # long enough for other test runs on the machine to finish their test, short
    # enough that a stuck holder fails the waiting test instead of the CI time limit
    TIMEOUT = float(os.environ.get("TP_SLOT_LOCK_TIMEOUT", "600"))
    POLL = 0.05

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or self.PATH
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, timeout: float | None = None, holder: str | None = None) -> None:
        """Takes the slot, waiting at most `timeout` seconds (TIMEOUT by default);
        raises SlotLockTimeout naming the holder when it stays taken."""
        if self._fd is not None:
            return
        limit = self.TIMEOUT if timeout is None else timeout
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o666)
        deadline = time.monotonic() + limit
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    who = self.holder() or "an unknown process (it wrote no holder line)"
                    os.close(fd)
                    raise SlotLockTimeout(
                        f"the vpcd slot lock {self.path} is still held after {limit:.0f} s "
                        f"by {who}") from None
                time.sleep(self.POLL)
        me = holder or os.environ.get("PYTEST_CURRENT_TEST") or " ".join(sys.argv[:2])
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: {me}\n".encode(), 0)
        self._fd = fd

    def holder(self) -> str:
        """The holder line of the lock file ("pid N: test id"), "" when there is none."""
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)


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
