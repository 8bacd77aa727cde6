"""How far a kommunalsjef may move a deadline: not past the closing date of the task's phase (HR may)."""

from __future__ import annotations

from datetime import date

from domain.aarshjul.workdays import to_local
from domain.identity import AccountRole
from domain.models import Assignment, Phase
from tasks.runtime import Runtime
from web.signin.access import SignedInUser


def beyond_own_reach(rt: Runtime, user: SignedInUser, assignment_id: int, day: date) -> str | None:
    """A sentence when the day is later than this person may set, else None."""
    if user.role == AccountRole.HR:
        return None
    with rt.session() as session:
        assignment = session.get(Assignment, assignment_id)
        phase = session.get(Phase, assignment.phase_id) if assignment else None
        last = to_local(phase.closes_at).date() if phase else None
    if last is not None and day > last:
        return (
            f"Som {rt.aarshjul.terms['nb'].sector_leader.singular} kan du flytte fristen til senest "
            f"{last:%d.%m.%Y}, da fasen lukkes. "
            "Trengs mer tid, ta kontakt med HR."
        )
    return None
