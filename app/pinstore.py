"""The staff PIN: a salted scrypt hash in the OS keyring, or a 0600 file when there is none.

Kiosk boxes often have no unlocked keyring (no desktop session). Then the
hash goes to `<data dir>/staff-pin` (mode 0600, written atomically) and
`warning` says so, so the staff screen can show it. The PIN itself is never
stored; wrong attempts are throttled (5 tries, then 30 s) against guessing at
the touch screen.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import keyring

from app.keyrings import SERVICE, keyring_is_secure
from app.paths import data_dir

log = logging.getLogger(__name__)

USERNAME = "staff-pin"
FILE_NAME = "staff-pin"
MIN_LENGTH = 4
MAX_LENGTH = 12
MAX_TRIES = 5
LOCKOUT_S = 30.0
_N, _R, _P = 2**14, 8, 1


class PinError(ValueError):
    """The PIN is not acceptable (too short, not digits) or the store failed."""


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$hash` (hex): self-describing so parameters can grow later."""
    check_format(pin)
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_hash(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r),
                                p=int(p), dklen=len(digest_hex) // 2)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def check_format(pin: str) -> None:
    if not pin.isdigit() or not pin.isascii():
        raise PinError("the PIN must be digits only")
    if not MIN_LENGTH <= len(pin) <= MAX_LENGTH:
        raise PinError(f"the PIN must have {MIN_LENGTH} to {MAX_LENGTH} digits")


@dataclass
class PinStore:
    """Where the hash lives, decided once at start; `warning` explains a file fallback."""

    directory: Path | None = None
    use_keyring: bool | None = None  # None: decided on first use (asking may be slow)
    _warning: str = ""
    _failures: int = 0
    _locked_until: float = 0.0
    _clock: object = field(default=time.monotonic, repr=False)
    _decided: bool = False

    def _decide(self) -> None:
        if self._decided:
            return
        self._decided = True
        if self.use_keyring is None:
            self.use_keyring = keyring_is_secure()
        if not self.use_keyring:
            self._warning = (f"No secure keyring is available: the staff PIN hash is kept in "
                             f"{self.path} (readable only by this user).")
            log.warning(self._warning)

    @property
    def in_file(self) -> bool:
        """True when the hash is kept in the 0600 file (no usable keyring)."""
        self._decide()
        return not self.use_keyring

    @property
    def warning(self) -> str:
        """Why the hash is in a file rather than the keyring ("" when it is in the keyring)."""
        self._decide()
        return self._warning

    @property
    def path(self) -> Path:
        if self.directory is None:
            self.directory = data_dir()
        return self.directory / FILE_NAME

    # -- storage ------------------------------------------------------------------------
    def _read(self) -> str | None:
        self._decide()
        if self.use_keyring:
            try:
                return keyring.get_password(SERVICE, USERNAME)
            except Exception as exc:  # locked or broken keyring: say so, fall back
                self._fall_back(exc)
        try:
            return self.path.read_text(encoding="ascii").strip() or None
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise PinError(f"cannot read {self.path}: {exc.strerror}") from exc

    def _write(self, value: str) -> None:
        self._decide()
        if self.use_keyring:
            try:
                keyring.set_password(SERVICE, USERNAME, value)
                return
            except Exception as exc:
                self._fall_back(exc)
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(value + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise PinError(f"cannot write {path}: {exc.strerror}") from exc

    def _fall_back(self, exc: Exception) -> None:
        self.use_keyring = False
        self._warning = (f"The keyring failed ({type(exc).__name__}): the staff PIN hash is "
                        f"kept in {self.path} (readable only by this user).")
        log.warning(self.warning)

    # -- API ----------------------------------------------------------------------------
    def is_set(self) -> bool:
        return self._read() is not None

    def set_pin(self, pin: str) -> None:
        self._write(hash_pin(pin))
        self._failures = 0

    def locked_for(self) -> float:
        """Seconds until the next try is allowed (0 when allowed)."""
        clock = self._clock
        assert callable(clock)
        return max(0.0, self._locked_until - float(clock()))

    def verify(self, pin: str) -> bool:
        """True for the right PIN; False when wrong, unset, or locked out after too many tries."""
        if self.locked_for() > 0:
            return False
        stored = self._read()
        ok = stored is not None and verify_hash(pin, stored)
        if ok:
            self._failures = 0
            return True
        self._failures += 1
        if self._failures >= MAX_TRIES:
            clock = self._clock
            assert callable(clock)
            self._locked_until = float(clock()) + LOCKOUT_S
            self._failures = 0
        return False
