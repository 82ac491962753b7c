"""Schema migrations with Alembic: the revisions in backend_stub/store/schema/versions/.

Every revision is explicit DDL (never `create_all` of the current models), applied in
order, each in its own transaction together with Alembic's version row
(`alembic_version`). A schema change adds a revision and updates the models; the test
suite checks that a migrated database and the models do not differ (Alembic's
autogenerate compare, on SQLite and PostgreSQL).

Databases made by the hand-written runner this replaces (a `schema_version` table, one
row per applied step 1..4) are stamped at the revision of their highest step, the old
table dropped, and then upgraded in place like any other.

On SQLite the store runs its migrations with foreign keys off (changing a column's type
copies the table, which would otherwise cascade deletes) and as real transactions (the
sqlite3 driver does not open one for DDL by itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, inspect, select, text
from sqlalchemy.orm import Session

from backend_stub.store import models

SCRIPTS = Path(__file__).resolve().parent / "schema"
# the hand-written runner's steps, as the revisions that port them
LEGACY_VERSIONS = {1: "0001", 2: "0002", 3: "0003", 4: "0004"}
LEGACY_TABLE = "schema_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the store (no alembic.ini: everything is here)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The newest revision this backend knows."""
    heads = script_directory().get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the store's revisions have {len(heads)} heads: {heads}")
    return heads[0]


def revisions() -> list[str]:
    """Every revision, oldest first."""
    return [s.revision for s in reversed(list(script_directory().walk_revisions()))]


def current_revision(conn: Connection) -> str | None:
    """The revision a database is at (None for an empty one)."""
    return MigrationContext.configure(conn).get_current_revision()


def _newer(have: object, latest: str) -> RuntimeError:
    return RuntimeError(f"database schema version {have} is newer than this backend "
                        f"({latest}); upgrade the backend")


def _adopt_legacy(conn: Connection) -> None:
    """A database of the hand-written runner: stamped at its version, `schema_version`
    dropped, in one transaction."""
    with conn.begin():
        have = int(conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar()
                   or 0)
        if have and have not in LEGACY_VERSIONS:
            raise _newer(have, head())
        if have:
            MigrationContext.configure(conn).stamp(script_directory(), LEGACY_VERSIONS[have])
        conn.execute(text("DROP TABLE schema_version"))


def _emit_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


@contextmanager
def _sqlite_migration(conn: Connection) -> Iterator[None]:
    """Foreign keys off and DDL inside real transactions, for the migration only."""
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction
    conn.commit()
    event.listen(conn, "begin", _emit_begin)
    try:
        yield
    finally:
        event.remove(conn, "begin", _emit_begin)
        if conn.in_transaction():
            conn.rollback()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


def migrate(conn: Connection) -> list[str]:
    """Apply every pending revision; returns the revisions applied, oldest first."""
    if conn.in_transaction():
        conn.commit()
    if conn.dialect.name == "sqlite":
        with _sqlite_migration(conn):
            return _upgrade(conn)
    return _upgrade(conn)


def _upgrade(conn: Connection) -> list[str]:
    tables = inspect(conn).get_table_names()
    conn.commit()
    if LEGACY_TABLE in tables and "alembic_version" not in tables:
        _adopt_legacy(conn)
    latest = head()
    have = current_revision(conn)
    conn.commit()
    if have is not None and have not in revisions():
        raise _newer(have, latest)
    applied: list[str] = []

    def done(*, step: Any, **_: Any) -> None:
        applied.append(step.up_revision_id)

    cfg = alembic_config(conn)
    cfg.attributes["on_version_apply"] = done
    command.upgrade(cfg, "head")
    if conn.in_transaction():
        conn.commit()
    return applied


def reseal_clear_values(conn: Connection) -> int:
    """Seal the secrets a database holds in clear (written before sealing existed), as
    revision 0004 does; returns the rows rewritten."""
    return int(_revision_module("0004").seal_clear_values(conn))


def _revision_module(rev: str) -> Any:
    script = script_directory().get_revision(rev)
    assert script is not None
    return script.module


def check_sealed(s: Session) -> None:
    """Open one sealed card key, if any: a database sealed under another key-encryption
    key stops the backend at start (SealError naming the key to check), not at the first
    delivery."""
    conn = s.connection()
    for table, column in (("card_keys", "enc"), ("desfire_keys", "key")):
        col = models.Base.metadata.tables[table].c[column]
        conn.execute(select(col).where(col.is_not(None)).limit(1)).first()
