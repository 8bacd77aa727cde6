"""Migration 0011 on a database written before it: units keep their rows and get no kind; down again drops it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from tasks.store.db import make_engine
from tests.support.migrations import move_to


def _columns(url: str) -> list[str]:
    engine = make_engine(url)
    columns = [column["name"] for column in inspect(engine).get_columns("org_unit")]
    engine.dispose()
    return columns


def test_the_kind_column_comes_with_0011_and_goes_with_its_downgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    move_to(url, "0010")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO org_unit (id, name, parent_id, level, employees, active) VALUES "
                 "('K', 'Testvik kommune', NULL, 'KOMMUNE', 0, 1), ('V1', 'Bakken skole', 'K', 'VIRKSOMHET', 12, 1)")
        )  # fmt: skip
    engine.dispose()
    assert "kind" not in _columns(url)
    move_to(url, "0011")
    engine = make_engine(url)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT id, employees, kind FROM org_unit ORDER BY id")).all() == [
            ("K", 0, None),
            ("V1", 12, None),
        ]
        connection.execute(text("UPDATE org_unit SET kind = 'skole' WHERE id = 'V1'"))
    engine.dispose()
    move_to(url, "0010", down=True)
    assert "kind" not in _columns(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT id, name, employees FROM org_unit ORDER BY id")).all() == [
            ("K", "Testvik kommune", 0),
            ("V1", "Bakken skole", 12),
        ]
    engine.dispose()
