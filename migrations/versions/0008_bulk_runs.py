"""bulk runs: one row per confirmed bulk action in the HR console, so a double submit changes nothing twice

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import domain.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "bulk_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", Text(length=64), nullable=False),
        sa.Column("kind", Text(length=20), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("actor", Text(length=200), nullable=False),
        sa.Column("created_at", domain.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bulk_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bulk_run_key"), ["key"], unique=True)
        batch_op.create_index(batch_op.f("ix_bulk_run_account_id"), ["account_id"], unique=False)


def downgrade() -> None:
    op.drop_table("bulk_run")
