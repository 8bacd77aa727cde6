"""outbox attachments: files a notice carries, stored once, and the ids a message carries

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256", "filename", name="uq_outbox_attachment_content"),
    )
    # Plain ALTER TABLE, nullable: existing messages carry nothing, and no copy of the outbox is needed.
    op.add_column("outbox_message", sa.Column("attachment_ids", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("outbox_message", "attachment_ids")
    op.drop_table("outbox_attachment")
