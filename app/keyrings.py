"""The OS keyring, for the touch point's secrets: whether there is a usable one, and the
bundled backend's key-encryption key kept in it.

The bundled backend seals the card keys in its database under a key-encryption key
(backend_stub/store/sealing.py). Left to itself it keeps that key in a 0600 file
beside the database, which protects a copy of the database but not a copy of the
directory. With a usable keyring the touch point keeps the key there instead and
hands it to the backend through the environment at each launch; a key the backend
had already put in its file is moved into the keyring (and the file removed), so the
card keys stored so far still open.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import keyring
from keyring.backends import fail, null

log = logging.getLogger(__name__)

SERVICE = "se-touchpoint"
KEK_USERNAME = "backend-card-key-kek"
KEK_FILE = "card-key-kek"  # the backend's own fallback (backend_stub/config.py)
KEK_ENV = "TOUCHPOINT_BACKEND_KEK"


def keyring_is_secure() -> bool:
    """False for keyring's null/fail backends (no usable OS keyring)."""
    try:
        kr = keyring.get_keyring()
    except Exception:  # a broken keyring configuration must not stop the kiosk
        return False
    return not isinstance(kr, (fail.Keyring, null.Keyring))


def backend_kek(data_dir: Path) -> str | None:
    """The backend's key-encryption key (64 hex digits) from the keyring, created (or
    moved there from the backend's file in `data_dir`) on first use; None when there is
    no usable keyring or it fails: the backend then keeps using its file. Blocking (the
    keyring may ask the desktop): call it from a worker thread."""
    if not keyring_is_secure():
        return None
    try:
        value = keyring.get_password(SERVICE, KEK_USERNAME)
        if value:
            return value
        file = data_dir / KEK_FILE
        value = _read_kek(file) or secrets.token_bytes(32).hex()
        keyring.set_password(SERVICE, KEK_USERNAME, value)
        if keyring.get_password(SERVICE, KEK_USERNAME) != value:
            raise RuntimeError("the keyring did not keep the key")
    except Exception as exc:  # locked or broken keyring: the backend's file still works
        log.warning("keyring unusable for the backend's key-encryption key (%s); the "
                    "backend keeps it in its data directory", type(exc).__name__)
        return None
    if file.exists():
        file.unlink()  # the keyring holds the only copy from now on
    return value


def _read_kek(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except OSError:
        return None
    try:
        ok = len(bytes.fromhex(text)) == 32
    except ValueError:
        ok = False
    return text.lower() if ok else None
