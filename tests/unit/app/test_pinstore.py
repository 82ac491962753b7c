"""app.pinstore: the staff PIN's salted hash, where it is kept, and the lockout."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app.pinstore import LOCKOUT_S, MAX_TRIES, PinError, PinStore, hash_pin, verify_hash


def test_pin_hash_is_salted_and_verifies() -> None:
    a, b = hash_pin("1234"), hash_pin("1234")
    assert a != b and a.startswith("scrypt$")
    assert verify_hash("1234", a) and not verify_hash("1235", a)
    assert not verify_hash("1234", "garbage") and not verify_hash("1234", "md5$1$2$3$4$5")
    for bad in ("12", "12ab", "1234567890123", "١٢٣٤"):
        with pytest.raises(PinError):
            hash_pin(bad)


def test_pin_file_fallback_is_private_and_atomic(tmp_path: Path) -> None:
    store = PinStore(tmp_path, use_keyring=False)
    assert "No secure keyring" in store.warning and str(tmp_path) in store.warning
    assert not store.is_set() and not store.verify("1234")
    store.set_pin("1234")
    mode = stat.S_IMODE(os.stat(store.path).st_mode)
    assert mode == 0o600
    assert "1234" not in store.path.read_text()
    assert store.verify("1234")
    assert not list(tmp_path.glob(".*.tmp"))


def test_pin_lockout_after_wrong_tries(tmp_path: Path) -> None:
    now = [1000.0]
    store = PinStore(tmp_path, use_keyring=False, _clock=lambda: now[0])
    store.set_pin("9876")
    for _ in range(MAX_TRIES):
        assert not store.verify("0000")
    assert store.locked_for() == LOCKOUT_S
    assert not store.verify("9876")  # even the right PIN waits
    now[0] += LOCKOUT_S
    assert store.verify("9876")


class _MemoryKeyring:
    """A keyring backend keeping secrets in a dict (stands in for the OS keyring)."""

    def __init__(self) -> None:
        import keyring.backend

        class Backend(keyring.backend.KeyringBackend):
            priority = 10
            def __init__(self) -> None:
                super().__init__()
                self.store: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.store.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.store[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                self.store.pop((service, username), None)

        self.backend = Backend()


def test_pin_goes_to_a_secure_keyring_when_there_is_one(tmp_path: Path) -> None:
    import keyring

    previous = keyring.get_keyring()
    mem = _MemoryKeyring().backend
    keyring.set_keyring(mem)
    try:
        store = PinStore(tmp_path)
        assert store.warning == "" and store.use_keyring  # decided on first use
        store.set_pin("5555")
        assert not store.path.exists()
        stored = next(iter(mem.store.values()))
        assert stored.startswith("scrypt$") and "5555" not in stored
        assert store.verify("5555")
    finally:
        keyring.set_keyring(previous)
