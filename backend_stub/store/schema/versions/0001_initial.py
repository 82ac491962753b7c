"""The first schema: every table of the backend, as the models stood when it was written.

Revision ID: 0001
Revises:
Create Date: 2026-11-20

Explicit DDL, not the models: a later revision that adds a column then works on a
fresh database too. (The hand-written runner this replaces created these tables with
`create_all` of the models; databases it made are stamped at their version.)
Secrets were plain strings then; 0003 and 0005 make their columns TEXT for sealing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("apps",
        sa.Column("app_id", sa.String(length=8), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("app_id"),
        sa.UniqueConstraint("token_hash")
    )
    op.create_table("callbacks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("app_id", sa.String(length=8), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.Float(), nullable=False),
        sa.Column("delivered_at", sa.Float(), nullable=True),
        sa.Column("gave_up", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("operation_id")
    )
    op.create_index("ix_callbacks_next_attempt_at", "callbacks", ["next_attempt_at"], unique=False)
    op.create_table("card_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("match", sa.String(length=64), nullable=False),
        sa.Column("enc", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.Column("dek", sa.String(length=64), nullable=False),
        sa.Column("kvn", sa.Integer(), nullable=False),
        sa.Column("diversify", sa.String(length=16), nullable=False),
        sa.Column("picc_key", sa.String(length=64), nullable=True),
        sa.Column("picc_key_type", sa.String(length=8), nullable=True),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scope", "match")
    )
    op.create_table("desfire_keys",
        sa.Column("cin", sa.String(length=64), nullable=False),
        sa.Column("daid", sa.String(length=6), nullable=False),
        sa.Column("key_no", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.String(length=8), nullable=False),
        sa.Column("key_type", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("cin", "daid", "key_no")
    )
    op.create_table("devices",
        sa.Column("cin", sa.String(length=64), nullable=False),
        sa.Column("iin", sa.String(length=64), nullable=False),
        sa.Column("platform_version", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("os_type_version", sa.Integer(), nullable=True),
        sa.Column("first_seen", sa.Float(), nullable=False),
        sa.Column("last_seen", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("cin")
    )
    op.create_table("elements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cin", sa.String(length=64), nullable=False),
        sa.Column("app_id", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("aid", sa.String(length=32), nullable=False),
        sa.Column("parent", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cin", "app_id", "kind", "aid")
    )
    op.create_index("ix_elements_cin", "elements", ["cin"], unique=False)
    op.create_table("sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("app_id", sa.String(length=8), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("service_kind", sa.String(length=16), nullable=False),
        sa.Column("cin", sa.String(length=64), nullable=False),
        sa.Column("iin", sa.String(length=64), nullable=False),
        sa.Column("platform_version", sa.Integer(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("recipe", sa.JSON(), nullable=True),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=True),
        sa.Column("message", sa.JSON(), nullable=True),
        sa.Column("sp_success", sa.Boolean(), nullable=True),
        sa.Column("sp_message", sa.JSON(), nullable=True),
        sa.Column("prior_state", sa.String(length=16), nullable=False),
        sa.Column("final_state", sa.String(length=16), nullable=True),
        sa.Column("added", sa.Boolean(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("apdus_carried", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("last_device_at", sa.Float(), nullable=False),
        sa.Column("last_progress_at", sa.Float(), nullable=False),
        sa.Column("ended_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_sessions_app_id", "sessions", ["app_id"], unique=False)
    op.create_index("ix_sessions_cin", "sessions", ["cin"], unique=False)
    op.create_index("ix_sessions_phase", "sessions", ["phase"], unique=False)
    op.create_table("app_states",
        sa.Column("cin", sa.String(length=64), nullable=False),
        sa.Column("app_id", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cin", "app_id")
    )
    op.create_table("capfiles",
        sa.Column("app_id", sa.String(length=8), nullable=False),
        sa.Column("lfdbh", sa.String(length=64), nullable=False),
        sa.Column("elf_aid", sa.String(length=32), nullable=False),
        sa.Column("applets", sa.JSON(), nullable=False),
        sa.Column("java_card_version", sa.String(length=16), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("app_id", "lfdbh")
    )
    op.create_table("operations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("app_id", sa.String(length=8), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("endpoint", sa.String(length=64), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("callback_url", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("script_state", sa.JSON(), nullable=True),
        sa.Column("responses", sa.JSON(), nullable=False),
        sa.Column("batches", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("started_at", sa.Float(), nullable=True),
        sa.Column("finished_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_operations_app_id", "operations", ["app_id"], unique=False)
    op.create_index("ix_operations_session_seq", "operations", ["session_id", "seq"], unique=False)
    op.create_index("ix_operations_status", "operations", ["status"], unique=False)
    op.create_table("services",
        sa.Column("app_id", sa.String(length=8), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("recipe", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["app_id"], ["apps.app_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("app_id", "service_id")
    )
    op.create_table("pending_batches",
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("commands", sa.JSON(), nullable=False),
        sa.Column("sent_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["operation_id"], ["operations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("operation_id")
    )


def downgrade() -> None:
    raise NotImplementedError("the store migrates forward only; restore a backup to go back")
