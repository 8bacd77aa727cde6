"""plan year and cycle year on every plan version, one adopted version per plan year, superseded, comment answers

Every version states the plan year it is FOR and the cycle year it was made in; a version made in cycle Y is for
Y+1, which is how existing rows are filled. An imported plan has no cycle, so cycle_id becomes optional and the
version numbers are counted per cycle year. A partial unique index lets only one version per plan year be adopted;
where an old database has two adopted versions of one year (the bug this fixes), the older becomes superseded.
Handlings gain the kinds "til etterretning" and "importert", and HR's answers to the tillitsvalgte's comments get
their own table. The guards that keep a version immutable are rebuilt to allow exactly one change of an adopted
version: adopted -> superseded.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import domain.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAN_STATUSES = ("DRAFT", "CONSULTATION", "FINAL_DRAFT", "ADOPTED", "SUPERSEDED")
HANDLING_KINDS = ("DROFTING", "ORIENTERING", "TIL_ETTERRETNING", "VEDTAK", "IMPORTERT")
OLD_PLAN_STATUSES = PLAN_STATUSES[:4]
OLD_HANDLING_KINDS = ("DROFTING", "ORIENTERING", "VEDTAK")
ADOPTED_ONLY = sa.text("status = 'ADOPTED'")


def upgrade() -> None:
    _drop_guards()
    _retype("plan_version", "status", "planstatus", PLAN_STATUSES)
    _retype("handling", "kind", "handlingkind", HANDLING_KINDS)
    with op.batch_alter_table("plan_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cycle_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("plan_year", sa.Integer(), nullable=True))
    op.execute("UPDATE plan_version SET cycle_year = (SELECT year FROM cycle WHERE cycle.id = plan_version.cycle_id)")
    op.execute("UPDATE plan_version SET plan_year = cycle_year + 1")
    # Before this revision any handling adopted, so a year could have two adopted versions: the newest stays.
    op.execute(
        "UPDATE plan_version SET status = 'SUPERSEDED' WHERE status = 'ADOPTED' AND EXISTS (SELECT 1 FROM "
        "plan_version AS newer WHERE newer.plan_year = plan_version.plan_year AND newer.status = 'ADOPTED' "
        "AND newer.number > plan_version.number)"
    )
    with op.batch_alter_table("plan_version", schema=None) as batch_op:
        batch_op.alter_column("cycle_year", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("plan_year", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("cycle_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint("uq_plan_version_number", type_="unique")
        batch_op.create_unique_constraint("uq_plan_version_number", ["cycle_year", "number"])
        batch_op.create_index(batch_op.f("ix_plan_version_cycle_year"), ["cycle_year"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_version_plan_year"), ["plan_year"], unique=False)
    op.create_index(
        "uq_plan_version_adopted_year",
        "plan_version",
        ["plan_year"],
        unique=True,
        sqlite_where=ADOPTED_ONLY,
        postgresql_where=ADOPTED_ONLY,
    )
    op.create_table(
        "plan_comment_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_version_id", sa.Integer(), nullable=False),
        sa.Column("comment_key", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("verdict", sa.Enum("ACCEPTED", "PARTLY", "NOT", name="commentverdict"), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("answered_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("answered_at", domain.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["plan_version_id"], ["plan_version.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_version_id", "comment_key", name="uq_plan_comment_answer"),
    )
    with op.batch_alter_table("plan_comment_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_comment_answer_plan_version_id"), ["plan_version_id"], unique=False)
    _create_guards()


def downgrade() -> None:
    _drop_guards()
    op.drop_table("plan_comment_answer")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TYPE IF EXISTS commentverdict")
    op.drop_index("uq_plan_version_adopted_year", table_name="plan_version")
    # An imported plan has no cycle and cannot exist in the old schema; its handlings go with it.
    op.execute("DELETE FROM handling WHERE plan_version_id IN (SELECT id FROM plan_version WHERE cycle_id IS NULL)")
    op.execute("DELETE FROM plan_version WHERE cycle_id IS NULL")
    op.execute("UPDATE plan_version SET status = 'ADOPTED' WHERE status = 'SUPERSEDED'")
    op.execute("UPDATE handling SET kind = 'ORIENTERING' WHERE kind = 'TIL_ETTERRETNING'")
    op.execute("UPDATE handling SET kind = 'VEDTAK' WHERE kind = 'IMPORTERT'")
    with op.batch_alter_table("plan_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_version_plan_year"))
        batch_op.drop_index(batch_op.f("ix_plan_version_cycle_year"))
        batch_op.drop_constraint("uq_plan_version_number", type_="unique")
        batch_op.create_unique_constraint("uq_plan_version_number", ["cycle_id", "number"])
        batch_op.alter_column("cycle_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("plan_year")
        batch_op.drop_column("cycle_year")
    _retype("plan_version", "status", "planstatus", OLD_PLAN_STATUSES)
    _retype("handling", "kind", "handlingkind", OLD_HANDLING_KINDS)
    _create_guards(old=True)


def _retype(table: str, column: str, type_name: str, values: Sequence[str]) -> None:
    """PostgreSQL keeps enums as native types: rebuilt with the new values inside this transaction (ADD VALUE could
    not be used before commit). SQLite stores them as VARCHAR without a CHECK constraint and needs nothing."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TYPE {type_name} RENAME TO {type_name}_old")
    op.execute(f"CREATE TYPE {type_name} AS ENUM ({', '.join(repr(v) for v in values)})")
    op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {type_name} USING {column}::text::{type_name}")
    op.execute(f"DROP TYPE {type_name}_old")


