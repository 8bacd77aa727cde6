"""steps: employees from the organisation import (role kind EMPLOYEE), for notices to employees

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("UNIT_LEADER", "SECTOR_LEADER", "HR", "TILLITSVALGT")
KINDS = (*OLD_KINDS, "EMPLOYEE")


def upgrade() -> None:
    _retype(KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM role WHERE kind = 'EMPLOYEE'")
    _retype(OLD_KINDS)


def _retype(values: Sequence[str]) -> None:
    """PostgreSQL keeps enums as native types, rebuilt here with the new values (as in 0005); SQLite stores them as
    VARCHAR without a CHECK constraint and needs nothing."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TYPE rolekind RENAME TO rolekind_old")
    op.execute(f"CREATE TYPE rolekind AS ENUM ({', '.join(repr(v) for v in values)})")
    op.execute("ALTER TABLE role ALTER COLUMN kind TYPE rolekind USING kind::text::rolekind")
    op.execute("DROP TYPE rolekind_old")
