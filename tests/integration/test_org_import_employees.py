"""The optional table of employees: name, e-mail and unit; every bad row named, nothing written; notices find them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from domain.aarshjul.parts import Audience, AudienceEntry
from domain.models import Person, Role, RoleKind
from tasks.org.audiences import audience_people
from tasks.org.diff import ChangeSet, diff_organisation
from tasks.org.importer import read_organisation
from tasks.store.db import make_engine, migrate
from tests.support.org import import_files, org_counts

AT = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
UNITS = (
    "unit_id,name,parent_id,level,leader_name,leader_email\n"
    "K,Testvik kommune,,kommune,Dina Direktør,dina@testvik.no\n"
    "S1,Helse og omsorg,K,sektor,Siri Sjef,siri@testvik.no\n"
    "V1,Bo og omsorg,S1,virksomhet,Leder En,leder1@testvik.no\n"
    "V2,Hjemmetjenesten,S1,virksomhet,Leder To,leder2@testvik.no\n"
)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def files(tmp_path: Path, staff: str) -> list[Path]:
    units, employees = tmp_path / "enheter.csv", tmp_path / "ansatte.csv"
    units.write_text(UNITS, encoding="utf-8")
    employees.write_text("navn;e-post;enhet\n" + staff, encoding="utf-8")
    return [units, employees]


def test_employees_are_imported_and_a_notice_to_employees_reaches_them_or_their_leader(
    engine: Engine, tmp_path: Path
) -> None:
    report = import_files(
        engine, files(tmp_path, "Ansatt En;ansatt1@testvik.no;V1\nAnsatt To;ANSATT2@testvik.no;V1\n"), AT
    )
    assert report.problems == []
    assert "ny ansatt Ansatt To i V1" in report.created
    with Session(engine) as session:
        roles = session.exec(select(Person.email, Role.unit_id).join(Role).where(Role.kind == RoleKind.EMPLOYEE)).all()
        assert sorted(roles) == [("ansatt1@testvik.no", "V1"), ("ansatt2@testvik.no", "V1")]
        told = audience_people(session, AudienceEntry(who=Audience.EMPLOYEES), [])
        assert sorted(p.email for p, _ in told) == ["ansatt1@testvik.no", "ansatt2@testvik.no", "leder2@testvik.no"]
    report = import_files(engine, files(tmp_path, "Ansatt En;ansatt1@testvik.no;V2\n"), AT)
    assert report.problems == []
    assert "flyttet ansatt Ansatt En: V1 → V2" in report.updated
    assert "fjernet ansatt Ansatt To fra V1" in report.updated


def test_a_bad_employee_table_names_every_row_and_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    before = org_counts(engine)
    staff = (
        "Ansatt En;ansatt1@testvik.no;V1\nAnsatt Fem;ansatt5@testvik.no;V9\nAnsatt To;ikke-en-adresse;V1\n"
        ";ansatt3@testvik.no;V1\nAnsatt En;ansatt1@testvik.no;V2\n"
    )
    report = import_files(engine, files(tmp_path, staff), AT)
    assert [(p.row, p.field) for p in report.problems] == [(3, "unit_id"), (4, "email"), (5, "name"), (6, "email")]
    assert str(report.problems[0]) == "ansatte.csv, rad 3, unit_id: enheten 'V9' finnes ikke blant enhetene"
    assert (
        str(report.problems[3]) == "ansatte.csv, rad 6, email: ansatt1@testvik.no er oppført som ansatt før, på rad 2"
    )
    assert org_counts(engine) == before


def test_the_preview_shows_the_employees_the_import_then_adds_moves_and_removes(engine: Engine, tmp_path: Path) -> None:
    def preview(staff: str) -> tuple[ChangeSet, list[str]]:
        data, problems = read_organisation(files(tmp_path, staff))
        assert data is not None, problems
        with Session(engine) as session:
            changes = diff_organisation(session, data)
        return changes, sorted(changes.lines())

    first = "Ansatt En;ansatt1@testvik.no;V1\nAnsatt To;ansatt2@testvik.no;V1\n"
    changes, lines = preview(first)
    assert changes.employees_added == ["ny ansatt Ansatt En i V1", "ny ansatt Ansatt To i V1"]
    assert "ny person Ansatt To <ansatt2@testvik.no>" in changes.people_added
    report = import_files(engine, files(tmp_path, first), AT)
    assert lines == sorted(report.created + report.updated + report.deactivated)
    changes, lines = preview("Ansatt En;ansatt1@testvik.no;V2\n")
    assert changes.employees_changed == ["flyttet ansatt Ansatt En: V1 → V2", "fjernet ansatt Ansatt To fra V1"]
    report = import_files(engine, files(tmp_path, "Ansatt En;ansatt1@testvik.no;V2\n"), AT)
    assert lines == sorted(report.created + report.updated + report.deactivated)
    assert not preview("Ansatt En;ansatt1@testvik.no;V2\n")[0].any
