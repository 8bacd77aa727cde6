"""Migration 0012 on a database written before it, on SQLite and PostgreSQL: the table of seats comes with the
upgrade, holds one seat per body and person, and goes with the downgrade, leaving the people as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tasks.store.db import make_engine
from tests.support.migrations import move_to

SEAT = "INSERT INTO body_membership (body, person_id, role) VALUES ('AMU', 1, 'leder')"


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def _up_and_down(url: str) -> None:
    move_to(url, "0011")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO person (id, name, email, language) VALUES (1, 'Siri', 'siri@x.no', 'nb')"))
    engine.dispose()
    assert "body_membership" not in _tables(url)
    move_to(url, "0012")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(SEAT))
    with engine.begin() as connection, pytest.raises(IntegrityError):
        connection.execute(text(SEAT.replace("'leder'", "'medlem'")))  # one seat per body and person
    engine.dispose()
    move_to(url, "0011", down=True)
    assert "body_membership" not in _tables(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT id, email FROM person")).all() == [(1, "siri@x.no")]
    engine.dispose()
    move_to(url, "head")


def test_0012_up_and_down_on_sqlite(tmp_path: Path) -> None:
    _up_and_down(f"sqlite:///{tmp_path / 'old.db'}")


def test_0012_up_and_down_on_postgresql() -> None:
    from tests.support.postgres import running_postgres

    with running_postgres() as url:
        _up_and_down(url)
