"""reminder log, shared api token, outbox lease

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:04:08.743143
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models  # custom column types (UTCDateTime) may be referenced below

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("expires_at", storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "reminder_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occasion", sa.String(length=30), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "occasion", "recipient", name="uq_reminder_once"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", storage.models.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("lease_until")

    op.drop_table("reminder_log")
    op.drop_table("api_token")
