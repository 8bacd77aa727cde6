"""outbox resilience: when a message was handed over, what the relay last said, uncertainty, and failing since when

`handed_over_at` is written right before the SMTP DATA of each message, so after a hard kill only the message
in the middle of DATA is uncertain and a claimed message that was never handed over goes back to the queue.
`first_failed_at` is when a message's current run of temporary failures began (the retry lifetime counts from
it); `waiting_for_relay` marks the ones that failed because the relay was unavailable, due again when it is
back. Dead letters from before this revision whose reason says the delivery was uncertain are marked uncertain,
so that a retry of them asks for confirmation too. See tasks/outbox_claims.py.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import domain.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handed_over_at", domain.types.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("relay_reply", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("uncertain", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("first_failed_at", domain.types.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("waiting_for_relay", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(
        "UPDATE outbox_message SET uncertain = TRUE WHERE status = 'DEAD' AND last_error LIKE 'usikker levering%'"
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("waiting_for_relay")
        batch_op.drop_column("first_failed_at")
        batch_op.drop_column("uncertain")
        batch_op.drop_column("relay_reply")
        batch_op.drop_column("handed_over_at")
