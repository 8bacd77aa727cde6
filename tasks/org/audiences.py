"""Who an årshjul audience is: the people (with the unit each is asked for) behind `who:` and its filters."""

from __future__ import annotations

from sqlmodel import Session, col, select

from domain.aarshjul.bodies import PlanBody, find_body
from domain.aarshjul.parts import Audience, AudienceEntry
from domain.models import OrgUnit, Person, RoleKind, UnitLevel
from tasks.org.people import hr_people, leaders, sector_of, unit_leaders
from tasks.org.roster import roster

Asked = list[tuple[Person, str | None]]
HOVED_LEVELS = (UnitLevel.KOMMUNE, UnitLevel.SEKTOR)


def audience_people(session: Session, entry: AudienceEntry, bodies: list[PlanBody]) -> Asked:
    """The people an audience entry names, each with the unit they are asked or told for, filters applied."""
    asked = _who(session, entry, bodies)
    if entry.sectors:
        wanted = {_norm(s) for s in entry.sectors}
        asked = [
            (p, u)
            for p, u in asked
            if (sector := sector_of(session, u)) and wanted & {_norm(sector.id), _norm(sector.name)}
        ]
    if entry.level:
        levels = _levels(session)
        asked = [(p, u) for p, u in asked if u is not None and levels.get(u) == UnitLevel(entry.level)]
    if entry.kinds:
        wanted_kinds, kinds = {_norm(k) for k in entry.kinds}, _kinds(session)
        asked = [(p, u) for p, u in asked if u is not None and kinds.get(u) in wanted_kinds]
    return asked


def _who(session: Session, entry: AudienceEntry, bodies: list[PlanBody]) -> Asked:
    match entry.who:
        case Audience.UNIT_LEADERS:
            return [(person, unit.id) for person, unit in unit_leaders(session)]
        case Audience.SECTOR_LEADERS:
            return [(p, r.unit_id) for p, r in leaders(session, RoleKind.SECTOR_LEADER)]
        case Audience.TILLITSVALGTE:
            return [(p, r.unit_id) for p, r in leaders(session, RoleKind.TILLITSVALGT)]
        case Audience.HOVEDTILLITSVALGTE | Audience.PLASSTILLITSVALGTE:
            levels = _levels(session)
            hoved = entry.who == Audience.HOVEDTILLITSVALGTE
            return [
                (p, r.unit_id)
                for p, r in leaders(session, RoleKind.TILLITSVALGT)
                if (r.unit_id is None or levels.get(r.unit_id) in HOVED_LEVELS) == hoved
            ]
        case Audience.HR:
            return [(person, None) for person in hr_people(session)]
        case Audience.KOMMUNEDIREKTOR:
            levels = _levels(session)
            return [
                (p, r.unit_id)
                for p, r in leaders(session, RoleKind.UNIT_LEADER)
                if r.unit_id is not None and levels.get(r.unit_id) == UnitLevel.KOMMUNE
            ]
        case Audience.BODY_MEMBERS:
            body = find_body(bodies, entry.body or "")
            return [(_member(session, m.name, m.email), None) for m in (roster(session, body) if body else ())]
        case Audience.EMPLOYEES:
            return employees_or_leaders(session)
    return []


def employees_or_leaders(session: Session) -> Asked:
    """Employees from the organisation import; where a unit has none imported, its leader (to pass the word on)."""
    employees = [(p, r.unit_id) for p, r in leaders(session, RoleKind.EMPLOYEE)]
    covered = {unit for _, unit in employees}
    return employees + [(person, unit.id) for person, unit in unit_leaders(session) if unit.id not in covered]


def _member(session: Session, name: str, email: str) -> Person:
    """The person behind a body's member (imported, or typed into the årshjul file and created on first use)."""
    address = email.lower()
    person = session.exec(select(Person).where(Person.email == address)).first()
    if person is None:
        person = Person(name=name, email=address)
        session.add(person)
        session.flush()
    return person


def _levels(session: Session) -> dict[str, UnitLevel]:
    return {u.id: u.level for u in session.exec(select(OrgUnit).where(col(OrgUnit.active)))}


def _kinds(session: Session) -> dict[str, str]:
    """unit id -> its kind as compared (lower case, single spaces), for the active units that have one."""
    units = session.exec(select(OrgUnit).where(col(OrgUnit.active)))
    return {u.id: _norm(u.kind) for u in units if u.kind}


def _norm(text: str) -> str:
    return " ".join(text.lower().split())
