"""A body's members as one list: those from the organisation import's table «organer» and those typed into the
årshjul file under plan_bodies, one per e-mail address. Read-only; `who: body_members` and the console use it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from domain.aarshjul.bodies import PlanBody
from domain.models import BodyMembership, Person

TYPED_ROLE = "medlem"


@dataclass(frozen=True)
class Member:
    """One member of a body; `typed` and `imported` say where they come from (both when both list them)."""

    name: str
    email: str  # lower case
    role: str
    typed: bool
    imported: bool


def roster(session: Session, body: PlanBody) -> list[Member]:
    """The body's members: those typed into the file first (their name wins), then the imported ones by role and name.

    An imported seat is the body's when its stored name is the body's name or an alias, so a seat stays the body's
    when the årshjul file later renames the body and keeps the old name as an alias.
    """
    imported = {
        email: (name, role) for email, name, seat_body, role in _seats(session) if _norm(seat_body) in body.names()
    }
    members: list[Member] = []
    for typed in body.members:
        email = typed.email.lower()
        if email in {m.email for m in members}:
            continue
        seat = imported.pop(email, None)
        members.append(Member(typed.name, email, seat[1] if seat else TYPED_ROLE, True, seat is not None))
    rest = sorted(imported.items(), key=lambda item: (item[1][1] != "leder", item[1][0].casefold(), item[0]))
    return members + [Member(name, email, role, False, True) for email, (name, role) in rest]


def rosters(session: Session, bodies: Sequence[PlanBody]) -> list[tuple[PlanBody, list[Member]]]:
    """Every body of the årshjul with its members, in the file's order."""
    return [(body, roster(session, body)) for body in bodies]


def _seats(session: Session) -> list[tuple[str, str, str, str]]:
    """(e-mail, name, body, role) of every stored seat."""
    rows = session.exec(
        select(Person.email, Person.name, BodyMembership.body, BodyMembership.role).join(
            Person, col(Person.id) == col(BodyMembership.person_id)
        )
    ).all()
    return [(email.lower(), name, body, role) for email, name, body, role in rows]


def _norm(name: str) -> str:
    return " ".join(name.lower().split())
