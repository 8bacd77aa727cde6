"""Validating raw tables into an organisation: every problem is collected, with source, row and column."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress

from domain.aarshjul.bodies import DEFAULT_BODIES, PlanBody
from domain.models import UnitLevel
from tasks.org.employees import employees
from tasks.org.fields import RowReader, parse_email, parse_employees, parse_kind, parse_language, parse_level, same_name
from tasks.org.members import body_members
from tasks.org.tree import Node, check_tree, parent_first
from tasks.org.types import ImportProblem, OrgData, RawTable, RepSpec, UnitSpec

NEEDS_LEADER = {
    UnitLevel.SEKTOR: "en sektor må ha leder (kommunalsjef) med navn og e-post, som mottar eskaleringer",
    UnitLevel.VIRKSOMHET: "en virksomhet må ha leder med navn og e-post; lederen skal svare på oppgavene",
}
Contact = tuple[str, str, str, int, str]  # email, name, source, row, column


def validate(
    tables: list[RawTable], files: list[str], bodies: Sequence[PlanBody] = DEFAULT_BODIES
) -> tuple[OrgData | None, list[ImportProblem]]:
    """The organisation, or None and every problem found; `bodies` are the årshjul's, for the table «organer»."""
    units_table = next((t for t in tables if t.kind == "units"), None)
    if units_table is None:
        return None, []
    reps_table = next((t for t in tables if t.kind == "tillitsvalgte"), None)
    problems: list[ImportProblem] = []
    nodes, units = _units(units_table, problems)
    if nodes:
        problems += check_tree(nodes)
    elif not problems:  # a header and nothing under it: say so about the table, not about a tree
        problems.append(ImportProblem(units_table.source, None, None, "tabellen har ingen enheter under overskriftene"))
    reps = _reps(reps_table, {node.id for node in nodes}, problems) if reps_table else None
    staff_table = next((t for t in tables if t.kind == "ansatte"), None)
    staff = employees(staff_table, {node.id for node in nodes}, problems) if staff_table else None
    members_table = next((t for t in tables if t.kind == "organer"), None)
    members = body_members(members_table, bodies, problems) if members_table else None
    named = (units_table, reps_table, staff_table, members_table)
    contacts = [c for t in named if t is not None for c in _contacts(t)]
    problems += _email_names(contacts)
    if problems:
        return None, problems
    order = {unit_id: position for position, unit_id in enumerate(parent_first(nodes))}
    units.sort(key=lambda unit: order[unit.id])
    return OrgData(units, reps, files, staff, members), []


def _units(table: RawTable, problems: list[ImportProblem]) -> tuple[list[Node], list[UnitSpec]]:
    nodes: dict[str, Node] = {}
    units: list[UnitSpec] = []
    for row in table.rows:
        reader = RowReader(table.source, row, table.columns, problems)
        node, unit = _unit(reader)
        if node is not None and node.id in nodes:
            message = f"enhets-ID {node.id} er brukt flere ganger (første gang på rad {nodes[node.id].row})"
            reader.fail("unit_id", message)
        elif node is not None:
            nodes[node.id] = node
            units += [unit] if unit is not None else []
    return list(nodes.values()), units


def _unit(reader: RowReader) -> tuple[Node | None, UnitSpec | None]:
    before = len(reader.problems)
    unit_id, name = reader.text("unit_id"), reader.text("name")
    parent_id = reader.text("parent_id", required=False) or None
    level = reader.parse("level", parse_level) if reader.text("level") else None
    employees = reader.parse("employees", parse_employees)
    leader_name, leader_email = _leader(reader, level)
    language = reader.parse("leader_language", parse_language)
    kind = reader.parse("kind", parse_kind) if reader.text("kind", required=False) else None
    source, number = reader.source, reader.row.number
    node = Node(unit_id, parent_id, level, source, number) if unit_id else None
    if len(reader.problems) > before or level is None or employees is None:
        return node, None
    leader = (leader_name, leader_email, language)
    spec = UnitSpec(unit_id, name, parent_id, level, employees, *leader, source, number, kind, reader.has("kind"))
    return node, spec


def _leader(reader: RowReader, level: UnitLevel | None) -> tuple[str | None, str | None]:
    name = reader.text("leader_name", required=False)
    raw_email = reader.text("leader_email", required=False)
    email = reader.parse("leader_email", parse_email) if raw_email else None
    if level in NEEDS_LEADER and reader.has("leader_name") and reader.has("leader_email"):
        for column, value in (("leader_name", name), ("leader_email", raw_email)):
            if not value:
                reader.fail(column, f"mangler verdi: {NEEDS_LEADER[level]}")
    elif name and not raw_email and reader.has("leader_email"):
        reader.fail("leader_email", "mangler verdi (lederens navn er oppgitt)")
    elif raw_email and not name and reader.has("leader_name"):
        reader.fail("leader_name", "mangler verdi (lederens e-post er oppgitt)")
    return name or None, email


def _reps(table: RawTable, unit_ids: set[str], problems: list[ImportProblem]) -> list[RepSpec]:
    reps: dict[tuple[str, str], RepSpec] = {}
    for row in table.rows:
        reader = RowReader(table.source, row, table.columns, problems)
        before = len(problems)
        name, union, unit_id = reader.text("name"), reader.text("union"), reader.text("unit_id")
        email = reader.parse("email", parse_email) if reader.text("email") else None
        if unit_id and unit_id not in unit_ids:
            reader.fail("unit_id", f"enheten '{unit_id}' finnes ikke blant enhetene")
        if email and (email, unit_id) in reps:
            first = reps[(email, unit_id)].row
            reader.fail("email", f"{email} er oppført som tillitsvalgt for {unit_id} før, på rad {first}")
        if len(problems) == before and email:
            reps[(email, unit_id)] = RepSpec(name, email, union, unit_id, table.source, row.number)
    return list(reps.values())


def _contacts(table: RawTable) -> list[Contact]:
    """Every (valid address, name) pair in a table, whatever else is wrong with the row."""
    units = table.kind == "units"
    name_column, email_column = ("leader_name", "leader_email") if units else ("name", "email")
    found: list[Contact] = []
    for row in table.rows:
        name, email = row.values.get(name_column, ""), row.values.get(email_column, "")
        with suppress(ValueError):
            if name:
                found.append((parse_email(email), name, table.source, row.number, email_column))
    return found


def _email_names(contacts: list[Contact]) -> list[ImportProblem]:
    """The same address must belong to the same person everywhere it appears."""
    first: dict[str, Contact] = {}
    problems = []
    for contact in contacts:
        email, name, source, row, column = contact
        earlier = first.setdefault(email, contact)
        if not same_name(earlier[1], name):
            where = f"{earlier[2]} rad {earlier[3]}"
            names = f"'{earlier[1]}' ({where}) og '{name}'"
            message = f"e-postadressen {email} er oppgitt med to ulike navn: {names}"
            problems.append(ImportProblem(source, row, column, message))
    return problems
