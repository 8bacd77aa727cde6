"""Migration 0005 on a database written before it: years filled in, a double adoption resolved, guards rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from tasks.store.db import alembic_config, make_engine
from tests.support.migrations import move_to

ROW = (
    "INSERT INTO plan_version (id, cycle_id, number, parent_id, status, title, content, rendered, content_hash, "
    "created_by, created_at) VALUES ({id}, 1, {id}, NULL, '{status}', 'Kompetanseplan 2028', '{{}}', 'r', 'h{id}', "
    "'HR', '2027-10-0{id} 10:00:00.000000')"
)


def test_existing_versions_get_their_years_and_only_the_newest_adoption_stays(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    move_to(url, "0003")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO cycle (id, year, status, config_hash, created_at) "
                "VALUES (1, 2027, 'ACTIVE', 'x', '2027-01-01 08:00:00.000000')"
            )
        )
        for number, status in ((1, "CONSULTATION"), (2, "ADOPTED"), (3, "ADOPTED")):  # the old bug: two adopted
            connection.execute(text(ROW.format(id=number, status=status)))
    engine.dispose()
    move_to(url, "head")
    engine = make_engine(url)
    with engine.begin() as connection:
        rows = connection.execute(
            text("SELECT number, status, cycle_year, plan_year FROM plan_version ORDER BY number")
        )
        assert [tuple(r) for r in rows] == [
            (1, "CONSULTATION", 2027, 2028),
            (2, "SUPERSEDED", 2027, 2028),
            (3, "ADOPTED", 2027, 2028),
        ]
    with engine.begin() as connection, pytest.raises(IntegrityError, match="UNIQUE"):
        connection.execute(text("UPDATE plan_version SET status = 'ADOPTED' WHERE number = 1"))
    with engine.begin() as connection, pytest.raises(DBAPIError, match="immutable"):
        connection.execute(text("UPDATE plan_version SET plan_year = 2029 WHERE number = 1"))
    with engine.begin() as connection, pytest.raises(DBAPIError, match="immutable"):
        connection.execute(text("UPDATE plan_version SET status = 'ADOPTED' WHERE number = 2"))
    with engine.begin() as connection:  # adopted -> superseded is the one change an adopted version allows
        connection.execute(text("UPDATE plan_version SET status = 'SUPERSEDED' WHERE number = 3"))
    with engine.begin() as connection, pytest.raises(DBAPIError, match="cannot be changed"):
        connection.execute(text("DELETE FROM plan_version WHERE number = 1"))
    engine.dispose()


def test_the_migration_downgrades_to_0003_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'round.db'}"
    move_to(url, "head")
    engine = make_engine(url)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
        command.upgrade(config, "head")
    engine.dispose()


def test_on_postgresql_the_enums_grow_the_double_adoption_is_resolved_and_the_index_holds() -> None:
    from tests.support.postgres import running_postgres

    with running_postgres() as url:
        move_to(url, "0003")
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO cycle (id, year, status, config_hash, created_at) "
                    "VALUES (1, 2027, 'ACTIVE', 'x', '2027-01-01 08:00:00+00')"
                )
            )
            for number, status in ((1, "CONSULTATION"), (2, "ADOPTED"), (3, "ADOPTED")):
                connection.execute(text(ROW.format(id=number, status=status).replace(".000000'", "+00'")))
        engine.dispose()
        move_to(url, "head")
        engine = make_engine(url)
        with engine.begin() as connection:
            rows = connection.execute(text("SELECT number, status::text, plan_year FROM plan_version ORDER BY number"))
            assert [tuple(r) for r in rows] == [
                (1, "CONSULTATION", 2028),
                (2, "SUPERSEDED", 2028),
                (3, "ADOPTED", 2028),
            ]
            kinds = connection.execute(text("SELECT unnest(enum_range(NULL::handlingkind))::text")).scalars().all()
            assert kinds == ["DROFTING", "ORIENTERING", "TIL_ETTERRETNING", "VEDTAK", "IMPORTERT"]
        with engine.begin() as connection, pytest.raises(IntegrityError):
            connection.execute(text("UPDATE plan_version SET status = 'ADOPTED' WHERE number = 1"))
        with engine.begin() as connection, pytest.raises(DBAPIError, match="cannot be changed"):
            connection.execute(text("UPDATE plan_version SET status = 'ADOPTED' WHERE number = 2"))
        config = alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
            command.upgrade(config, "head")
        engine.dispose()
