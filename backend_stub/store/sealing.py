"""Secrets at rest: card keys and secure-channel state sealed under a key-encryption key.

A copy of the database (a backup, a PostgreSQL dump, a file sent along with a bug
report) must not hand out the keys of every card. Columns that hold them use
`SealedText` / `SealedJSON`: AES-256-GCM with a random nonce, the column's name as
associated data (a sealed value moved to another column does not open), stored as
`sealed:v1:` + base64. The key-encryption key (KEK) is not in the database: the
Database hangs its `Sealer` on the engine's dialect, where the column types find it.

Values written before sealing existed (no prefix) are read as they are, and
`reseal_legacy` seals them once at start-up.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, Dialect, Table, Text, and_, or_, select, update
from sqlalchemy.types import TypeDecorator

PREFIX = "sealed:v1:"
T = TypeVar("T")
KEK_BYTES = 32
_NONCE = 12


class SealError(Exception):
    """A sealed value cannot be written or read; the message says what to check."""


@dataclass(frozen=True)
class Sealer:
    """AES-256-GCM under one key-encryption key."""

    kek: bytes = field(repr=False)
    _aead: AESGCM = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.kek) != KEK_BYTES:
            raise SealError(f"the key-encryption key must be {KEK_BYTES} bytes, "
                            f"not {len(self.kek)}")
        object.__setattr__(self, "_aead", AESGCM(self.kek))

    def seal(self, plain: bytes, context: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, plain, context.encode())
        return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def open(self, text: str, context: str) -> bytes:
        try:
            raw = base64.b64decode(text[len(PREFIX):], validate=True)
        except (binascii.Error, ValueError):
            raise SealError(f"{context}: the sealed value is not valid base64") from None
        if len(raw) < _NONCE + 16:
            raise SealError(f"{context}: the sealed value is truncated")
        try:
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], context.encode())
        except InvalidTag:
            raise SealError(
                f"{context}: cannot open a sealed value: it was sealed with another "
                "key-encryption key (check TOUCHPOINT_BACKEND_KEK, the card-key-kek file "
                "in the data directory, or the touch point's keyring entry "
                "backend-card-key-kek) or it was altered") from None


def is_sealed(value: str | None) -> bool:
    return value is not None and value.startswith(PREFIX)


def attach(dialect: Dialect, sealer: Sealer | None) -> None:
    """Give a database's dialect the sealer its sealed columns use."""
    dialect.touchpoint_sealer = sealer  # type: ignore[attr-defined]


def _sealer(dialect: Dialect, context: str) -> Sealer:
    sealer = getattr(dialect, "touchpoint_sealer", None)
    if sealer is None:
        raise SealError(f"{context}: this database has no key-encryption key to seal "
                        "secrets with")
    return sealer


class _Sealed(TypeDecorator[T]):
    """A column sealed under the database's key-encryption key; `context` (the column's
    name) is the associated data."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def _seal(self, plain: bytes, dialect: Dialect) -> str:
        return _sealer(dialect, self.context).seal(plain, self.context)

    def _open(self, text: str, dialect: Dialect) -> bytes:
        return _sealer(dialect, self.context).open(text, self.context)


class SealedText(_Sealed[str]):
    """A secret string (hex key material), sealed in the database."""

    cache_ok = True  # SQLAlchemy reads it from each class itself

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or is_sealed(value):
            return value
        return self._seal(value.encode(), dialect)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not is_sealed(value):
            return value  # written before sealing existed: reseal_legacy seals it
        return self._open(value, dialect).decode()


class SealedJSON(_Sealed[Any]):
    """A JSON document holding secrets (a script's secure-channel state), sealed."""

    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self._seal(json.dumps(value, separators=(",", ":")).encode(), dialect)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):  # a JSON column's value (PostgreSQL, before sealing)
            return value
        if not is_sealed(value):
            return json.loads(value)
        return json.loads(self._open(value, dialect))


def reseal_legacy(conn: Connection, table: Table, key: list[str], columns: list[str]) -> int:
    """Seal the values of `columns` still stored in clear; returns the rows rewritten.

    Reads the raw text (the column cast to plain Text) so that sealed and clear values
    can be told apart, and writes through the sealed types."""
    raw = [table.c[c].cast(Text).label(c) for c in columns]
    in_clear = or_(*(and_(r.is_not(None), r.not_like(PREFIX + "%")) for r in raw))
    rows = conn.execute(select(*(table.c[k] for k in key), *raw).where(in_clear)).all()
    done = 0
    for row in rows:
        clear = {c: getattr(row, c) for c in columns
                 if getattr(row, c) is not None and not is_sealed(getattr(row, c))}
        if not clear:
            continue
        values = {c: (json.loads(v) if isinstance(table.c[c].type, SealedJSON) else v)
                  for c, v in clear.items()}
        conn.execute(update(table).where(*(table.c[k] == getattr(row, k) for k in key))
                     .values(**values))
        done += 1
    return done
