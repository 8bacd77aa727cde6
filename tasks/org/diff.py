"""What an import would change, computed without writing: the preview HR sees and `arshjul import-org --dry-run`.

The lines are the very sentences `apply_organisation` (tasks/org/upsert.py) reports when it writes, grouped by
kind of change; tests/integration/test_org_diff.py holds the two to each other. `fingerprint` digests the
organisation as stored, so that applying a previewed file can be refused when the organisation changed since.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, fields

from sqlmodel import Session, col, select

from domain.models import BodyMembership, OrgUnit, Person, Role, RoleKind
from tasks.org.employees import employee_lines, stored_staff
from tasks.org.members import member_lines, stored_seats
from tasks.org.roles import LEADER_KINDS
from tasks.org.types import OrgData, UnitSpec
from tasks.org.upsert import wanted_people

GROUPS = {
    "units_added": "Nye enheter",
    "units_renamed": "Enheter som får nytt navn",
    "units_moved": "Enheter som flyttes i treet",
    "units_changed": "Andre endringer av enheter (nivå, antall ansatte, aktiv igjen)",
    "units_removed": "Enheter som deaktiveres (finnes ikke lenger i filen)",
    "people_added": "Nye personer",
    "people_changed": "Personer som får nytt navn eller språk",
    "leaders_changed": "Nye eller byttede ledere",
    "reps_added": "Nye tillitsvalgte",
    "reps_changed": "Tillitsvalgte som endres eller fjernes",
    "employees_added": "Nye ansatte (mottar varsler til ansatte)",
    "employees_changed": "Ansatte som flyttes eller fjernes",
    "members_added": "Nye medlemmer av organer",
    "members_changed": "Medlemmer av organer som får ny rolle eller fjernes",
}


@dataclass
class ChangeSet:
    """Every change an import would make, as the bokmål lines the import itself reports, in groups (GROUPS)."""

    units_added: list[str] = field(default_factory=list)
    units_renamed: list[str] = field(default_factory=list)
    units_moved: list[str] = field(default_factory=list)
    units_changed: list[str] = field(default_factory=list)
    units_removed: list[str] = field(default_factory=list)
    people_added: list[str] = field(default_factory=list)
    people_changed: list[str] = field(default_factory=list)
    leaders_changed: list[str] = field(default_factory=list)
    reps_added: list[str] = field(default_factory=list)
    reps_changed: list[str] = field(default_factory=list)
    employees_added: list[str] = field(default_factory=list)
    employees_changed: list[str] = field(default_factory=list)
    members_added: list[str] = field(default_factory=list)
    members_changed: list[str] = field(default_factory=list)
    units_in_file: int = 0
    unchanged: int = 0  # units in the file that are already exactly as described

    def groups(self) -> list[tuple[str, str, list[str]]]:
        """(key, heading, lines) for every group, in GROUPS order."""
        return [(f.name, GROUPS[f.name], getattr(self, f.name)) for f in fields(self) if f.name in GROUPS]

    def lines(self) -> list[str]:
        return [line for _, _, lines in self.groups() for line in lines]

    @property
    def any(self) -> bool:
        return bool(self.lines())


def diff_organisation(session: Session, data: OrgData) -> ChangeSet:
    """What importing `data` would change; reads the organisation and writes nothing."""
    changes = ChangeSet(units_in_file=len(data.units))
    units = {unit.id: unit for unit in session.exec(select(OrgUnit)).all()}
    touched = {spec.id for spec in data.units if spec.id not in units}
    for spec in data.units:
        if spec.id not in units:
            leader = f" (leder: {spec.leader_name})" if spec.leader_name else ""
            changes.units_added.append(f"ny enhet {spec.id} {spec.name}{leader}")
        elif _unit_lines(units[spec.id], spec, changes):
            touched.add(spec.id)
    wanted = {spec.id for spec in data.units}
    changes.units_removed += [
        f"deaktivert enhet {unit.id} {unit.name}" for unit in units.values() if unit.id not in wanted and unit.active
    ]
    names = _people_lines(session, data, changes)
    touched |= _leader_lines(session, data.units, set(units), names, changes)
    if data.representatives is not None:
        _rep_lines(session, data, names, changes)
    if data.employees is not None:
        staff = employee_lines(stored_staff(session), data.employees, names)
        changes.employees_added, changes.employees_changed = staff
    if data.members is not None:
        changes.members_added, changes.members_changed = member_lines(stored_seats(session), data.members, names)
    changes.unchanged = len(data.units) - len(touched)
    return changes


def _unit_lines(unit: OrgUnit, spec: UnitSpec, changes: ChangeSet) -> bool:
    if unit.name != spec.name:
        changes.units_renamed.append(f"endret navn på {unit.id}: {unit.name} → {spec.name}")
    if unit.parent_id != spec.parent_id:
        changes.units_moved.append(
            f"flyttet {unit.id} {spec.name}: fra under {unit.parent_id} til under {spec.parent_id}"
        )
    other = []
    if unit.level != spec.level:
        other.append(f"endret nivå for {unit.id}: {unit.level} → {spec.level}")
    if unit.employees != spec.employees:
        other.append(f"endret antall ansatte for {unit.id}: {unit.employees} → {spec.employees}")
    if spec.kind_given and unit.kind != spec.kind:
        other.append(f"endret enhetstype for {unit.id}: {unit.kind or '(ingen)'} → {spec.kind or '(ingen)'}")
    if not unit.active:
        other.append(f"enhet {unit.id} {spec.name} er aktiv igjen")
    changes.units_changed += other
    return bool(other) or unit.name != spec.name or unit.parent_id != spec.parent_id


def _people_lines(session: Session, data: OrgData, changes: ChangeSet) -> dict[str, str]:
    """Lines for new and changed people; every person's name after the import, by lower-case e-mail."""
    people = {person.email.lower(): person for person in session.exec(select(Person)).all()}
    names = {email: person.name for email, person in people.items()}
    wanted = wanted_people(data)  # the very people the import writes
    for email, (name, language) in wanted.items():
        person = people.get(email)
        names[email] = name
        if person is None:
            changes.people_added.append(f"ny person {name} <{email}>")
            continue
        if person.name != name:
            changes.people_changed.append(f"endret navn for {email}: {person.name} → {name}")
        if language is not None and person.language != language:
            changes.people_changed.append(f"endret språk for {email}: {person.language} → {language}")
    return names


