"""plan narrative: plan periods and the draft of the text HR writes for each (foreword, forankring, mål, …)

A plan period (e.g. 2028–2031) holds the current draft of each narrative section; every version compiled after
this revision copies the draft into its own content. Versions written before it are immutable and are left as they
are: they show the plan frame's text they were made with (read from their stored `frame`). An existing database
gets one period, from the first plan year it has a version for and at least four years long, whose draft starts
from the newest version's frame, so the next version says what the last one said.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from pydantic import ValidationError

import domain.types
from domain.plan.frame import PlanFrame
from domain.plan.narrative import initial_narrative

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = domain.types.UtcDateTime
Text = sqlmodel.sql.sqltypes.AutoString
MIGRATED_BY = "oppgradering 0009"
PERIOD_YEARS = 4


def upgrade() -> None:
    op.create_table(
        "plan_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("created_by", Text(length=200), nullable=False),
        sa.Column("created_at", When(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_period", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_period_first_year"), ["first_year"], unique=True)
    op.create_table(
        "plan_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("key", Text(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", Text(length=200), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_by", Text(length=200), nullable=False),
        sa.Column("updated_at", When(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["plan_period.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period_id", "key", name="uq_plan_text_key"),
    )
    with op.batch_alter_table("plan_text", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_text_period_id"), ["period_id"], unique=False)
    _carry_the_frame()


def downgrade() -> None:
    op.drop_table("plan_text")
    op.drop_table("plan_period")


def _carry_the_frame() -> None:
    """One period over the plan years the database has versions for, its draft from the newest version's frame."""
    bind = op.get_bind()
    years = bind.execute(sa.text("SELECT MIN(plan_year), MAX(plan_year) FROM plan_version")).one()
    if years[0] is None:
        return  # a new database: the first compile or HR's first edit starts the period
    versions = sa.table(
        "plan_version", sa.column("content", sa.JSON()), sa.column("created_at", When()), sa.column("number")
    )
    newest = bind.execute(
        sa.select(versions.c.content, versions.c.created_at).order_by(
            versions.c.created_at.desc(), versions.c.number.desc()
        )
    ).first()
    assert newest is not None
    first, last = int(years[0]), max(int(years[1]), int(years[0]) + PERIOD_YEARS - 1)
    period = sa.table(
        "plan_period", *(sa.column(c) for c in ("id", "first_year", "last_year", "created_by")),
        sa.column("created_at", When()),
    )  # fmt: skip
    bind.execute(period.insert().values(first_year=first, last_year=last, created_by=MIGRATED_BY, created_at=newest[1]))
    period_id = bind.execute(sa.text("SELECT id FROM plan_period WHERE first_year = :y"), {"y": first}).scalar_one()
    rows = [
        {"period_id": period_id, "key": s.key, "position": n, "title": s.title, "markdown": s.markdown,
         "revision": 1, "updated_by": MIGRATED_BY, "updated_at": newest[1]}
        for n, s in enumerate(initial_narrative(frame), start=1)
    ] if (frame := _frame(newest[0])) else []  # fmt: skip
    if rows:
        texts = sa.table(
            "plan_text", *(sa.column(c) for c in rows[0] if c != "updated_at"), sa.column("updated_at", When())
        )
        bind.execute(texts.insert(), rows)


def _frame(content: Any) -> PlanFrame | None:
    data = json.loads(content) if isinstance(content, str) else content if isinstance(content, dict) else {}
    try:
        return PlanFrame.model_validate(data["frame"]) if data.get("frame") else None
    except ValidationError:
        return None  # a frame that no longer validates: the draft starts from the packaged frame at first use
