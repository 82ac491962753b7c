"""Versioned schema migrations.

`schema_version` holds one row per applied migration. Migrations are plain
functions on a synchronous connection, applied in order, each in its own
transaction together with its version row. Migration 1 creates the tables as
the models stood when it was written; a later schema change adds a migration
with explicit, portable DDL (and updates the models) instead of editing an
applied one, so every database walks the same path.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.orm import Session

from backend_stub.store import models
from backend_stub.store.sealing import reseal_legacy

Migration = Callable[[Connection], None]

_V1_TABLES = [
    models.App, models.Service, models.CapFileRow, models.Device, models.AppState,
    models.ElementRow, models.DeliverySession, models.Operation, models.PendingBatch,
    models.Callback, models.CardKeyRow, models.DesfireKeyRow,
]


def _v1_initial(conn: Connection) -> None:
    """The first schema: every table of the backend."""
    models.Base.metadata.create_all(conn, tables=[m.__table__ for m in _V1_TABLES])  # type: ignore[misc]


def _v2_indexes(conn: Connection) -> None:
    """Indexes for the watchdog and callback scans."""
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_sessions_phase_device "
                      "ON sessions (phase, last_device_at)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_callbacks_due "
                      "ON callbacks (delivered_at, gave_up, next_attempt_at)"))


_SEALED_COLUMNS = [("card_keys", "enc"), ("card_keys", "mac"), ("card_keys", "dek"),
                   ("card_keys", "picc_key"), ("desfire_keys", "key"),
                   ("operations", "script_state")]


def _v3_sealed_columns(conn: Connection) -> None:
    """Card keys and script state are sealed (store/sealing.py), longer than the clear
    values: their columns become plain text. SQLite's column types do not limit text;
    the clear values already stored are sealed by migration 4."""
    if conn.dialect.name != "postgresql":
        return
    for table, column in _SEALED_COLUMNS:
        conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE TEXT "
                          f"USING {column}::text"))


def reseal_clear_values(conn: Connection) -> int:
    """Seal the secrets a database holds in clear (written before sealing existed), with
    the sealer of the connection's dialect (store/sealing.py). Returns the rows rewritten."""
    done = 0
    for model, key in ((models.CardKeyRow, ["id"]),
                       (models.DesfireKeyRow, ["cin", "daid", "key_no"]),
                       (models.Operation, ["id"])):
        table = model.__table__
        columns = [c for t, c in _SEALED_COLUMNS if t == table.name]  # type: ignore[attr-defined]
        done += reseal_legacy(conn, table, key, columns)  # type: ignore[arg-type]
    return done


def _v4_seal_clear_values(conn: Connection) -> None:
    """The clear values an older backend left are sealed once, here (later writes are
    sealed as they are made), so that no start-up scans the tables for them."""
    reseal_clear_values(conn)


MIGRATIONS: list[tuple[int, Migration]] = [
    (1, _v1_initial),
    (2, _v2_indexes),
    (3, _v3_sealed_columns),
    (4, _v4_seal_clear_values),
]

LATEST = MIGRATIONS[-1][0]


def check_sealed(s: Session) -> None:
    """Open one sealed card key, if any: a database sealed under another key-encryption
    key stops the backend at start (SealError naming the key to check), not at the first
    delivery."""
    conn = s.connection()
    for table, column in (("card_keys", "enc"), ("desfire_keys", "key")):
        col = models.Base.metadata.tables[table].c[column]
        conn.execute(select(col).where(col.is_not(None)).limit(1)).first()


def current_version(conn: Connection) -> int:
    """Highest applied version, 0 for an empty database."""
    if not inspect(conn).has_table("schema_version"):
        return 0
    row = conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar()
    return int(row or 0)


def migrate(conn: Connection) -> list[int]:
    """Apply every pending migration; returns the versions applied."""
    models.SchemaVersion.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    conn.commit()
    have = current_version(conn)
    if have > LATEST:
        raise RuntimeError(
            f"database schema version {have} is newer than this backend ({LATEST}); "
            "upgrade the backend"
        )
    applied = []
    for version, fn in MIGRATIONS:
        if version <= have:
            continue
        fn(conn)
        conn.execute(
            text("INSERT INTO schema_version (version, applied_at) VALUES (:v, :t)"),
            {"v": version, "t": time.time()},
        )
        conn.commit()
        applied.append(version)
    return applied
