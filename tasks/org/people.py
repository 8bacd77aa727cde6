"""Who is who: leaders of units, the kommunalsjef above a unit, HR, tillitsvalgte."""

from __future__ import annotations

from typing import Final

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

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


def units_led_by(session: Session, email: str) -> list[str]:
    """The ids of the units the person with this e-mail leads now (a signed-in leader sees these)."""
    rows = session.exec(
        select(Role.unit_id)
        .join(Person, col(Person.id) == col(Role.person_id))
        .where(func.lower(Person.email) == email.lower(), Role.kind == RoleKind.UNIT_LEADER)
        .order_by(col(Role.unit_id))
    ).all()
    return [unit_id for unit_id in rows if unit_id]


def sector_of(session: Session, unit_id: str | None) -> OrgUnit | None:
    """The sektor a unit belongs to (itself if it is one)."""
    seen: set[str] = set()
    while unit_id and unit_id not in seen:
        seen.add(unit_id)
        shape = _shape(session, unit_id)
        if shape is None:
            return None
        parent_id, is_sector = shape
        if is_sector:
            return session.get(OrgUnit, unit_id)
        unit_id = parent_id
    return None


def units_in_sector(session: Session, sector_id: str) -> list[str]:
    """The sektor's own id and every unit below it, active or not: the units whose `sector_of` is this sektor."""
    return [str(unit_id) for unit_id in session.exec(sector_unit_ids(sector_id)).all()]


def sector_unit_ids(sector_id: str) -> SelectOfScalar[str]:
    """`units_in_sector` as a query, to use in `col(...).in_(...)` without bringing the ids into Python."""
    below = select(OrgUnit.id).where(OrgUnit.id == sector_id).cte("below", recursive=True)
    below = below.union(
        select(OrgUnit.id)
        .join(below, col(OrgUnit.parent_id) == below.c.id)
        .where(OrgUnit.level != UnitLevel.SEKTOR)  # a sektor further down answers for its own units
    )
    return select(below.c.id)


Shape = tuple[str | None, bool]  # (parent id, is a sektor)
_TREE: Final = "arshjul_unit_tree"
_LOOKUPS: Final = "arshjul_unit_lookups"
_SEEN: Final = "arshjul_units_seen"
_DIRECT_LOOKUPS: Final = 16  # below this many units a session looks each up; above, it reads the tree once


def _shape(session: Session, unit_id: str) -> Shape | None:
    """(parent, is a sektor) of a unit; a session that asks about many units reads the whole tree in one query."""
    live = session.identity_map.get((OrgUnit, (unit_id,), None))  # SQLAlchemy's identity key: class, pk, token
    if isinstance(live, OrgUnit):  # loaded here, possibly changed in this unit of work: the object is the truth
        return live.parent_id, live.level == UnitLevel.SEKTOR
    tree: dict[str, Shape] | None = session.info.get(_TREE)
    if tree is None:
        lookups = session.info[_LOOKUPS] = session.info.get(_LOOKUPS, 0) + 1
        if lookups > _DIRECT_LOOKUPS:
            rows = session.exec(select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.level == UnitLevel.SEKTOR)).all()
            tree = session.info[_TREE] = {row_id: (parent, bool(sektor)) for row_id, parent, sektor in rows}
    if tree is not None and unit_id in tree:
        return tree[unit_id]
    unit = session.get(OrgUnit, unit_id)  # few lookups so far, or a unit added after the tree was read
    if unit is None:
        return None
    # Held for the session: it keeps objects only weakly, and `sector_of` asks for the sektor itself right after.
    session.info.setdefault(_SEEN, []).append(unit)
    return unit.parent_id, unit.level == UnitLevel.SEKTOR


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
