"""unit kind: the organisation import's optional `enhetstype` (skole, barnehage, ...), for filters and deadlines

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE (SQLite 3.35+ drops a column itself): a batch copy of org_unit would drop the table that
# role, assignment and the units' own parent_id refer to, which SQLite's foreign keys refuse.
def upgrade() -> None:
    op.add_column("org_unit", sa.Column("kind", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("org_unit", "kind")
