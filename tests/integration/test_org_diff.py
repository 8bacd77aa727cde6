"""The import's preview (tasks/org/diff.py) says exactly what the import then does, and writes nothing itself."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from arshjul.cli import main
from arshjul.demo.municipality import write_demo_organisation
from config.settings import get_settings
from tasks.org.diff import ChangeSet, diff_organisation, fingerprint
from tasks.org.importer import ImportReport, import_organisation, read_organisation
from tasks.store.db import make_engine, migrate, session_scope
from tests.support.org import org_counts

AT = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'arshjul.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def demo(tmp_path: Path) -> list[Path]:
    return list(write_demo_organisation(tmp_path / "demo"))


def preview(engine: Engine, paths: list[Path]) -> ChangeSet:
    data, problems = read_organisation(paths)
    assert data is not None, problems
    before = org_counts(engine)
    with session_scope(engine) as session:
        changes = diff_organisation(session, data)
    assert org_counts(engine) == before  # the preview writes nothing
    return changes


def run(engine: Engine, paths: list[Path]) -> ImportReport:
    with session_scope(engine) as session:
        return import_organisation(session, paths, at=AT)


def edit(path: Path, key: str, change: dict[str, dict[str, str]], drop: frozenset[str] = frozenset()) -> None:
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    kept = [{**row, **change.get(row[key], {})} for row in rows if row[key] not in drop]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)


def assert_same(changes: ChangeSet, report: ImportReport) -> None:
    assert sorted(changes.lines()) == sorted(report.created + report.updated + report.deactivated)
    assert changes.unchanged == report.unchanged


def test_a_first_import_is_previewed_line_for_line(engine: Engine, demo: list[Path]) -> None:
    changes = preview(engine, demo)
    assert (len(changes.units_added), len(changes.people_added), len(changes.reps_added)) == (157, 171, 14)
    assert_same(changes, run(engine, demo))
    assert not preview(engine, demo).any  # and afterwards there is nothing left to change


def test_every_kind_of_change_is_previewed_as_the_import_then_reports_it(engine: Engine, demo: list[Path]) -> None:
    run(engine, demo)
    units, reps = demo
    with units.open(encoding="utf-8") as file:
        before = {row["unit_id"]: row for row in csv.DictReader(file)}
    edit(units, "unit_id", {
        "1001": {"name": "Nytt navn skole"},
        "1002": {"parent_id": "2000"},
        "1004": {"employees": "99", "leader_language": "nn"},
        "1005": {"leader_name": "Per Testesen", "leader_email": "per.testesen@fjordvik.kommune.no"},
        "2000": {"leader_name": "Ny Kommunalsjef", "leader_email": before["1002"]["leader_email"]},
    }, drop=frozenset({"1003"}))  # fmt: skip
    edit(units, "unit_id", {"1002": {"leader_name": "Ny Kommunalsjef"}})
    edit(reps, "email", {"andreas.fredriksen@fjordvik.kommune.no": {"union": "Delta"}},
         drop=frozenset({"knut.bakken@fjordvik.kommune.no"}))  # fmt: skip
    with reps.open("a", encoding="utf-8") as file:
        file.write("Nina Ny,nina.ny@fjordvik.kommune.no,Fagforbundet,0000\n")
    changes = preview(engine, demo)
    assert changes.units_renamed == [f"endret navn på 1001: {before['1001']['name']} → Nytt navn skole"]
    assert len(changes.units_moved) == 1 and changes.units_moved[0].startswith("flyttet 1002 ")
    assert changes.units_removed[0].startswith("deaktivert enhet 1003 ")
    assert any(line.startswith("endret leder for 1005: ") for line in changes.leaders_changed)
    assert any("endret språk for" in line for line in changes.people_changed)
    assert any("endret navn for" in line and "Ny Kommunalsjef" in line for line in changes.people_changed)
    assert changes.reps_added == ["ny tillitsvalgt Nina Ny (Fagforbundet) for 0000"]
    assert any("Delta" in line for line in changes.reps_changed) and any("fjernet" in x for x in changes.reps_changed)
    assert_same(changes, run(engine, demo))
    assert not preview(engine, demo).any


def test_a_unit_that_comes_back_is_previewed_as_active_again(engine: Engine, demo: list[Path]) -> None:
    run(engine, demo)
    original = demo[0].read_text(encoding="utf-8")
    edit(demo[0], "unit_id", {}, drop=frozenset({"1003"}))
    run(engine, demo)
    demo[0].write_text(original, encoding="utf-8")
    changes = preview(engine, demo)
    assert any(line.endswith("er aktiv igjen") for line in changes.units_changed)
    assert_same(changes, run(engine, demo))


def test_the_fingerprint_changes_with_the_organisation_and_only_then(engine: Engine, demo: list[Path]) -> None:
    with session_scope(engine) as session:
        empty = fingerprint(session)
    run(engine, demo)
    with session_scope(engine) as session:
        imported = fingerprint(session)
    run(engine, demo)
    with session_scope(engine) as session:
        again = fingerprint(session)
    assert empty != imported == again


def test_the_cli_dry_run_prints_the_preview_and_writes_nothing(
    engine: Engine,
    demo: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ARSHJUL_ENV", "test")
    monkeypatch.setenv("ARSHJUL_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        run(engine, demo)
        edit(demo[0], "unit_id", {"1001": {"name": "Nytt navn skole"}})
        before = org_counts(engine)
        assert main(["import-org", "--dry-run", *map(str, demo)]) == 0
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    assert "Enheter som får nytt navn (1):" in out and "→ Nytt navn skole" in out
    assert "Ingenting er lagret (--dry-run)." in out
    assert org_counts(engine) == before
