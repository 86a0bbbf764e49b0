"""aibot: stream replies finished after their callback was answered, and downloaded photo content

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 20:24:42

Numbered 0008 because issue 12 adds 0007 in parallel; the merge re-parents this one after it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models  # custom column types (UTCDateTime) may be referenced below

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "aibot_stream",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("finished_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("aibot_stream", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aibot_stream_finished_at"), ["finished_at"], unique=False)
    op.create_table(
        "media_file",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("mime", sa.String(length=50), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )


def downgrade() -> None:
    op.drop_table("media_file")
    with op.batch_alter_table("aibot_stream", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aibot_stream_finished_at"))
    op.drop_table("aibot_stream")
