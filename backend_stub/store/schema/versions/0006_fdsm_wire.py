"""fdsm wire compatibility: CAP file metadata, and deleted recipes as SQL NULL.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

* `capfiles.cap_metadata` (JSON, nullable) keeps an upload's Java-Card-Version,
  Global-Platform-Version and OS-Type-Version headers; fdsm reads them back as
  `metadata.gp-version` / `otv-version` (tool/.../Main.java, --list-applets).
* Before this revision a deleted recipe was stored as JSON `null` rather than SQL NULL,
  so `recipe IS NOT NULL` still matched it: deleted recipes were listed, a second delete
  found them, and the dead service answered 503. This repairs those rows, on SQLite
  (JSON is stored as text) and PostgreSQL (json has no equality: compared as text), in
  `services` and `sessions`. Idempotent: running it on repaired rows changes nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("capfiles", sa.Column("cap_metadata", sa.JSON(), nullable=True))
    bind = op.get_bind()
    cast = "CAST(recipe AS TEXT)"
    for table in ("services", "sessions"):
        bind.execute(sa.text(f"UPDATE {table} SET recipe = NULL "  # noqa: S608 - fixed names
                             f"WHERE recipe IS NOT NULL AND TRIM({cast}) = 'null'"))


def downgrade() -> None:
    raise NotImplementedError("the store migrates forward only; restore a backup to go back")
