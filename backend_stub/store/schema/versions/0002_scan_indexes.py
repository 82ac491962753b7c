"""Indexes for the watchdog and callback scans.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sessions_phase_device", "sessions", ["phase", "last_device_at"])
    op.create_index("ix_callbacks_due", "callbacks", ["delivered_at", "gave_up", "next_attempt_at"])


def downgrade() -> None:
    raise NotImplementedError("the store migrates forward only; restore a backup to go back")
