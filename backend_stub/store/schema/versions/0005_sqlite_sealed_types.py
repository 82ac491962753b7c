"""SQLite gets the declared types PostgreSQL got in 0003: the sealed columns become TEXT.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

SQLite stored the sealed values already (its types do not limit text), but the schema
still said VARCHAR(64) and JSON, unlike the models and PostgreSQL. SQLite changes a
column's type only by copying the table (Alembic's batch mode); the store runs its
migrations with foreign keys off, so copying `operations` leaves `pending_batches` be,
and checks every foreign key before committing.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SEALED: dict[str, list[tuple[str, sa.types.TypeEngine[Any]]]] = {
    "card_keys": [("enc", sa.String(64)), ("mac", sa.String(64)), ("dek", sa.String(64)),
                  ("picc_key", sa.String(64))],
    "desfire_keys": [("key", sa.String(64))],
    "operations": [("script_state", sa.JSON())]}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table, columns in SEALED.items():
        with op.batch_alter_table(table, recreate="always") as batch:
            for column, old_type in columns:
                batch.alter_column(column, type_=sa.Text(), existing_type=old_type)
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"foreign keys broken by copying the sealed tables: {broken[:5]}")


def downgrade() -> None:
    raise NotImplementedError("the store migrates forward only; restore a backup to go back")
