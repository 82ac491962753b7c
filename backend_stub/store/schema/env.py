"""Alembic's environment for the backend's store (backend_stub/store/migrations.py runs it).

The backend hands over its own connection (`config.attributes["connection"]`), so a
migration runs on the engine whose dialect carries the key-encryption key (migration
0004 seals clear values). Each revision is its own transaction; SQLite tables are
altered in batch mode (copy and rename), the only way SQLite changes a column's type.
"""

from __future__ import annotations

from alembic import context

from backend_stub.store import models

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("the store's migrations run through backend_stub.store.migrations."
                       "migrate(connection), which hands Alembic the backend's connection")

context.configure(
    connection=connection,
    target_metadata=models.Base.metadata,
    transaction_per_migration=True,
    render_as_batch=connection.dialect.name == "sqlite",
    on_version_apply=config.attributes.get("on_version_apply"),
)
with context.begin_transaction():
    context.run_migrations()
