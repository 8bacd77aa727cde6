"""Leader and tillitsvalgt roles from a validated organisation; other roles (HR) are never touched."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlmodel import Session, col, select

from domain.models import Person, Role, RoleKind, UnitLevel
from tasks.org.types import Changes, RepSpec, UnitSpec

LEADER_KINDS = (RoleKind.UNIT_LEADER, RoleKind.SECTOR_LEADER)
RoleKey = tuple[int, RoleKind, str]  # person id, kind, unit id


def leader_kind(level: UnitLevel) -> RoleKind:
    """The kommunalsjef leads a sektor; every other unit has a unit leader."""
    return RoleKind.SECTOR_LEADER if level == UnitLevel.SEKTOR else RoleKind.UNIT_LEADER


def sync_leaders(
    session: Session, units: list[UnitSpec], people: dict[str, Person], new_ids: set[str], changes: Changes
) -> None:
    """One leader role per unit that has a leader; a replaced leader, or one of a removed unit, loses it."""
    after = {unit.id: _id(people[unit.leader_email]) for unit in units if unit.leader_email}
    kinds = {unit.id: leader_kind(unit.level) for unit in units}
    wanted = [(person_id, kinds[unit_id], unit_id) for unit_id, person_id in after.items()]
    existing, keep = _roles(session, LEADER_KINDS), set(wanted)
    for key, role in existing.items():
        if key not in keep:
            session.delete(role)
    for person_id, kind, unit_id in wanted:
        if (person_id, kind, unit_id) not in existing:
            session.add(Role(person_id=person_id, kind=kind, unit_id=unit_id))
    names = {person.id: person.name for person in people.values()}
    _report_leaders(units, existing.keys(), after, names, new_ids, changes)


def _report_leaders(
    units: list[UnitSpec],
    existing: Iterable[RoleKey],
    after: dict[str, int],
    names: dict[int | None, str],
    new_ids: set[str],
    changes: Changes,
) -> None:
    """A line for each unit, already known, whose leader changed; new units say their leader when created."""
    before: dict[str, set[int]] = defaultdict(set)
    for person_id, _kind, unit_id in existing:
        before[unit_id].add(person_id)
    for unit in units:
        old, new = before.get(unit.id, set()), {after[unit.id]} if unit.id in after else set()
        if unit.id not in new_ids and old != new:
            changes.updated.append(_leader_line(unit.id, old, new, names))
            changes.touched.add(unit.id)


def _leader_line(unit_id: str, before: set[int], after: set[int], names: dict[int | None, str]) -> str:
    old = ", ".join(sorted(names.get(i, f"person {i}") for i in before))
    new = ", ".join(sorted(names.get(i, f"person {i}") for i in after))
    if not old:
        return f"ny leder for {unit_id}: {new}"
    if not new:
        return f"fjernet leder for {unit_id}: {old}"
    return f"endret leder for {unit_id}: {old} → {new}"


def sync_representatives(session: Session, reps: list[RepSpec], people: dict[str, Person], changes: Changes) -> None:
    """Tillitsvalgt roles exactly as in the file: added, union changed, or removed."""
    wanted = {(_id(people[rep.email]), RoleKind.TILLITSVALGT, rep.unit_id): rep for rep in reps}
    existing = _roles(session, (RoleKind.TILLITSVALGT,))
    names = {person.id: person.name for person in people.values()}
    for key, role in existing.items():
        rep = wanted.get(key)
        label = f"{names.get(key[0], f'person {key[0]}')} for {key[2]}"
        if rep is None:
            session.delete(role)
            changes.updated.append(f"fjernet tillitsvalgt {label} ({role.union})")
        elif role.union != rep.union:
            changes.updated.append(f"endret forbund for tillitsvalgt {label}: {role.union} → {rep.union}")
            role.union = rep.union
    for key, rep in wanted.items():
        if key in existing:
            continue
        session.add(Role(person_id=key[0], kind=key[1], unit_id=key[2], union=rep.union))
        changes.created.append(f"ny tillitsvalgt {rep.name} ({rep.union}) for {rep.unit_id}")


def _roles(session: Session, kinds: tuple[RoleKind, ...]) -> dict[RoleKey, Role]:
    roles = session.exec(select(Role).where(col(Role.kind).in_(kinds))).all()
    return {(role.person_id, role.kind, role.unit_id or ""): role for role in roles}


def _id(person: Person) -> int:
    assert person.id is not None, "people are flushed before their roles"
    return person.id
