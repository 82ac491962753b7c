"""The bundled backend's key-encryption key in the OS keyring (app/keyrings.py): created
once, moved from the backend's own file, and left to that file when there is no keyring."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordSetError

from app.backend import BundledBackend
from app.keyrings import KEK_ENV, KEK_FILE, KEK_USERNAME, SERVICE, backend_kek
from backend_stub.config import resolve_kek


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in: what a desktop session's Secret Service would keep."""

    priority = 1

    def __init__(self, *, broken: bool = False) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.broken = broken

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.broken:
            raise PasswordSetError("locked")
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


UseKeyring = Callable[[KeyringBackend], KeyringBackend]


@pytest.fixture
def use_keyring() -> Iterator[UseKeyring]:
    before = keyring.get_keyring()

    def _use(kr: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(kr)
        return kr

    yield _use
    keyring.set_keyring(before)


def test_without_a_keyring_the_backend_keeps_its_file(
        tmp_path: Path, use_keyring: UseKeyring) -> None:
    use_keyring(fail.Keyring())
    (tmp_path / KEK_FILE).write_text("11" * 32 + "\n")
    assert backend_kek(tmp_path) is None
    assert (tmp_path / KEK_FILE).exists()


def test_the_key_is_made_once_and_kept_in_the_keyring(
        tmp_path: Path, use_keyring: UseKeyring) -> None:
    kr = use_keyring(MemoryKeyring())
    assert isinstance(kr, MemoryKeyring)
    first = backend_kek(tmp_path)
    assert first is not None and len(bytes.fromhex(first)) == 32
    assert kr.items[(SERVICE, KEK_USERNAME)] == first
    assert backend_kek(tmp_path) == first
    assert not (tmp_path / KEK_FILE).exists()


def test_a_key_the_backend_already_made_moves_into_the_keyring(
        tmp_path: Path, use_keyring: UseKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEK_ENV, raising=False)
    made = resolve_kek(None, tmp_path)  # the backend's first start, before any keyring
    use_keyring(MemoryKeyring())
    assert backend_kek(tmp_path) == made.hex()  # what it sealed with still opens
    assert not (tmp_path / KEK_FILE).exists()  # one copy: in the keyring


def test_a_locked_keyring_leaves_the_file_alone(tmp_path: Path, use_keyring: UseKeyring,
                                                caplog: pytest.LogCaptureFixture) -> None:
    use_keyring(MemoryKeyring(broken=True))
    (tmp_path / KEK_FILE).write_text("22" * 32 + "\n")
    with caplog.at_level(logging.WARNING, logger="app.keyrings"):
        assert backend_kek(tmp_path) is None
    assert (tmp_path / KEK_FILE).exists()
    assert "keyring unusable" in caplog.text and "22" * 32 not in caplog.text


async def test_the_bundled_backend_gets_its_key_from_the_keyring(
        tmp_path: Path, use_keyring: UseKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEK_ENV, raising=False)
    monkeypatch.setenv("TOUCHPOINT_HOME", str(tmp_path))
    kr = use_keyring(MemoryKeyring())
    assert isinstance(kr, MemoryKeyring)
    async with BundledBackend(db=tmp_path / "b.sqlite", log_path=tmp_path / "b.log",
                              demo=False) as backend:
        assert backend.running
    assert (SERVICE, KEK_USERNAME) in kr.items
    assert not (tmp_path / KEK_FILE).exists()  # the backend never wrote its own
    assert kr.items[(SERVICE, KEK_USERNAME)] not in (tmp_path / "b.log").read_text()