def _create_guards(old: bool = False) -> None:
    """An adopted version may only become superseded; anything else about a written version never changes."""
    locked = (
        "OLD.status = 'ADOPTED'"
        if old
        else "OLD.status = 'SUPERSEDED' OR (OLD.status = 'ADOPTED' AND NEW.status <> 'SUPERSEDED')"
    )
    years = "" if old else " OR NEW.plan_year <> OLD.plan_year OR NEW.cycle_year <> OLD.cycle_year"
    changed = (
        f"{locked} OR NEW.content_hash <> OLD.content_hash OR NEW.rendered <> OLD.rendered"
        f" OR NEW.number <> OLD.number OR NEW.title <> OLD.title{years}"
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"CREATE TRIGGER plan_version_immutable BEFORE UPDATE ON plan_version WHEN {changed} "
            "OR NEW.content IS NOT OLD.content "
            "BEGIN SELECT RAISE(ABORT, 'plan_version is immutable once written or adopted'); END"
        )
        op.execute(
            "CREATE TRIGGER plan_version_no_delete BEFORE DELETE ON plan_version "
            "BEGIN SELECT RAISE(ABORT, 'plan_version rows cannot be changed or removed'); END"
        )
        return
    op.execute(
        "CREATE TRIGGER plan_version_immutable BEFORE UPDATE ON plan_version FOR EACH ROW "
        f"WHEN ({changed} OR NEW.content::text IS DISTINCT FROM OLD.content::text) EXECUTE FUNCTION arshjul_refuse()"
    )
    op.execute(
        "CREATE TRIGGER plan_version_no_delete BEFORE DELETE ON plan_version "
        "FOR EACH ROW EXECUTE FUNCTION arshjul_refuse()"
    )


def _drop_guards() -> None:
    # SQLite's batch mode copies the table, which would drop its triggers anyway; both dialects rebuild them after.
    on = "" if op.get_bind().dialect.name == "sqlite" else " ON plan_version"
    op.execute(f"DROP TRIGGER IF EXISTS plan_version_immutable{on}")
    op.execute(f"DROP TRIGGER IF EXISTS plan_version_no_delete{on}")
