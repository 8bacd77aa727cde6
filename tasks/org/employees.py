"""The optional table of employees (`ansatte.csv` or a sheet named «ansatte»): name, e-mail and unit, nothing more.

Employees receive the årshjul's notices addressed to them (the February education signal, the study-contract
choice); a unit with none imported has its leader told instead. The table holds no HR data beyond the three columns.
"""

from __future__ import annotations

from sqlmodel import Session, select

from domain.models import Person, Role, RoleKind
from tasks.org.fields import RowReader, parse_email
from tasks.org.types import Changes, EmployeeSpec, ImportProblem, RawTable


def employees(table: RawTable, unit_ids: set[str], problems: list[ImportProblem]) -> list[EmployeeSpec]:
    """Every row checked (name, e-mail, a unit in the units table, one row per e-mail), problems with row and column."""
    found: dict[str, EmployeeSpec] = {}
    for row in table.rows:
        reader = RowReader(table.source, row, table.columns, problems)
        before = len(problems)
        name, unit_id = reader.text("name"), reader.text("unit_id")
        email = reader.parse("email", parse_email) if reader.text("email") else None
        if unit_id and unit_id not in unit_ids:
            reader.fail("unit_id", f"enheten '{unit_id}' finnes ikke blant enhetene")
        if email and email in found:
            reader.fail("email", f"{email} er oppført som ansatt før, på rad {found[email].row}")
        if len(problems) == before and email:
            found[email] = EmployeeSpec(name, email, unit_id, table.source, row.number)
    return list(found.values())


def sync_employees(session: Session, staff: list[EmployeeSpec], people: dict[str, Person], changes: Changes) -> None:
    """Employee roles exactly as in the file: one unit each; moved, added or removed."""
    wanted = {people[e.email].id: e for e in staff}
    existing = {r.person_id: r for r in session.exec(select(Role).where(Role.kind == RoleKind.EMPLOYEE))}
    names = {person.id: person.name for person in people.values()}
    for person_id, role in existing.items():
        spec = wanted.get(person_id)
        if spec is None:
            session.delete(role)
            changes.updated.append(f"fjernet ansatt {names.get(person_id, '')} fra {role.unit_id}".replace("  ", " "))
        elif role.unit_id != spec.unit_id:
            changes.updated.append(f"flyttet ansatt {spec.name}: {role.unit_id} → {spec.unit_id}")
            role.unit_id = spec.unit_id
    for new_id, spec in wanted.items():
        if new_id is not None and new_id not in existing:
            session.add(Role(person_id=new_id, kind=RoleKind.EMPLOYEE, unit_id=spec.unit_id))
            changes.created.append(f"ny ansatt {spec.name} i {spec.unit_id}")