def _roles(session: Session, kinds: tuple[RoleKind, ...]) -> list[tuple[str, str, str | None]]:
    """(lower-case e-mail, unit id, union) of every role of these kinds."""
    rows = session.exec(
        select(Person.email, Role.unit_id, Role.union)
        .join(Person, col(Person.id) == col(Role.person_id))
        .where(col(Role.kind).in_(kinds))
    ).all()
    return [(email.lower(), unit_id or "", union) for email, unit_id, union in rows]


def _leader_lines(
    session: Session, specs: list[UnitSpec], known: set[str], names: dict[str, str], changes: ChangeSet
) -> set[str]:
    """A line for each known unit whose leader changes (as roles._report_leaders); the ids of those units."""
    before: dict[str, set[str]] = defaultdict(set)
    for email, unit_id, _ in _roles(session, LEADER_KINDS):
        before[unit_id].add(email)
    touched = set()
    for spec in specs:
        old, new = before.get(spec.id, set()), {spec.leader_email} if spec.leader_email else set()
        if spec.id in known and old != new:
            was = ", ".join(sorted(names.get(e, e) for e in old))
            now = ", ".join(sorted(names.get(e, e) for e in new))
            line = f"ny leder for {spec.id}: {now}" if not was else (
                f"fjernet leder for {spec.id}: {was}" if not now else f"endret leder for {spec.id}: {was} → {now}"
            )  # fmt: skip
            changes.leaders_changed.append(line)
            touched.add(spec.id)
    return touched


def _rep_lines(session: Session, data: OrgData, names: dict[str, str], changes: ChangeSet) -> None:
    wanted = {(rep.email, rep.unit_id): rep for rep in data.representatives or []}
    existing = {(email, unit_id): union for email, unit_id, union in _roles(session, (RoleKind.TILLITSVALGT,))}
    for (email, unit_id), union in existing.items():
        rep = wanted.get((email, unit_id))
        label = f"{names.get(email, email)} for {unit_id}"
        if rep is None:
            changes.reps_changed.append(f"fjernet tillitsvalgt {label} ({union})")
        elif union != rep.union:
            changes.reps_changed.append(f"endret forbund for tillitsvalgt {label}: {union} → {rep.union}")
    changes.reps_added += [
        f"ny tillitsvalgt {rep.name} ({rep.union}) for {rep.unit_id}"
        for key, rep in wanted.items()
        if key not in existing
    ]


def fingerprint(session: Session) -> str:
    """A digest of the organisation as stored: units, people, their roles and seats. Any change to them changes it."""
    digest = hashlib.sha256()
    for unit in session.exec(select(OrgUnit).order_by(col(OrgUnit.id))).all():
        kind = (unit.kind,) if unit.kind else ()  # only when set, so digests of organisations without kinds stay
        shape = (unit.id, unit.name, unit.parent_id, unit.level, unit.employees, unit.active, *kind)
        digest.update(repr(shape).encode())
    for person in session.exec(select(Person).order_by(col(Person.id))).all():
        digest.update(repr((person.id, person.name, person.email, person.language)).encode())
    for role in session.exec(select(Role).order_by(col(Role.id))).all():
        digest.update(repr((role.id, role.person_id, role.kind, role.unit_id, role.union)).encode())
    for seat in session.exec(select(BodyMembership).order_by(col(BodyMembership.id))).all():
        digest.update(repr(("seat", seat.id, seat.body, seat.person_id, seat.role)).encode())
    return digest.hexdigest()
