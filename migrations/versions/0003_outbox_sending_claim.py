"""outbox sending claim: the SENDING status and the token of the delivery attempt that holds it

A message is claimed as SENDING, with a fresh attempt token, in its own committed transaction before it is
handed to the SMTP server; the result is written only by the holder of that token. See tasks/outbox/claims.py.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_VALUES = ("PENDING", "SENT", "FAILED", "DEAD", "CANCELLED")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _require_postgresql_12()
        # The status is a native enum there, stored by name. Since PostgreSQL 12 ADD VALUE may run inside the
        # migration's transaction as long as that transaction does not use the new value, which this one does not.
        op.execute("ALTER TYPE outboxstatus ADD VALUE IF NOT EXISTS 'SENDING' AFTER 'PENDING'")
    # SQLite stores the enum as VARCHAR without a CHECK constraint, so the new name needs no change there.
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempt_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    # A claim in flight cannot survive the downgrade: it goes back to pending (it may then be sent again).
    op.execute("UPDATE outbox_message SET status = 'PENDING' WHERE status = 'SENDING'")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("attempt_token")
    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL cannot drop an enum value: the type is rebuilt without it.
        op.execute("ALTER TYPE outboxstatus RENAME TO outboxstatus_old")
        op.execute(f"CREATE TYPE outboxstatus AS ENUM ({', '.join(repr(v) for v in OLD_VALUES)})")
        op.execute("ALTER TABLE outbox_message ALTER COLUMN status TYPE outboxstatus USING status::text::outboxstatus")
        op.execute("DROP TYPE outboxstatus_old")


def _require_postgresql_12() -> None:
    version = op.get_bind().dialect.server_version_info or (0,)
    if version < (12,):
        raise RuntimeError("Årshjul krever PostgreSQL 12 eller nyere (ALTER TYPE … ADD VALUE i en transaksjon)")
