"""Who is signed in, and what they may reach: one dependency per requirement, so no handler checks roles itself.

`SignedIn` any signed-in person; `Console` anyone but a unit leader; `HrOnly`, `Manager` (HR or a kommunalsjef),
`Reader` (HR or leser) and `Leader` (a unit leader, who sees only their own units' tasks) by role;
`ScopedAssignment` and `ScopedSector` a path id that must lie in a kommunalsjef's own sector (else 404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from domain.identity import AccountRole, actor_label
from domain.models import Assignment, OrgUnit
from tasks.identity.sessions import resolve_session
from tasks.org.people import sector_of
from web.deps import runtime
from web.params import Id
from web.security import SESSION_COOKIE, csrf_token

LEADER_HOME = "/mine-oppgaver"  # a unit leader's start page: the console is not theirs


class HrLoginRequired(Exception):
    """No live session: the person is sent to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path
        super().__init__(next_path)


@dataclass(frozen=True)
class Scope:
    """What part of the municipality a person sees: one sector, or all of it (None). Queries take this."""

    sector_id: str | None


@dataclass(frozen=True)
class SignedInUser:
    id: int
    email: str
    name: str
    role: AccountRole
    sector_id: str | None
    sector_name: str
    csrf: str

    @property
    def scope(self) -> Scope:
        return Scope(self.sector_id if self.role == AccountRole.KOMMUNALSJEF else None)

    @property
    def actor(self) -> str:
        """Who did it, for the event log and the audit: name, e-mail, role, and for a kommunalsjef the sector."""
        behalf = self.sector_name if self.role == AccountRole.KOMMUNALSJEF else ""
        return actor_label(self.name, self.email, self.role, behalf)[:200]


def signed_in(request: Request) -> SignedInUser:
    """The person behind the session cookie, or a redirect to the sign-in page."""
    rt = runtime(request)
    token = request.cookies.get(SESSION_COOKIE)
    with rt.session() as session:
        account = resolve_session(session, rt.settings.auth, token, rt.now())
        sector = session.get(OrgUnit, account.sector_id) if account and account.sector_id else None
        user = None if account is None or account.id is None or token is None else SignedInUser(
            account.id, account.email, account.name, account.role, account.sector_id,
            sector.name if sector else "", csrf_token(rt, token),
        )  # fmt: skip
    if user is None:
        raise HrLoginRequired(request.url.path)
    return user


def require(*roles: AccountRole) -> Callable[[SignedInUser], SignedInUser]:
    """A dependency that lets only these roles through (403 for the others)."""
    allowed = frozenset(roles)

    def dependency(user: Annotated[SignedInUser, Depends(signed_in)]) -> SignedInUser:
        if user.role not in allowed:
            raise HTTPException(status_code=403)
        return user

    return dependency


SignedIn = Annotated[SignedInUser, Depends(signed_in)]
HrOnly = Annotated[SignedInUser, Depends(require(AccountRole.HR))]
Manager = Annotated[SignedInUser, Depends(require(AccountRole.HR, AccountRole.KOMMUNALSJEF))]
Reader = Annotated[SignedInUser, Depends(require(AccountRole.HR, AccountRole.LESER))]
Console = Annotated[SignedInUser, Depends(require(AccountRole.HR, AccountRole.KOMMUNALSJEF, AccountRole.LESER))]
Leader = Annotated[SignedInUser, Depends(require(AccountRole.LEDER))]


def assignment_in_scope(request: Request, assignment_id: Id, user: Manager) -> int:
    """The task id of the path, if the task lies in the person's scope; another sector's task is "not found"."""
    if user.scope.sector_id is None:
        return assignment_id
    rt = runtime(request)
    with rt.session() as session:
        assignment = session.get(Assignment, assignment_id)
        sector = sector_of(session, assignment.unit_id) if assignment else None
        inside = sector is not None and sector.id == user.scope.sector_id
    if not inside:
        raise HTTPException(status_code=404)
    return assignment_id


def sector_in_scope(sector_id: str, user: Manager) -> str:
    """The sector id of the path, if it is the person's own (or the person sees every sector)."""
    if user.scope.sector_id not in (None, sector_id):
        raise HTTPException(status_code=404)
    return sector_id


ScopedAssignment = Annotated[int, Depends(assignment_in_scope)]
ScopedSector = Annotated[str, Depends(sector_in_scope)]
