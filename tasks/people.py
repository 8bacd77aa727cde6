"""Who is who: leaders of units, the kommunalsjef above a unit, HR, tillitsvalgte."""

from __future__ import annotations

from sqlmodel import Session, col, select

from config.settings import Settings
from domain.models import OrgUnit, Person, Role, RoleKind, UnitLevel


def leaders(session: Session, kind: RoleKind) -> list[tuple[Person, Role]]:
    """People holding a role, with the role (its unit or scope), in a stable order."""
    rows = session.exec(
        select(Person, Role)
        .join(Role, col(Role.person_id) == col(Person.id))
        .where(Role.kind == kind)
        .order_by(col(Role.unit_id), col(Person.id))
    ).all()
    active = _active_unit_ids(session)
    return [(person, role) for person, role in rows if role.unit_id is None or role.unit_id in active]


def unit_leaders(session: Session) -> list[tuple[Person, OrgUnit]]:
    """Every active virksomhet with its leader: the ones who answer the unit tasks."""
    units = {u.id: u for u in session.exec(select(OrgUnit).where(OrgUnit.active)).all()}
    return [
        (person, units[role.unit_id])
        for person, role in leaders(session, RoleKind.UNIT_LEADER)
        if role.unit_id in units and units[role.unit_id].level == UnitLevel.VIRKSOMHET
    ]


def sector_of(session: Session, unit_id: str | None) -> OrgUnit | None:
    """The sektor a unit belongs to (itself if it is one)."""
    seen: set[str] = set()
    while unit_id and unit_id not in seen:
        seen.add(unit_id)
        unit = session.get(OrgUnit, unit_id)
        if unit is None:
            return None
        if unit.level == UnitLevel.SEKTOR:
            return unit
        unit_id = unit.parent_id
    return None


def sector_leader(session: Session, unit_id: str | None) -> Person | None:
    """The kommunalsjef of the unit's sector: the escalation target for an overdue unit."""
    sector = sector_of(session, unit_id)
    if sector is None:
        return None
    return session.exec(
        select(Person)
        .join(Role, col(Role.person_id) == col(Person.id))
        .where(Role.kind == RoleKind.SECTOR_LEADER, Role.unit_id == sector.id)
    ).first()


def hr_people(session: Session) -> list[Person]:
    return [person for person, _ in leaders(session, RoleKind.HR)]


def ensure_hr(session: Session, settings: Settings, name: str = "HR-koordinator") -> Person:
    """The HR coordinator from the settings exists as a person with the HR role."""
    email = settings.hr_email.lower()
    person = session.exec(select(Person).where(Person.email == email)).first()
    if person is None:
        person = Person(name=name, email=email, language=settings.default_language)
        session.add(person)
        session.flush()
    if not session.exec(select(Role).where(Role.person_id == person.id, Role.kind == RoleKind.HR)).first():
        assert person.id is not None
        session.add(Role(person_id=person.id, kind=RoleKind.HR))
    return person


def _active_unit_ids(session: Session) -> set[str]:
    return set(session.exec(select(OrgUnit.id).where(OrgUnit.active)).all())
