"""pending drafts, wechat accounts, record photos

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 19:07:53.787247
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models  # custom column types (UTCDateTime) may be referenced below

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_no", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.String(length=200), nullable=False),
        sa.Column("pic_url", sa.Text(), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["record_no"], ["record_number.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_record_no"), ["record_no"], unique=False)

    op.create_table(
        "pending_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("question", sa.String(length=30), nullable=False),
        sa.Column("draft", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("queue", sa.JSON(), nullable=False),
        sa.Column("asked_text", sa.String(length=500), nullable=False),
        sa.Column("created_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.Column("expires_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id"),
    )
    op.create_table(
        "wechat_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("biz", sa.String(length=64), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["outlet_id"], ["outlet.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("biz"),
    )
    with op.batch_alter_table("wechat_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wechat_account_outlet_id"), ["outlet_id"], unique=False)

    # Photos now attach to any record (an article's proof too), by the number users see.
    op.execute(
        "INSERT INTO photo (record_no, media_id, pic_url, created_at) "
        "SELECT activity.no, activity_photo.media_id, activity_photo.pic_url, activity_photo.created_at "
        "FROM activity_photo JOIN activity ON activity.id = activity_photo.activity_id"
    )
    with op.batch_alter_table("activity_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_photo_activity_id"))

    op.drop_table("activity_photo")
    _drop_shared_wechat_domain()


def _drop_shared_wechat_domain() -> None:
    """Every official account shares mp.weixin.qq.com: as an outlet's domain it credited every forwarded
    WeChat article to that one outlet. Accounts are now told apart by their __biz (wechat_account)."""
    conn = op.get_bind()
    outlet = sa.table("outlet", sa.column("id", sa.Integer), sa.column("domains", sa.JSON))
    for row in conn.execute(sa.select(outlet.c.id, outlet.c.domains)).all():
        domains = list(row.domains or [])
        kept = [d for d in domains if d.lower().strip(".") not in ("mp.weixin.qq.com", "weixin.qq.com")]
        if kept != domains:
            conn.execute(outlet.update().where(outlet.c.id == row.id).values(domains=kept))


def downgrade() -> None:
    op.create_table(
        "activity_photo",
        sa.Column("id", sa.INTEGER(), nullable=False),
        sa.Column("activity_id", sa.INTEGER(), nullable=False),
        sa.Column("media_id", sa.VARCHAR(length=200), nullable=False),
        sa.Column("pic_url", sa.TEXT(), nullable=False),
        sa.Column("created_at", sa.DATETIME(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activity_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_photo_activity_id"), ["activity_id"], unique=False)
    op.execute(
        "INSERT INTO activity_photo (activity_id, media_id, pic_url, created_at) "
        "SELECT activity.id, photo.media_id, photo.pic_url, photo.created_at "
        "FROM photo JOIN activity ON activity.no = photo.record_no"
    )

    with op.batch_alter_table("wechat_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wechat_account_outlet_id"))

    op.drop_table("wechat_account")
    op.drop_table("pending_draft")
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_record_no"))

    op.drop_table("photo")
