"""official figures, stored files, tasks

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 14:15:52.581506
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models  # custom column types (UTCDateTime) may be referenced below

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stored_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "official_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("imported_at", storage.models.UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["imported_by"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period", "unit_id", name="uq_official_period_unit"),
    )
    with op.batch_alter_table("official_figure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_official_figure_period"), ["period"], unique=False)

    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", storage.models.UTCDateTime(), nullable=False),
        sa.Column("done_at", storage.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_status"))

    op.drop_table("task")
    with op.batch_alter_table("official_figure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_official_figure_period"))

    op.drop_table("official_figure")
    op.drop_table("stored_file")
