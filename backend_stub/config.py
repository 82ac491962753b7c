"""Runtime settings of the bundled backend.

One frozen object built by the CLI (or a test) and handed to every component,
so nothing reads the environment behind the caller's back.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

DEVICE_TOKEN_ENV = "TOUCHPOINT_DEVICE_TOKEN"  # noqa: S105 (a name, not a secret)
ADMIN_TOKEN_ENV = "TOUCHPOINT_ADMIN_TOKEN"  # noqa: S105 (a name, not a secret)
DEVICE_TOKEN_FILE = "device-token"  # noqa: S105 (a name, not a secret)
ADMIN_TOKEN_FILE = "admin-token"  # noqa: S105 (a name, not a secret)
DB_URL_ENV = "TOUCHPOINT_DB_URL"
KEK_ENV = "TOUCHPOINT_BACKEND_KEK"
KEK_FILE = "card-key-kek"

MiB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Everything a backend instance needs; times are in seconds."""

    data_dir: Path
    db_url: str
    device_token: str
    admin_token: str
    fetch_wait: float = 20.0              # long-poll of service/fetch before 503
    touchpoint_timeout: float = 60.0      # touch point silent with an operation pending: 408
    session_timeout: float = 900.0        # a session with no progress at all ends failed
    watchdog_interval: float = 1.0
    callback_max_attempts: int = 8
    callback_base_delay: float = 0.5      # first retry after this, doubling each time
    callback_max_delay: float = 60.0
    callback_timeout: float = 10.0
    sp_timeout: float = 10.0              # calls to an SP's description / delivery URLs
    max_json_body: int = 1 * MiB
    max_cap_body: int = 2 * MiB
    # NORMAL (WAL): durable against process crashes, a power cut may lose the last commits;
    # FULL also fsyncs the WAL at every commit
    sqlite_synchronous: str = "NORMAL"
    keys_file: Path | None = None         # optional JSON card-key configuration
    # what GET /v3/devices/{cin} answers for a card no touch point reported yet (the
    # backend derives its keys from the key store): the issuer of the cards it serves
    default_iin: str = "99990100"
    default_platform_version: int = 3
    # seals card keys and secure-channel state in the database (store/sealing.py)
    kek: bytes = field(default=b"", repr=False)
    extra: dict[str, str] = field(default_factory=dict)

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (tests tune timeouts this way)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def sqlite_url(path: Path, *, async_driver: bool = False) -> str:
    """The SQLAlchemy URL of a SQLite database file.

    The default (pysqlite) runs on the store's dedicated thread; `async_driver`
    selects aiosqlite, which runs the same units of work through an AsyncSession.
    """
    return f"sqlite{'+aiosqlite' if async_driver else ''}:///{path}"


def resolve_db(option: str | None) -> tuple[Path | None, str | None]:
    """`--db` (else $TOUCHPOINT_DB_URL): a URL (`sqlite:///path`, `postgresql://...`) or a
    SQLite file path; returns (path, url), one of them set, or neither for the default."""
    value = option or os.environ.get(DB_URL_ENV, "").strip() or None
    if value is None:
        return None, None
    if "://" in value:
        if value.startswith("sqlite:///"):
            return Path(value[len("sqlite:///"):]), None
        return None, value
    return Path(value), None


def _read_or_create_secret(path: Path) -> str:
    """A random token kept in a 0600 file, so restarts keep the same token."""
    if path.exists():
        value = path.read_text(encoding="ascii").strip()
        if value:
            return value
        path.unlink()  # an empty file (a crash while writing it, before _create_once)
    _create_once(path, secrets.token_urlsafe(32) + "\n")
    return path.read_text(encoding="ascii").strip()


def resolve_token(explicit: str | None, env_name: str, data_dir: Path, file_name: str) -> str:
    """Explicit option, else environment, else the stored (or newly generated) file."""
    if explicit:
        return explicit
    from_env = os.environ.get(env_name, "").strip()
    if from_env:
        return from_env
    return _read_or_create_secret(data_dir / file_name)


def resolve_kek(explicit: bytes | None, data_dir: Path) -> bytes:
    """Explicit, else $TOUCHPOINT_BACKEND_KEK (64 hex digits), else the stored (or newly
    generated) 0600 file: every worker of one deployment must use the same key."""
    if explicit:
        return explicit
    from_env = os.environ.get(KEK_ENV, "").strip()
    if from_env:
        try:
            kek = bytes.fromhex(from_env)
        except ValueError:
            raise ValueError(f"{KEK_ENV} must be 64 hex digits") from None
        if len(kek) != 32:
            raise ValueError(f"{KEK_ENV} must be 64 hex digits (32 bytes), not {len(kek)} bytes")
        return kek
    path = data_dir / KEK_FILE
    if not path.exists():
        _create_once(path, secrets.token_bytes(32).hex() + "\n")
    try:
        kek = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except ValueError:
        kek = b""
    if len(kek) != 32:
        raise ValueError(f"{path} must hold 64 hex digits (the key-encryption key)")
    return kek


def _create_once(path: Path, text: str) -> None:
    """Write a complete 0600 file at `path` unless one is there: workers starting
    together on one data directory all end up reading the same, whole file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # another worker was first
            os.link(tmp, path)
    finally:
        tmp.unlink()


def make_settings(
    data_dir: Path,
    *,
    db_path: Path | None = None,
    db_url: str | None = None,
    device_token: str | None = None,
    admin_token: str | None = None,
    kek: bytes | None = None,
    **overrides: object,
) -> Settings:
    """Settings for a data directory, resolving tokens the documented way."""
    data_dir.mkdir(parents=True, exist_ok=True)
    db = db_path if db_path is not None else data_dir / "backend.sqlite3"
    settings = Settings(
        data_dir=data_dir,
        db_url=db_url or sqlite_url(db),
        device_token=resolve_token(device_token, DEVICE_TOKEN_ENV, data_dir, DEVICE_TOKEN_FILE),
        admin_token=resolve_token(admin_token, ADMIN_TOKEN_ENV, data_dir, ADMIN_TOKEN_FILE),
        kek=resolve_kek(kek, data_dir),
    )
    return settings.with_(**overrides) if overrides else settings
