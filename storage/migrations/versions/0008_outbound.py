"""outbound: members' channel, rejected recipients per outbox row, outbound channel ids

Members' channel is learned from the channel of their latest message (the intelligent robot's writers are
reached through the WeCom app); outbox rows of the WeCom app move
from the inbound id to the outbound channel id (storage.channels.Channel).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models  # custom column types (UTCDateTime) may be referenced below

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies: a migration must not change when the app's code does. (inbound id, outbound channel)
_APP = ("wecom", "wecom_app")
_OFFICIAL_ACCOUNT = ("wechat", "wechat_oa")
_ROBOT = "aibot"  # WeCom's intelligent robot: its writers are WeCom members, reached through the app


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=20), nullable=True))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rejected", sa.JSON(), nullable=False, server_default="{}"))
    conn = op.get_bind()
    conn.execute(
        sa.text("UPDATE outbox SET channel = :new WHERE channel = :old"), {"old": _APP[0], "new": _APP[1]}
    )
    latest = (
        "SELECT i.channel FROM inbound_message i WHERE i.userid = member.userid "
        "AND i.channel IN (:app, :robot, :oa) ORDER BY i.id DESC LIMIT 1"
    )
    conn.execute(
        sa.text(
            f"UPDATE member SET channel = CASE ({latest}) WHEN :app THEN :app_channel "
            "WHEN :robot THEN :app_channel WHEN :oa THEN :oa_channel END"
        ),
        {
            "app": _APP[0],
            "robot": _ROBOT,
            "oa": _OFFICIAL_ACCOUNT[0],
            "app_channel": _APP[1],
            "oa_channel": _OFFICIAL_ACCOUNT[1],
        },
    )


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(
        sa.text("UPDATE outbox SET channel = :old WHERE channel = :new"), {"old": _APP[0], "new": _APP[1]}
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("rejected")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("channel")
