"""The clear secrets an older backend left are sealed once, here (later writes are sealed
as they are made), so that no start-up scans the tables for them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

Needs the key-encryption key of the database (the backend's engine carries it) when
there is anything to seal; a database without clear values needs none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend_stub.store.sealing import SealedJSON, SealedText, reseal_legacy

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# the tables as this revision knows them: their keys and sealed columns only
_meta = sa.MetaData()
CARD_KEYS = sa.Table(
    "card_keys", _meta, sa.Column("id", sa.Integer, primary_key=True),
    *(sa.Column(c, SealedText(f"card_keys.{c}")) for c in ("enc", "mac", "dek", "picc_key")))
DESFIRE_KEYS = sa.Table(
    "desfire_keys", _meta, sa.Column("cin", sa.String(64), primary_key=True),
    sa.Column("daid", sa.String(6), primary_key=True),
    sa.Column("key_no", sa.Integer, primary_key=True),
    sa.Column("key", SealedText("desfire_keys.key")))
OPERATIONS = sa.Table(
    "operations", _meta, sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("script_state", SealedJSON("operations.script_state")))


def seal_clear_values(conn: sa.Connection) -> int:
    """Seal every secret still stored in clear; returns the rows rewritten."""
    return (reseal_legacy(conn, CARD_KEYS, ["id"], ["enc", "mac", "dek", "picc_key"])
            + reseal_legacy(conn, DESFIRE_KEYS, ["cin", "daid", "key_no"], ["key"])
            + reseal_legacy(conn, OPERATIONS, ["id"], ["script_state"]))


def upgrade() -> None:
    seal_clear_values(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("the store migrates forward only; restore a backup to go back")
