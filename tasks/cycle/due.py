"""When the dispatcher next has something to do: a plain query, apart from the Prefect tasks in dispatch.py.

The HR overview shows this moment; importing it from the module of the Prefect tasks loaded Prefect into every web
process (about 900 modules and 85 000 more objects for the garbage collector to walk on each full collection,
which under the answers benchmark's burst showed as longer pauses).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from domain.aarshjul.schedule import notice_ladder
from domain.models import Assignment, Phase, PhaseStatus
from domain.states import ACTIVE
from tasks.cycle.step_actions import next_step_at
from tasks.notices.digest_times import next_digest_at
from tasks.outbox.delivery import next_pending_at
from tasks.runtime import Runtime


def next_due(session: Session, rt: Runtime, after: datetime) -> datetime | None:
    """The next moment after `after` at which the dispatcher has something to do (drives a simulated clock)."""
    candidates: list[datetime] = []
    open_phases: dict[int, Phase] = {}
    for phase in session.exec(select(Phase).where(col(Phase.status).in_([PhaseStatus.PENDING, PhaseStatus.OPEN]))):
        candidates.append(phase.opens_at if phase.status == PhaseStatus.PENDING else phase.closes_at)
        if phase.status == PhaseStatus.OPEN and phase.id is not None:
            open_phases[phase.id] = phase
    # Open tasks share a handful of ladders: ask the database for the distinct ladder positions, not every task
    # (the simulated clock asks this before every step, so loading every task made a 5 000-unit year quadratic).
    positions = session.exec(
        select(Assignment.phase_id, Assignment.due_at, Assignment.required, Assignment.notices_done)
        .where(col(Assignment.phase_id).in_(list(open_phases)), col(Assignment.state).in_(ACTIVE))
        .distinct()
    ).all()
    for phase_id, due_at, required, done in positions:
        phase = open_phases[phase_id]
        config = rt.aarshjul.phase(phase.key)
        ladder = notice_ladder(rt.aarshjul, config, opens_at=phase.opens_at, due_at=due_at, required=required)
        if done < len(ladder):
            candidates.append(ladder[done].at)
    pending = next_pending_at(session)
    if pending is not None:
        candidates.append(pending)
    step = next_step_at(session, rt, after)
    if step is not None:
        candidates.append(step)
    digest = next_digest_at(session, rt, after)
    if digest is not None:
        candidates.append(digest)
    future = [moment for moment in candidates if moment > after]
    return min(future) if future else None
