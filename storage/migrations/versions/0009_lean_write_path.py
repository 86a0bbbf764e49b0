"""lean write path: an index for a unit's month, and the organisation's generation token

ix_article_unit_day (unit_id, status, published_on, score) serves the reply's month total and 我的: a
unit's month reads that month's counted rows only, however long the unit's history (before,
ix_article_unit_id made it read the unit's whole history: 68 ms a 上稿 at a million articles), and the count
and the score come from the index alone. It replaces ix_article_unit_id, its prefix. org_generation holds the token that every write to the organisation's tables replaces
(storage.org_cache); its one row starts with a random token.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 10:00:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "org_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "token": secrets.token_hex(16)}])
    # plain index operations (no batch): SQLite need not copy the table
    op.create_index(
        "ix_article_unit_day", "article", ["unit_id", "status", "published_on", "score"], unique=False
    )
    op.drop_index("ix_article_unit_id", table_name="article")


def downgrade() -> None:
    op.create_index("ix_article_unit_id", "article", ["unit_id"], unique=False)
    op.drop_index("ix_article_unit_day", table_name="article")
    op.drop_table("org_generation")
