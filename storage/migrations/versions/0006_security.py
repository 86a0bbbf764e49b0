"""security: callback nonces, generated app secrets, outbox lease owner, task attempts, session versions

Also masks secrets that earlier versions wrote into outbox errors and texts and task errors (issue 11).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 09:00:00
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models  # custom column types (UTCDateTime) may be referenced below

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy of the redaction pattern (senders/redact.py): a migration must not change when the app's code does.
_SECRET_QUERY = re.compile(r"([?&](?:corpsecret|secret|access_token|key)=)[^&\s'\"#)]+", re.IGNORECASE)


def upgrade() -> None:
    op.create_table(
        "callback_nonce",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("seen_at", storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("callback_nonce", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_callback_nonce_seen_at"), ["seen_at"], unique=False)
    op.create_table(
        "app_secret",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=100), nullable=True))
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))
    _mask_stored_secrets()


def _mask_stored_secrets() -> None:
    """Rows written before redaction may hold `corpsecret=…` in an error or a pushed text: mask them."""
    conn = op.get_bind()
    for table, column in (("outbox", "last_error"), ("task", "error")):
        rows = conn.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")).all()
        for row_id, value in rows:
            masked = _SECRET_QUERY.sub(r"\1***", value)
            if masked != value:
                conn.execute(
                    sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :id"), {"v": masked, "id": row_id}
                )
    outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("payload", sa.JSON))
    for row_id, payload in conn.execute(sa.select(outbox.c.id, outbox.c.payload)).all():
        text = (payload or {}).get("text")
        if isinstance(text, str) and _SECRET_QUERY.search(text):
            masked = {**payload, "text": _SECRET_QUERY.sub(r"\1***", text)}
            conn.execute(outbox.update().where(outbox.c.id == row_id).values(payload=masked))


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("session_version")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("attempts")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("lease_owner")
    op.drop_table("app_secret")
    with op.batch_alter_table("callback_nonce", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_callback_nonce_seen_at"))
    op.drop_table("callback_nonce")
