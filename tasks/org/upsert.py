"""Writing a validated organisation into the database: units and people, then their roles."""

from __future__ import annotations

from sqlmodel import Session, select

from domain.models import OrgUnit, Person
from tasks.org.employees import sync_employees
from tasks.org.members import sync_members
from tasks.org.roles import sync_leaders, sync_representatives
from tasks.org.types import Changes, OrgData, UnitSpec


def apply_organisation(session: Session, data: OrgData) -> Changes:
    """Upsert units by id and people by e-mail, then leader and tillitsvalgt roles; flushes, never commits."""
    changes = Changes()
    new_ids = _sync_units(session, data.units, changes)
    people = _sync_people(session, data, changes)
    sync_leaders(session, data.units, people, new_ids, changes)
    if data.representatives is not None:
        sync_representatives(session, data.representatives, people, changes)
    if data.employees is not None:
        sync_employees(session, data.employees, people, changes)
    if data.members is not None:
        sync_members(session, data.members, people, changes)
    session.flush()
    return changes


def _sync_units(session: Session, specs: list[UnitSpec], changes: Changes) -> set[str]:
    """Insert, update and deactivate units; the ids of the new ones."""
    existing = {unit.id: unit for unit in session.exec(select(OrgUnit)).all()}
    new_ids = {spec.id for spec in specs if spec.id not in existing}
    for spec in specs:  # parent-first, so each new unit's parent is inserted before it
        if spec.id in new_ids:
            existing[spec.id] = _new_unit(session, spec, changes)
    session.flush()
    for spec in specs:
        if spec.id not in new_ids:
            _update_unit(existing[spec.id], spec, changes)
    wanted = {spec.id for spec in specs}
    for unit in existing.values():
        if unit.id not in wanted and unit.active:
            unit.active = False
            changes.deactivated.append(f"deaktivert enhet {unit.id} {unit.name}")
    session.flush()
    return new_ids


def _new_unit(session: Session, spec: UnitSpec, changes: Changes) -> OrgUnit:
    unit = OrgUnit(id=spec.id, name=spec.name, parent_id=spec.parent_id, level=spec.level, employees=spec.employees)
    unit.kind = spec.kind
    session.add(unit)
    leader = f" (leder: {spec.leader_name})" if spec.leader_name else ""
    changes.created.append(f"ny enhet {spec.id} {spec.name}{leader}")
    changes.touched.add(spec.id)
    return unit


def _update_unit(unit: OrgUnit, spec: UnitSpec, changes: Changes) -> None:
    lines = []
    if unit.name != spec.name:
        lines.append(f"endret navn på {unit.id}: {unit.name} → {spec.name}")
    if unit.parent_id != spec.parent_id:
        lines.append(f"flyttet {unit.id} {spec.name}: fra under {unit.parent_id} til under {spec.parent_id}")
    if unit.level != spec.level:
        lines.append(f"endret nivå for {unit.id}: {unit.level} → {spec.level}")
    if unit.employees != spec.employees:
        lines.append(f"endret antall ansatte for {unit.id}: {unit.employees} → {spec.employees}")
    if spec.kind_given and unit.kind != spec.kind:
        lines.append(f"endret enhetstype for {unit.id}: {unit.kind or '(ingen)'} → {spec.kind or '(ingen)'}")
        unit.kind = spec.kind
    if not unit.active:
        lines.append(f"enhet {unit.id} {spec.name} er aktiv igjen")
    unit.name, unit.parent_id, unit.level = spec.name, spec.parent_id, spec.level
    unit.employees, unit.active = spec.employees, True
    changes.updated += lines
    if lines:
        changes.touched.add(unit.id)


def _sync_people(session: Session, data: OrgData, changes: Changes) -> dict[str, Person]:
    """Everyone named in the files, by lower-case e-mail; people not named are left alone."""
    people = {person.email.lower(): person for person in session.exec(select(Person)).all()}
    for email, (name, language) in wanted_people(data).items():
        person = people.get(email)
        if person is None:
            people[email] = Person(name=name, email=email, language=language or "nb")
            session.add(people[email])
            changes.created.append(f"ny person {name} <{email}>")
            continue
        if person.name != name:
            changes.updated.append(f"endret navn for {email}: {person.name} → {name}")
            person.name = name
        if language is not None and person.language != language:
            changes.updated.append(f"endret språk for {email}: {person.language} → {language}")
            person.language = language
    session.flush()
    return people


def wanted_people(data: OrgData) -> dict[str, tuple[str, str | None]]:
    """e-mail -> (name, language or None); the first language given for a person wins."""
    wanted: dict[str, tuple[str, str | None]] = {}
    for unit in data.units:
        if unit.leader_email and unit.leader_name:
            name, language = wanted.get(unit.leader_email, (unit.leader_name, None))
            wanted[unit.leader_email] = (name, language or unit.leader_language)
    for rep in data.representatives or []:
        wanted.setdefault(rep.email, (rep.name, None))
    for employee in data.employees or []:
        wanted.setdefault(employee.email, (employee.name, None))
    for member in data.members or []:
        wanted.setdefault(member.email, (member.name, None))
    return wanted
