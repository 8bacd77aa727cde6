"""The optional table of employees (`ansatte.csv` or a sheet named «ansatte»): name, e-mail and unit, nothing more.

Employees receive the årshjul's notices addressed to them (the February education signal, the study-contract
choice); a unit with none imported has its leader told instead. The table holds no HR data beyond the three columns.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, col, select

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


def stored_staff(session: Session) -> dict[str, tuple[str, str | None]]:
    """Lower-case e-mail -> (name, unit id) of every stored employee."""
    rows = session.exec(
        select(Person.email, Person.name, Role.unit_id)
        .join(Person, col(Person.id) == col(Role.person_id))
        .where(Role.kind == RoleKind.EMPLOYEE)
    ).all()
    return {email.lower(): (name, unit_id) for email, name, unit_id in rows}


def employee_lines(
    stored: Mapping[str, tuple[str, str | None]], staff: list[EmployeeSpec], names: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """(new employees, moved or removed ones) as bokmål lines; `names` is every person's name after the import."""
    wanted = {e.email: e for e in staff}
    added = [f"ny ansatt {e.name} i {e.unit_id}" for email, e in wanted.items() if email not in stored]
    changed = []
    for email, (name, unit_id) in stored.items():
        spec = wanted.get(email)
        if spec is None:
            changed.append(f"fjernet ansatt {names.get(email, name)} fra {unit_id}")
        elif unit_id != spec.unit_id:
            changed.append(f"flyttet ansatt {spec.name}: {unit_id} → {spec.unit_id}")
    return added, changed


def sync_employees(session: Session, staff: list[EmployeeSpec], people: dict[str, Person], changes: Changes) -> None:
    """Employee roles exactly as in the file: one unit each; moved, added or removed."""
    added, changed = employee_lines(stored_staff(session), staff, {e: p.name for e, p in people.items()})
    wanted = {people[e.email].id: e for e in staff}
    for role in session.exec(select(Role).where(Role.kind == RoleKind.EMPLOYEE)):
        spec = wanted.pop(role.person_id, None)
        if spec is None:
            session.delete(role)
        else:
            role.unit_id = spec.unit_id
    for new_id, spec in wanted.items():
        if new_id is not None:
            session.add(Role(person_id=new_id, kind=RoleKind.EMPLOYEE, unit_id=spec.unit_id))
    changes.created += added
    changes.updated += changed
