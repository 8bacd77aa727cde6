"""identity: user accounts with a role and sector, server-side sessions, failed sign-ins, password reset codes

Replaces the one shared HR password (ARSHJUL_HR_PASSWORD): the first HR account is made with
`arshjul users add EMAIL --name NAME --role hr` (docs/operations.md).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import domain.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = domain.types.UtcDateTime
Text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", Text(length=254), nullable=False),
        sa.Column("name", Text(length=200), nullable=False),
        sa.Column("role", sa.Enum("HR", "KOMMUNALSJEF", "LESER", name="accountrole"), nullable=False),
        sa.Column("sector_id", Text(length=64), nullable=True),
        sa.Column("password_hash", Text(length=300), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", When(timezone=True), nullable=False),
        sa.Column("password_changed_at", When(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sector_id"], ["org_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_email"), ["email"], unique=True)
    for table in ("user_session", "password_reset"):
        extra: list[sa.Column[Any]] = (
            [sa.Column("last_seen_at", When(timezone=True), nullable=False)]
            if table == "user_session"
            else [sa.Column("used_at", When(timezone=True), nullable=True)]
        )
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("token_hash", Text(length=64), nullable=False),
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column("created_at", When(timezone=True), nullable=False),
            sa.Column("expires_at", When(timezone=True), nullable=False),
            *extra,
            sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_token_hash"), ["token_hash"], unique=True)
            batch_op.create_index(batch_op.f(f"ix_{table}_user_id"), ["user_id"], unique=False)
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", When(timezone=True), nullable=False),
        sa.Column("email", Text(length=254), nullable=False),
        sa.Column("address", Text(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sign_in_failure", schema=None) as batch_op:
        for column in ("at", "email", "address"):
            batch_op.create_index(batch_op.f(f"ix_sign_in_failure_{column}"), [column], unique=False)


def downgrade() -> None:
    for table in ("sign_in_failure", "password_reset", "user_session", "user_account"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TYPE IF EXISTS accountrole")
