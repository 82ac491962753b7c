"""Databases as the hand-written migration runner left them, at each of its versions.

That runner (backend_stub/store/migrations.py before Alembic, commit 9ec1c2c) kept a
`schema_version` table with one row per step and ran, in order:

1. `create_all` of the models as they stood when step 1 was written
   (tests/fixtures/models_v1.py is that file, from commit f9c9a41);
2. two indexes, by raw `CREATE INDEX IF NOT EXISTS`;
3. on PostgreSQL only, the sealed columns retyped to TEXT;
4. the clear secrets sealed under the key-encryption key.

`build(url, version)` replays those steps (0 = an empty database) and, with `rows`,
stores a little of everything an older backend held, secrets in clear as before
sealing. Steps 2-4 are copied from that runner, not imported: the real code is gone.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from backend_stub.store.db import normalize_url
from backend_stub.store.sealing import Sealer, attach, reseal_legacy
from tests.fixtures import models_v1

KEY = "404142434445464748494A4B4C4D4E4F"
DESFIRE_KEY = "00112233445566778899AABBCCDDEEFF"
SCRIPT_STATE = {"s_enc": "A1" * 16, "step": 3}
_SEALED = [("card_keys", "enc"), ("card_keys", "mac"), ("card_keys", "dek"),
           ("card_keys", "picc_key"), ("desfire_keys", "key"), ("operations", "script_state")]


def _step1(conn: Connection) -> None:
    meta = models_v1.Base.metadata
    meta.create_all(conn, tables=[t for name, t in meta.tables.items()
                                  if name != "schema_version"])


def _step2(conn: Connection) -> None:
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_sessions_phase_device "
                      "ON sessions (phase, last_device_at)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_callbacks_due "
                      "ON callbacks (delivered_at, gave_up, next_attempt_at)"))


def _step3(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    for table, column in _SEALED:
        conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE TEXT "
                          f"USING {column}::text"))


def _step4(conn: Connection) -> None:
    from backend_stub.store import models  # the sealed types of the tables at step 4

    for model, key in ((models.CardKeyRow, ["id"]),
                       (models.DesfireKeyRow, ["cin", "daid", "key_no"]),
                       (models.Operation, ["id"])):
        table = model.__table__
        columns = [c for t, c in _SEALED if t == table.name]  # type: ignore[attr-defined]
        reseal_legacy(conn, table, key, columns)  # type: ignore[arg-type]


STEPS = {1: _step1, 2: _step2, 3: _step3, 4: _step4}


def _rows(conn: Connection) -> None:
    """One of each row an older backend kept, secrets in clear."""
    now = time.time()
    conn.execute(text("INSERT INTO apps (app_id, key_hash, token_hash, state, description, "
                      "settings, created_at, updated_at) VALUES ('0000000A', 'k', 't', "
                      "'published', '{\"name\": {\"en\": \"A\"}}', '{}', :t, :t)"), {"t": now})
    conn.execute(text(
        "INSERT INTO sessions (id, app_id, service_id, service_kind, cin, iin, fields, "
        "description, phase, prior_state, added, removed, apdus_carried, created_at, "
        "last_device_at, last_progress_at) VALUES ('s1', '0000000A', 'install', 'install', "
        "'C1', 'I1', '{}', '{}', 'running', 'NotInstalled', false, false, 0, :t, :t, :t)"),
        {"t": now})
    conn.execute(text(
        "INSERT INTO operations (id, session_id, app_id, seq, origin, endpoint, request, "
        "status, script_state, responses, batches, created_at) VALUES ('o1', 's1', "
        "'0000000A', 0, 'sp', 'install', '{}', 'running', :state, '[]', 1, :t)"),
        {"t": now, "state": '{"s_enc": "' + "A1" * 16 + '", "step": 3}'})
    conn.execute(text("INSERT INTO pending_batches (operation_id, number, commands, sent_at) "
                      "VALUES ('o1', 1, '[]', :t)"), {"t": now})
    conn.execute(text("INSERT INTO card_keys (scope, match, enc, mac, dek, kvn, diversify, "
                      "updated_at) VALUES ('iin', '99990100', :k, :k, :k, 48, 'none', :t)"),
                 {"k": KEY, "t": now})
    conn.execute(text("INSERT INTO desfire_keys (cin, daid, key_no, app_id, key_type, key) "
                      "VALUES ('C1', 'F00001', 0, '0000000A', 'AES', :k)"), {"k": DESFIRE_KEY})


def _build(conn: Connection, version: int, rows: bool) -> None:
    if version == 0:
        return
    conn.execute(text("CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, "
                      "applied_at FLOAT NOT NULL)"))
    for step in range(1, version + 1):
        STEPS[step](conn)
        if step == 1 and rows:
            _rows(conn)
        conn.execute(text("INSERT INTO schema_version (version, applied_at) VALUES (:v, :t)"),
                     {"v": step, "t": time.time()})


async def build(url: str, version: int, *, rows: bool = True,
                sealer: Sealer | None = None) -> None:
    """The database at `url` (empty) as the old runner left it at `version` (0..4)."""
    url = normalize_url(url)
    if url.startswith("sqlite:///"):
        url = "sqlite+aiosqlite:///" + url[len("sqlite:///"):]
    engine = create_async_engine(url)
    attach(engine.sync_engine.dialect, sealer)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_build, version, rows)
    finally:
        await engine.dispose()
