"""body members: a body's members from the organisation import's optional table «organer»

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "body_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", Text(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", Text(length=64), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("body", "person_id", name="uq_body_membership"),
    )
    op.create_index(op.f("ix_body_membership_body"), "body_membership", ["body"], unique=False)
    op.create_index(op.f("ix_body_membership_person_id"), "body_membership", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_body_membership_person_id"), table_name="body_membership")
    op.drop_index(op.f("ix_body_membership_body"), table_name="body_membership")
    op.drop_table("body_membership")
