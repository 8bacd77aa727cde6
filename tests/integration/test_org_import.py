"""Importing the organisation into a real, migrated SQLite file: clean import, re-import, changes, errors."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from arshjul.demo.municipality import write_demo_organisation
from domain.models import Event, OrgUnit, Person, Role, RoleKind
from tasks.org.importer import ImportReport, import_organisation
from tasks.store.db import make_engine, migrate, session_scope

AT = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
UNIT_HEADER = "unit_id,name,parent_id,level,leader_name,leader_email,employees\n"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, Path]:
    return write_demo_organisation(tmp_path / "demo")


def run_import(engine: Engine, paths: list[Path], *, dry_run: bool = False) -> ImportReport:
    with session_scope(engine) as session:
        return import_organisation(session, paths, at=AT, dry_run=dry_run)


def count(engine: Engine, model: type, *where: object) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()  # type: ignore[arg-type]


def snapshot(engine: Engine) -> tuple[int, int, int, int, int]:
    active = count(engine, OrgUnit, col(OrgUnit.active))
    return count(engine, OrgUnit), active, count(engine, Person), count(engine, Role), count(engine, Event)


def test_demo_organisation_imports_cleanly(engine: Engine, demo: tuple[Path, Path]) -> None:
    report = run_import(engine, list(demo))
    assert report.problems == []
    assert count(engine, OrgUnit) == 157  # kommune + 6 sectors + 150 virksomheter
    assert count(engine, Person) == 157 + 14  # the leaders, 2 tillitsvalgte per sector, 2 hovedtillitsvalgte
    assert count(engine, Role, Role.kind == RoleKind.UNIT_LEADER) == 151
    assert count(engine, Role, Role.kind == RoleKind.SECTOR_LEADER) == 6
    assert count(engine, Role, Role.kind == RoleKind.TILLITSVALGT) == 14
    assert "ny enhet 0000 Fjordvik kommune" in report.created[0]
    with Session(engine) as session:
        event = session.exec(select(Event)).one()
        assert event.kind == "org.imported" and event.actor == "import" and event.at == AT
        assert event.payload == {
            "created": len(report.created),
            "updated": 0,
            "deactivated": 0,
            "files": ["enheter.csv", "tillitsvalgte.csv"],
        }
        assert sum(u.employees for u in session.exec(select(OrgUnit)).all()) == pytest.approx(6500, rel=0.05)


def test_reimport_changes_nothing_and_writes_no_event(engine: Engine, demo: tuple[Path, Path]) -> None:
    run_import(engine, list(demo))
    before = snapshot(engine)
    report = run_import(engine, list(demo))
    assert (report.problems, report.created, report.updated, report.deactivated) == ([], [], [], [])
    assert report.unchanged == 157
    assert snapshot(engine) == before


def _rewrite(path: Path, change: dict[str, dict[str, str]], drop: set[str]) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    original = {row["unit_id"]: dict(row) for row in rows}
    kept = [{**row, **change.get(row["unit_id"], {})} for row in rows if row["unit_id"] not in drop]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    return original


def test_changes_are_reported_line_by_line_and_applied(engine: Engine, demo: tuple[Path, Path]) -> None:
    run_import(engine, list(demo))
    new_leader = {"leader_name": "Per Testesen", "leader_email": "Per.Testesen@fjordvik.kommune.no"}
    old = _rewrite(demo[0], {"1001": new_leader, "1002": {"name": "Nytt navn skole"}}, {"1003"})
    report = run_import(engine, list(demo))
    assert report.problems == []
    assert report.created == ["ny person Per Testesen <per.testesen@fjordvik.kommune.no>"]
    assert report.updated == [
        f"endret navn på 1002: {old['1002']['name']} → Nytt navn skole",
        f"endret leder for 1001: {old['1001']['leader_name']} → Per Testesen",
    ]
    assert report.deactivated == [f"deaktivert enhet 1003 {old['1003']['name']}"]
    assert report.unchanged == 157 - 3
    with Session(engine) as session:
        query = select(Person.email).join(Role, col(Role.person_id) == col(Person.id))
        leaders = session.exec(query.where(Role.unit_id == "1001")).all()
        assert leaders == ["per.testesen@fjordvik.kommune.no"]
        assert session.get(OrgUnit, "1003").active is False  # type: ignore[union-attr]
        assert session.exec(select(Role).where(Role.unit_id == "1003")).all() == []
        assert session.get(OrgUnit, "1002").name == "Nytt navn skole"  # type: ignore[union-attr]
        events = session.exec(select(Event).order_by(col(Event.id))).all()
        assert [e.payload["deactivated"] for e in events] == [0, 1]


def _bad_files(folder: Path) -> list[Path]:
    units = folder / "enheter.csv"
    units.write_text(
        UNIT_HEADER
        + "1,Testvik kommune,,kommune,Kari Nordmann,kari@testvik.no,5\n"  # row 2
        + "10,Helse,1,sektor,,,3\n"  # row 3: sector without leader
        + "11,Solbakken sykehjem,99,virksomhet,Per Hansen,per@testvik.no,80\n"  # row 4: unknown parent
        + "12,Lia skole,13,virksomhet,Anne Lie,anne@testvik.no,40\n"  # row 5: cycle 12 → 13 → 12
        + "13,Lia barnehage,12,virksomhet,Ola Berg,ola(at)testvik.no,20\n"  # row 6: cycle, bad e-mail
        + "11,Solbakken hjemmetjeneste,10,virksomhet,Liv Moe,liv@testvik.no,12a\n"  # row 7: dup id, employees
        + "14,Teknisk,1,bydel,Tor Dahl,tor@testvik.no,4\n"  # row 8: bad level
        + "15,Kultur,1,sektor,Kari Hansen,kari@testvik.no,4\n",  # row 9: same e-mail, other name
        encoding="utf-8",
    )
    reps = folder / "tillitsvalgte.csv"
    reps.write_text("navn,e-post,enhet\nOla Tillit,ola.t@testvik.no,77\n", encoding="utf-8")
    return [units, reps]


def test_every_error_is_listed_with_its_row_and_nothing_is_written(
    engine: Engine, demo: tuple[Path, Path], tmp_path: Path
) -> None:
    run_import(engine, list(demo))
    before = snapshot(engine)
    report = run_import(engine, _bad_files(tmp_path))
    found = {(p.source, p.row, p.field) for p in report.problems}
    assert found >= {
        ("tillitsvalgte.csv", 1, "union"),  # missing column
        ("enheter.csv", 3, "leader_name"),
        ("enheter.csv", 3, "leader_email"),  # sector without leader
        ("enheter.csv", 4, "parent_id"),  # unknown parent
        ("enheter.csv", 5, "parent_id"),  # the cycle, on its first row
        ("enheter.csv", 6, "leader_email"),  # invalid e-mail
        ("enheter.csv", 7, "unit_id"),  # duplicate id
        ("enheter.csv", 7, "employees"),  # 12a
        ("enheter.csv", 8, "level"),  # bydel
        ("enheter.csv", 9, "leader_email"),  # one address, two names
        ("tillitsvalgte.csv", 2, "unit_id"),  # unknown scope
    }
    text = "\n".join(map(str, report.problems))
    assert "enheter.csv, rad 5, parent_id: enhetene danner en sirkel: 12 → 13 → 12" in text
    assert "enheter.csv, rad 6, leader_email: 'ola(at)testvik.no' er ikke en gyldig e-postadresse" in text
    assert "enheter.csv, rad 7, employees: '12a' er ikke et gyldig antall ansatte" in text
    assert "enheter.csv, rad 7, unit_id: enhets-ID 11 er brukt flere ganger (første gang på rad 4)" in text
    assert (report.created, report.updated, report.deactivated) == ([], [], [])
    assert snapshot(engine) == before


def test_levels_must_go_down_and_the_root_is_the_kommune(engine: Engine, tmp_path: Path) -> None:
    units = tmp_path / "enheter.csv"
    units.write_text(
        UNIT_HEADER
        + "1,Helse,,sektor,Kari Nordmann,kari@testvik.no,5\n"
        + "2,Avdeling A,1,avdeling,,,5\n"
        + "3,Sykehjem,2,Tjenestested,Per Hansen,per@testvik.no,50\n",
        encoding="utf-8",
    )
    report = run_import(engine, [units])
    assert [str(p) for p in report.problems] == [
        "enheter.csv, rad 2, level: enheten øverst i treet må ha nivå kommune, ikke sektor",
        "enheter.csv, rad 4, level: nivå virksomhet kan ikke ligge under 2, som har nivå avdeling",
    ]
    assert count(engine, OrgUnit) == 0


def test_dry_run_reports_but_writes_nothing(engine: Engine, demo: tuple[Path, Path]) -> None:
    report = run_import(engine, list(demo), dry_run=True)
    assert report.problems == [] and len(report.created) == 157 + 171 + 14
    assert snapshot(engine) == (0, 0, 0, 0, 0)
    run_import(engine, list(demo))
    before = snapshot(engine)
    old = _rewrite(demo[0], {"1001": {"employees": "99"}}, set())
    report = run_import(engine, list(demo), dry_run=True)
    assert report.updated == [f"endret antall ansatte for 1001: {old['1001']['employees']} → 99"]
    assert snapshot(engine) == before
    with Session(engine) as session:
        assert session.get(OrgUnit, "1001").employees != 99  # type: ignore[union-attr]


def test_nonsense_in_employees_is_a_problem(engine: Engine, tmp_path: Path) -> None:
    units = tmp_path / "enheter.csv"
    row = "1,Testvik kommune,,kommune,Kari Nordmann,kari@testvik.no,12a\n"
    units.write_text(UNIT_HEADER + row, encoding="utf-8")
    report = run_import(engine, [units])
    assert [(p.row, p.field) for p in report.problems] == [(2, "employees")]
    assert count(engine, OrgUnit) == 0 and count(engine, Event) == 0
