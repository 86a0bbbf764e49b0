"""activities, exemptions, audit, scoring

Revision ID: 0002
Revises: 0001

Existing articles keep their score; server defaults fill the new columns (factor 1, no bonus).
Create Date: 2026-11-25 13:46:56.355663
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models  # custom column types (UTCDateTime) may be referenced below

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bulletin_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("sent_at", storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period"),
    )
    op.create_table(
        "admin_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("admin_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_action_member_id"), ["member_id"], unique=False)

    op.create_table(
        "exemption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("exemption", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exemption_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exemption_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "activity_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.String(length=200), nullable=False),
        sa.Column("pic_url", sa.Text(), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activity_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_photo_activity_id"), ["activity_id"], unique=False)

    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("late", sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("placement", sa.String(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("factor", sa.Float(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("endorsement", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("bonus", sa.Float(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("story_key", sa.String(length=300), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("late", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f("ix_article_story_key"), ["story_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_story_key"))
        batch_op.drop_column("late")
        batch_op.drop_column("story_key")
        batch_op.drop_column("bonus")
        batch_op.drop_column("endorsement")
        batch_op.drop_column("factor")
        batch_op.drop_column("placement")

    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("late")

    with op.batch_alter_table("activity_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_photo_activity_id"))

    op.drop_table("activity_photo")
    with op.batch_alter_table("exemption", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exemption_unit_id"))
        batch_op.drop_index(batch_op.f("ix_exemption_member_id"))

    op.drop_table("exemption")
    with op.batch_alter_table("admin_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_action_member_id"))

    op.drop_table("admin_action")
    op.drop_table("bulletin_log")
