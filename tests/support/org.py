"""A small organisation for tests: one kommune, one sektor with a kommunalsjef, a few virksomheter, a tillitsvalgt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from domain.models import Event, OrgUnit, Person, Role, RoleKind, UnitLevel
from tasks.org.importer import ImportReport, import_organisation
from tasks.store.db import session_scope


@dataclass(frozen=True)
class SmallOrg:
    units: list[str]
    leaders: dict[str, str]  # unit id -> leader e-mail
    kommunalsjef: str
    tillitsvalgt: str


def build_small_org(session: Session, *, units: int = 3, language: str = "nb") -> SmallOrg:
    session.add(OrgUnit(id="K", name="Testvik kommune", level=UnitLevel.KOMMUNE))
    session.add(OrgUnit(id="S1", name="Helse og omsorg", parent_id="K", level=UnitLevel.SEKTOR))
    chief = _person(session, "Siri Kommunalsjef", "siri@testvik.no", language)
    session.add(Role(person_id=chief, kind=RoleKind.SECTOR_LEADER, unit_id="S1"))
    leaders: dict[str, str] = {}
    for n in range(1, units + 1):
        unit_id = f"V{n}"
        session.add(OrgUnit(id=unit_id, name=f"Enhet {n}", parent_id="S1", level=UnitLevel.VIRKSOMHET, employees=20))
        email = f"leder{n}@testvik.no"
        session.add(
            Role(
                person_id=_person(session, f"Leder {n}", email, language),
                kind=RoleKind.UNIT_LEADER,
                unit_id=unit_id,
            )
        )
        leaders[unit_id] = email
    tv = _person(session, "Tora Tillitsvalgt", "tora@testvik.no", language)
    session.add(Role(person_id=tv, kind=RoleKind.TILLITSVALGT, unit_id="K", union="Fagforbundet"))
    session.flush()
    return SmallOrg(
        units=list(leaders), leaders=leaders, kommunalsjef="siri@testvik.no", tillitsvalgt="tora@testvik.no"
    )


def _person(session: Session, name: str, email: str, language: str) -> int:
    person = Person(name=name, email=email, language=language)
    session.add(person)
    session.flush()
    assert person.id is not None
    return person.id


def org_counts(engine: Engine) -> tuple[int, int, int, int]:
    """Rows of units, people, roles and events: what an import that is refused must leave as it was."""
    with Session(engine) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(model)).one() for model in (OrgUnit, Person, Role, Event)
        )


def import_files(engine: Engine, paths: list[Path], at: datetime) -> ImportReport:
    """The real importer in its own transaction, as `arshjul import-org` runs it."""
    with session_scope(engine) as session:
        return import_organisation(session, paths, at=at)
