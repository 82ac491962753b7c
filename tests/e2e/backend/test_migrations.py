"""Alembic migrations on real SQLite files and a real PostgreSQL cluster.

A fresh database and a database at every version of the hand-written runner Alembic
replaced (tests/helpers/legacy_store.py replays that runner's steps) end at the same
schema, the one the models declare (Alembic's autogenerate compare finds nothing),
with what they held kept and the clear secrets sealed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.orm import Session

from backend_stub.config import sqlite_url
from backend_stub.store import migrations
from backend_stub.store.db import Database
from backend_stub.store.models import Base, CardKeyRow, DesfireKeyRow, Operation
from backend_stub.store.sealing import PREFIX, Sealer
from tests.helpers import legacy_store
from tests.helpers.postgres import PgCluster

KEK = bytes(range(32))
REVISIONS = migrations.revisions()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A factory of empty databases of one dialect."""
    if request.param == "sqlite":
        counter = iter(range(100))
        return lambda: sqlite_url(tmp_path / f"db{next(counter)}.sqlite3")
    cluster: PgCluster = request.getfixturevalue("postgres")
    return cluster.create_database


def schema(conn: Connection) -> dict[str, Any]:
    """The reflected schema, normalised: columns, keys, indexes, uniques, foreign keys."""
    insp = inspect(conn)
    out: dict[str, Any] = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"])
                        for c in insp.get_columns(table)],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in insp.get_indexes(table)),
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                           (f.get("options") or {}).get("ondelete"))
                          for f in insp.get_foreign_keys(table)),
        }
    return out


