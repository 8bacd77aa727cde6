"""The optional unit kind column: read, lower-cased and stored; a too-long value refused with row and field; the
audience filter `kinds:` keeps the people of units of those kinds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from arshjul.demo.municipality import write_demo_organisation
from domain.aarshjul.parts import Audience, AudienceEntry
from domain.models import OrgUnit, UnitLevel
from tasks.org.audiences import audience_people
from tasks.org.diff import diff_organisation, fingerprint
from tasks.org.importer import read_organisation
from tasks.store.db import make_engine, migrate, session_scope
from tests.support.org import import_files, org_counts

AT = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
HEADER = "unit_id,name,parent_id,level,leader_name,leader_email,enhetstype\n"
ROWS = (
    "K,Testvik kommune,,kommune,Dina Direktør,dina@testvik.no,\n"
    "S1,Oppvekst,K,sektor,Siri Sjef,siri@testvik.no,\n"
    "V1,Bakken skole,S1,virksomhet,Leder En,leder1@testvik.no, Skole \n"
    "V2,Solsiden barnehage,S1,virksomhet,Leder To,leder2@testvik.no,barnehage\n"
    "V3,Helsestasjonen,S1,virksomhet,Leder Tre,leder3@testvik.no,\n"
)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def units_file(tmp_path: Path, text: str) -> list[Path]:
    path = tmp_path / "enheter.csv"
    path.write_text(text, encoding="utf-8")
    return [path]


def test_the_kind_column_is_stored_lower_case_and_the_kinds_filter_keeps_those_units(
    engine: Engine, tmp_path: Path
) -> None:
    report = import_files(engine, units_file(tmp_path, HEADER + ROWS), AT)
    assert report.problems == []
    with Session(engine) as session:
        kinds = dict(session.exec(select(OrgUnit.id, OrgUnit.kind)).all())
        entry = AudienceEntry(who=Audience.UNIT_LEADERS, kinds=("SKOLE", "Barnehage"))
        kept = sorted((p.email, u) for p, u in audience_people(session, entry, []))
        schools = audience_people(session, AudienceEntry(who=Audience.UNIT_LEADERS, kinds=("skole",)), [])
    assert kinds == {"K": None, "S1": None, "V1": "skole", "V2": "barnehage", "V3": None}
    assert kept == [("leder1@testvik.no", "V1"), ("leder2@testvik.no", "V2")]
    assert [(p.email, u) for p, u in schools] == [("leder1@testvik.no", "V1")]
    renamed = HEADER.replace("enhetstype", "type") + ROWS.replace(",barnehage\n", ",sykehjem\n")
    data, problems = read_organisation(units_file(tmp_path, renamed))
    assert data is not None, problems
    with session_scope(engine) as session:
        before = fingerprint(session)
        changes = diff_organisation(session, data)
    assert changes.units_changed == ["endret enhetstype for V2: barnehage → sykehjem"]  # the preview says it first
    report = import_files(engine, units_file(tmp_path, renamed), AT)
    with session_scope(engine) as session:
        assert fingerprint(session) != before
    assert report.problems == []
    assert "endret enhetstype for V2: barnehage → sykehjem" in report.updated


def test_a_too_long_kind_is_refused_with_row_and_field_and_nothing_is_written(engine: Engine, tmp_path: Path) -> None:
    text = HEADER + ROWS.replace(",barnehage\n", "," + "b" * 65 + "\n")
    report = import_files(engine, units_file(tmp_path, text), AT)
    assert [str(p) for p in report.problems] == ["enheter.csv, rad 5, kind: teksten er for lang (65 tegn, høyst 64)"]
    assert org_counts(engine) == (0, 0, 0, 0)


def test_the_demo_organisation_gives_each_virksomhet_the_kind_of_its_name(engine: Engine, tmp_path: Path) -> None:
    report = import_files(engine, list(write_demo_organisation(tmp_path / "demo", units=40)), AT)
    assert report.problems == []
    with Session(engine) as session:
        units = session.exec(select(OrgUnit)).all()
    kinds: dict[UnitLevel, set[str | None]] = {unit.level: set() for unit in units}
    for unit in units:
        kinds[unit.level].add(unit.kind)
    assert kinds[UnitLevel.KOMMUNE] == kinds[UnitLevel.SEKTOR] == {None}
    schools = [unit.name for unit in units if unit.kind == "skole"]
    assert schools and all(name.endswith(" skole") for name in schools)
    assert None not in kinds[UnitLevel.VIRKSOMHET] and {"skole", "sykehjem"} <= kinds[UnitLevel.VIRKSOMHET]
