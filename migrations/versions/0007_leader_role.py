"""leader role: a unit leader may sign in and see their own units' tasks and history (issue 13)

On SQLite the role column is plain text, so only PostgreSQL's enum type learns the new value.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # inside the migration's transaction (PostgreSQL ≥ 12); the value is first used after the commit
        op.execute("ALTER TYPE accountrole ADD VALUE IF NOT EXISTS 'LEDER'")


def downgrade() -> None:
    # PostgreSQL cannot drop one value from an enum type; leader accounts are removed so the value is unused
    for table in ("user_session", "password_reset"):
        op.execute(f"DELETE FROM {table} WHERE user_id IN (SELECT id FROM user_account WHERE role = 'LEDER')")
    op.execute("DELETE FROM user_account WHERE role = 'LEDER'")