def differences(conn: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


async def _inspect(db: Database) -> tuple[dict[str, Any], list[Any], str | None]:
    def look(s: Session) -> tuple[dict[str, Any], list[Any], str | None]:
        conn = s.connection()
        return schema(conn), differences(conn), migrations.current_revision(conn)

    return await db.read(look)


async def test_a_fresh_database_matches_the_models(new_url: Any) -> None:
    db = Database(new_url(), sealer=Sealer(KEK))
    assert await db.migrate() == REVISIONS
    assert await db.migrate() == []
    reflected, diff, rev = await _inspect(db)
    await db.close()
    assert diff == [], diff
    assert rev == migrations.head()
    assert "schema_version" not in reflected and "alembic_version" in reflected
    # the two indexes the models lacked under the old runner are declared now
    assert ("ix_sessions_phase_device", ("phase", "last_device_at"), False) in \
        reflected["sessions"]["indexes"]
    assert ("ix_callbacks_due", ("delivered_at", "gave_up", "next_attempt_at"), False) in \
        reflected["callbacks"]["indexes"]


@pytest.mark.parametrize("version", [0, 1, 2, 3, 4])
async def test_every_old_version_upgrades_in_place_to_the_same_schema(
        new_url: Any, version: int) -> None:
    fresh = Database(new_url(), sealer=Sealer(KEK))
    await fresh.migrate()
    want, _, _ = await _inspect(fresh)
    await fresh.close()

    url = new_url()
    await legacy_store.build(url, version, sealer=Sealer(KEK))
    db = Database(url, sealer=Sealer(KEK))
    stamped = migrations.LEGACY_VERSIONS.get(version)
    expected = REVISIONS[REVISIONS.index(stamped) + 1:] if stamped else REVISIONS
    assert await db.migrate() == expected
    got, diff, rev = await _inspect(db)
    assert diff == [], diff
    assert got == want
    assert rev == migrations.head()
    if version:  # what the old backend held is still there, its secrets sealed
        def held(s: Session) -> tuple[Any, ...]:
            raw = s.execute(text("SELECT CAST(enc AS TEXT), CAST(dek AS TEXT) FROM card_keys")
                            ).one()
            return (s.execute(select(CardKeyRow.enc)).scalar_one(),
                    s.execute(select(DesfireKeyRow.key)).scalar_one(),
                    s.get(Operation, "o1", options=[]).script_state,  # type: ignore[union-attr]
                    s.execute(text("SELECT number FROM pending_batches")).scalar_one(),
                    raw)

        enc, dkey, state, batch, raw = await db.read(held)
        assert (enc, dkey, state, batch) == (legacy_store.KEY, legacy_store.DESFIRE_KEY,
                                             legacy_store.SCRIPT_STATE, 1)
        assert all(v.startswith(PREFIX) for v in raw)
    await db.close()


async def test_a_newer_database_is_refused(new_url: Any) -> None:
    url = new_url()
    db = Database(url)
    await db.migrate()
    await db.write(lambda s: s.execute(text("UPDATE alembic_version SET version_num = 'ffff'")))
    with pytest.raises(RuntimeError, match="ffff is newer than this backend"):
        await db.migrate()
    await db.close()


async def test_a_newer_database_of_the_old_runner_is_refused(new_url: Any) -> None:
    url = new_url()
    await legacy_store.build(url, 4, rows=False)
    db = Database(url)
    await db.write(lambda s: s.execute(text(
        "INSERT INTO schema_version (version, applied_at) VALUES (5, 0)")))
    with pytest.raises(RuntimeError, match="5 is newer than this backend"):
        await db.migrate()
    assert await db.read(lambda s: s.execute(  # left as it was
        text("SELECT MAX(version) FROM schema_version")).scalar()) == 5
    await db.close()


async def test_a_failing_revision_leaves_the_database_at_the_one_before(tmp_path: Path
                                                                      ) -> None:
    # 0004 needs the key-encryption key when there are clear secrets: without one it fails,
    # and its transaction (SQLite DDL included) is rolled back, nothing half-done
    path = tmp_path / "old.sqlite3"
    await legacy_store.build(sqlite_url(path), 3)
    db = Database(sqlite_url(path))
    with pytest.raises(Exception, match="no key-encryption key"):
        await db.migrate()
    # the store's connection has its foreign keys back on after the failed migration
    assert await db.read(lambda s: s.execute(text("PRAGMA foreign_keys")).scalar()) == 1
    await db.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0003",)]
    assert con.execute("SELECT enc FROM card_keys").fetchone()[0] == legacy_store.KEY
    assert con.execute("SELECT COUNT(*) FROM pending_batches").fetchone()[0] == 1
    con.close()
    db = Database(sqlite_url(path), sealer=Sealer(KEK))
    assert await db.migrate() == REVISIONS[REVISIONS.index("0004"):]
    assert await db.read(lambda s: s.execute(text("PRAGMA foreign_keys")).scalar()) == 1
    await db.close()


async def test_sqlite_ddl_is_all_or_nothing(tmp_path: Path) -> None:
    # 0005 copies three tables, then checks every foreign key: an orphan row (which a
    # backend with foreign keys on never wrote) fails it, and the copies are undone too
    path = tmp_path / "old.sqlite3"
    await legacy_store.build(sqlite_url(path), 4, sealer=Sealer(KEK))
    con = sqlite3.connect(path)
    con.execute("INSERT INTO pending_batches (operation_id, number, commands, sent_at) "
                "VALUES ('gone', 1, '[]', 0)")
    con.commit()
    con.close()
    db = Database(sqlite_url(path), sealer=Sealer(KEK))
    with pytest.raises(RuntimeError, match="foreign keys broken"):
        await db.migrate()
    await db.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0004",)]
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not [t for t in tables if t.startswith("_alembic")], tables
    types = {r[1]: r[2] for r in con.execute("PRAGMA table_info(card_keys)")}
    assert types["enc"] == "VARCHAR(64)"  # the copy as TEXT was rolled back
    con.close()


async def test_0006_repairs_json_null_recipes_and_adds_cap_metadata(new_url: Any) -> None:
    """Before 0006 a deleted recipe was JSON `null`, which `IS NOT NULL` still matched
    (deleted recipes listed, a second delete found them): 0006 makes them SQL NULL, on
    SQLite and PostgreSQL, keeps real recipes, and adds capfiles.cap_metadata."""
    db = Database(new_url(), sealer=Sealer(KEK))
    await db.migrate()

    def back_to_0005(s: Session) -> None:
        pg = s.bind.dialect.name == "postgresql"  # type: ignore[union-attr]
        null = "CAST('null' AS JSON)" if pg else "'null'"
        recipe = "CAST('{\"description\": {}}' AS JSON)" if pg else "'{\"description\": {}}'"
        s.execute(text("INSERT INTO apps (app_id, key_hash, token_hash, state, description, "
                       "settings, created_at, updated_at) VALUES ('0a0b0c0d', 'k', 't', "
                       "'published', '{}', '{}', 0, 0)"))
        for sid, value in (("dead", null), ("live", recipe)):
            s.execute(text(f"INSERT INTO services (app_id, service_id, recipe, created_at) "
                           f"VALUES ('0a0b0c0d', '{sid}', {value}, 0)"))
        s.execute(text("ALTER TABLE capfiles DROP COLUMN cap_metadata"))
        s.execute(text("UPDATE alembic_version SET version_num = '0005'"))

    await db.write(back_to_0005)
    assert await db.migrate() == ["0006"]

    def look(s: Session) -> Any:
        return s.execute(text("SELECT service_id FROM services WHERE recipe IS NULL")).all()

    assert await db.read(look) == [("dead",)]
    _, diff, rev = await _inspect(db)
    assert diff == [] and rev == "0006"
    await db.close()
