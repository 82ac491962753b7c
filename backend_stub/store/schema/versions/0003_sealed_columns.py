"""Card keys and script state are sealed (store/sealing.py), longer than the clear values:
their PostgreSQL columns become TEXT. (SQLite's column types do not limit text; 0005 gives
SQLite the same declared types. The clear values already stored are sealed by 0004.)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEALED: list[tuple[str, str, sa.types.TypeEngine[Any]]] = [
    ("card_keys", "enc", sa.String(64)), ("card_keys", "mac", sa.String(64)),
    ("card_keys", "dek", sa.String(64)), ("card_keys", "picc_key", sa.String(64)),
    ("desfire_keys", "key", sa.String(64)), ("operations", "script_state", sa.JSON())]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, old_type in SEALED:
        op.alter_column(table, column, type_=sa.Text(), existing_type=old_type,
                        postgresql_using=f"{column}::text")


def downgrade() -> None:
    raise NotImplementedError("the store migrates forward only; restore a backup to go back")
