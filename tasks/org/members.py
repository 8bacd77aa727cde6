"""The optional table of body members (`organer.csv` or a sheet named «organer»): who sits in AMU, MBM, Lederforum ….

One row per seat: the body (its name or an alias in the årshjul's plan_bodies), the person's name and e-mail and
an optional role (leder, sekretær, medlem). The seats are stored as `BodyMembership` and follow the table exactly on
each import that has it; an import without the table keeps them. `who: body_members` reaches these people together
with the members typed into the årshjul file (tasks/org/audiences.py).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from sqlmodel import Session, col, select

from domain.aarshjul.bodies import PlanBody, find_body
from domain.aarshjul.parts import suggestion
from domain.models import BodyMembership, Person
from tasks.org.fields import RowReader, parse_email
from tasks.org.types import Changes, ImportProblem, MemberSpec, RawTable

DEFAULT_ROLE = "medlem"
Seat = tuple[str, str]  # (body name, lower-case e-mail)


def body_members(table: RawTable, bodies: Sequence[PlanBody], problems: list[ImportProblem]) -> list[MemberSpec]:
    """Every row checked (a body of the årshjul, name, e-mail, one row per seat), problems with row and column."""
    found: dict[Seat, MemberSpec] = {}
    for row in table.rows:
        reader = RowReader(table.source, row, table.columns, problems)
        before = len(problems)
        written, name = reader.text("body"), reader.text("name")
        email = reader.parse("email", parse_email) if reader.text("email") else None
        role = reader.parse("role", parse_role) if reader.text("role", required=False) else DEFAULT_ROLE
        body = find_body(list(bodies), written) if written else None
        if written and body is None:
            reader.fail("body", f"«{written}» er ikke et organ i årshjulet (plan_bodies). {_suggest(written, bodies)}")
        if body is not None and email and (body.name, email) in found:
            reader.fail(
                "email", f"{email} er oppført som medlem av {body.name} før, på rad {found[body.name, email].row}"
            )
        if len(problems) == before and body is not None and email and role:
            found[body.name, email] = MemberSpec(body.name, name, email, role, table.source, row.number)
    return list(found.values())


def _suggest(written: str, bodies: Sequence[PlanBody]) -> str:
    """« Mente du «AMU»?» for the nearest name or alias in any case (so «amuu» finds AMU), else the list of bodies."""
    spelled = {spelling.lower(): body.name for body in bodies for spelling in (body.name, *body.aliases)}
    near = difflib.get_close_matches(written.lower(), list(spelled), n=1, cutoff=0.6)
    return f"Mente du «{spelled[near[0]]}»?" if near else suggestion(written, [body.name for body in bodies])


def parse_role(value: str) -> str:
    """The role trimmed, single-spaced and lower case ('Leder ' -> 'leder'); an empty cell is an ordinary member."""
    return " ".join(value.split()).lower() or DEFAULT_ROLE


def stored_seats(session: Session) -> dict[Seat, tuple[str, str]]:
    """(body, e-mail) -> (role, the person's name) for every stored seat."""
    rows = session.exec(
        select(BodyMembership.body, Person.email, BodyMembership.role, Person.name).join(
            Person, col(Person.id) == col(BodyMembership.person_id)
        )
    ).all()
    return {(body, email.lower()): (role, name) for body, email, role, name in rows}


def member_lines(
    stored: Mapping[Seat, tuple[str, str]], members: list[MemberSpec], names: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """(new seats, changed or removed seats) as bokmål lines; `names` is every person's name after the import."""
    wanted = {(m.body, m.email): m for m in members}
    added = [f"nytt medlem av {m.body}: {m.name} ({m.role})" for seat, m in wanted.items() if seat not in stored]
    changed = []
    for (body, email), (role, name) in stored.items():
        spec = wanted.get((body, email))
        shown = names.get(email, name)
        if spec is None:
            changed.append(f"fjernet {shown} fra {body} ({role})")
        elif spec.role != role:
            changed.append(f"endret rolle for {shown} i {body}: {role} → {spec.role}")
    return added, changed


def sync_members(session: Session, members: list[MemberSpec], people: dict[str, Person], changes: Changes) -> None:
    """The seats exactly as in the table: added, given another role, or removed."""
    names = {email: person.name for email, person in people.items()}
    added, changed = member_lines(stored_seats(session), members, names)
    wanted = {(m.body, m.email): m for m in members}
    existing = {(m.body, m.person_id): m for m in session.exec(select(BodyMembership))}
    by_id = {person.id: email for email, person in people.items()}
    for (body, person_id), seat in existing.items():
        spec = wanted.pop((body, by_id.get(person_id, "")), None)
        if spec is None:
            session.delete(seat)
        else:
            seat.role = spec.role
    for spec in wanted.values():
        new_id = people[spec.email].id
        assert new_id is not None  # people are flushed before the roles are synced
        session.add(BodyMembership(body=spec.body, person_id=new_id, role=spec.role))
    changes.created += added
    changes.updated += changed
