"""Reminders, overdue notices and escalations that have come due, grouped into one email per recipient."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from domain.aarshjul.schedule import Notice, NoticeKind, notice_ladder
from domain.aarshjul.workdays import to_local
from domain.events import EventKind
from domain.models import Assignment, AssignmentState, OrgUnit, Person, Phase, PhaseStatus
from domain.states import ACTIVE, transition
from tasks.events.log import record
from tasks.org.people import hr_people, sector_leader
from tasks.outbox.mail import queue_assignment_notice, queue_plain
from tasks.runtime import Runtime

STATE_AFTER = {
    NoticeKind.REMINDER: AssignmentState.REMINDED,
    NoticeKind.OVERDUE: AssignmentState.OVERDUE,
    NoticeKind.ESCALATE_SECTOR: AssignmentState.ESCALATED,
    NoticeKind.ESCALATE_HR: AssignmentState.ESCALATED,
}
EVENT = {
    NoticeKind.REMINDER: EventKind.REMINDER_QUEUED,
    NoticeKind.OVERDUE: EventKind.ASSIGNMENT_OVERDUE,
    NoticeKind.ESCALATE_SECTOR: EventKind.ASSIGNMENT_ESCALATED,
    NoticeKind.ESCALATE_HR: EventKind.ASSIGNMENT_ESCALATED,
}
Group = tuple[int, NoticeKind, datetime]


@dataclass(frozen=True)
class NoticeStats:
    reminders: int
    overdue: int
    escalations: int


def ladder_for(rt: Runtime, phase: Phase, assignment: Assignment) -> list[Notice]:
    return _ladder(rt, phase, assignment.due_at, assignment.required)


def queue_due_notices(session: Session, rt: Runtime, year: int, as_of: datetime) -> NoticeStats:
    """Advance every open task along its notice ladder up to `as_of`; a missed run sends only the latest step."""
    groups: dict[Group, list[Assignment]] = defaultdict(list)
    hr_first: list[Person] = []
    due = _with_notice_due(session, rt, as_of)  # held to the end: it keeps the assignees in the session
    for assignment, phase, _assignee in due:
        ladder = ladder_for(rt, phase, assignment)
        pending = [n for n in ladder[assignment.notices_done :] if n.at <= as_of]
        if not pending:
            continue
        notice = pending[-1]
        assignment.notices_done = ladder.index(notice) + 1
        assignment.state = transition(assignment.state, STATE_AFTER[notice.kind])
        if notice.kind == NoticeKind.ESCALATE_SECTOR:
            assignment.escalation_level = 1
        elif notice.kind == NoticeKind.ESCALATE_HR:
            assignment.escalation_level = 2
        target = _recipient(session, assignment, notice.kind, hr_first)
        assert target.id is not None
        groups[(target.id, notice.kind, notice.at)].append(assignment)
        record(
            session,
            EVENT[notice.kind],
            at=as_of,
            cycle_year=year,
            phase_key=phase.key,
            assignment_id=assignment.id,
            unit_id=assignment.unit_id,
            person_id=target.id,
            notice=notice.kind.value,
            offset=notice.offset,
            scheduled_for=notice.at.isoformat(),
        )
    counts: dict[NoticeKind, int] = defaultdict(int)
    for (person_id, kind, at), assignments in groups.items():
        person = session.get(Person, person_id)
        assert person is not None
        _queue(session, rt, person, kind, at, assignments, as_of)
        counts[kind] += 1
    return NoticeStats(
        reminders=counts[NoticeKind.REMINDER],
        overdue=counts[NoticeKind.OVERDUE],
        escalations=counts[NoticeKind.ESCALATE_SECTOR] + counts[NoticeKind.ESCALATE_HR],
    )


def _with_notice_due(session: Session, rt: Runtime, as_of: datetime) -> Sequence[tuple[Assignment, Phase, Person]]:
    """Open tasks with a notice due by `as_of` and their assignees, loading only those.

    Tasks share a handful of ladder positions (phase, deadline, required, steps done), so the database is asked for
    the distinct positions first; loading every open task on every dispatcher run made a 5 000-unit year slow. The
    assignees come along because the session holds them only weakly: looked up one by one later, each is a query
    (and an autoflush of everything recorded so far).
    """
    phases = {p.id: p for p in session.exec(select(Phase).where(Phase.status == PhaseStatus.OPEN))}
    positions = session.exec(
        select(Assignment.phase_id, Assignment.due_at, Assignment.required, Assignment.notices_done)
        .where(col(Assignment.phase_id).in_(list(phases)), col(Assignment.state).in_(ACTIVE))
        .distinct()
    ).all()
    due = [
        and_(
            col(Assignment.phase_id) == phase_id,
            col(Assignment.due_at) == due_at,
            col(Assignment.required) == required,
            col(Assignment.notices_done) == done,
        )
        for phase_id, due_at, required, done in positions
        if any(n.at <= as_of for n in _ladder(rt, phases[phase_id], due_at, required)[done:])
    ]
    if not due:
        return []
    return session.exec(
        select(Assignment, Phase, Person)
        .join(Phase, col(Phase.id) == col(Assignment.phase_id))
        .join(Person, col(Person.id) == col(Assignment.assignee_id))
        .where(Phase.status == PhaseStatus.OPEN, col(Assignment.state).in_(ACTIVE), or_(*due))
        .order_by(col(Assignment.id))
    ).all()


def _ladder(rt: Runtime, phase: Phase, due_at: datetime, required: bool) -> list[Notice]:
    config = rt.aarshjul.phase(phase.key)
    return notice_ladder(rt.aarshjul, config, opens_at=phase.opens_at, due_at=due_at, required=required)


def _recipient(session: Session, assignment: Assignment, kind: NoticeKind, hr_first: list[Person]) -> Person:
    if kind in (NoticeKind.REMINDER, NoticeKind.OVERDUE):
        person = session.get(Person, assignment.assignee_id)
    elif kind == NoticeKind.ESCALATE_SECTOR:
        person = sector_leader(session, assignment.unit_id) or _first_hr(session, hr_first)
    else:
        person = _first_hr(session, hr_first)
    assert person is not None
    return person


def _first_hr(session: Session, found: list[Person]) -> Person:
    """The first HR coordinator, looked up once per run (`found` carries it between tasks)."""
    if not found:
        found.extend(hr_people(session)[:1])
    if not found:
        raise LookupError("ingen HR-koordinator er registrert; kjør `arshjul init`")
    return found[0]


def _queue(
    session: Session,
    rt: Runtime,
    person: Person,
    kind: NoticeKind,
    at: datetime,
    assignments: list[Assignment],
    now: datetime,
) -> None:
    key = f"{kind.value}:{person.id}:{at:%Y%m%dT%H%MZ}"
    if kind in (NoticeKind.REMINDER, NoticeKind.OVERDUE):
        queue_assignment_notice(session, rt, person=person, assignments=assignments, kind=kind.value, key=key, now=now)
        return
    queue_plain(
        session,
        rt,
        person=person,
        template="escalation",
        kind="escalation",
        key=key,
        now=now,
        context={
            "level": "sector" if kind == NoticeKind.ESCALATE_SECTOR else "hr",
            "units": [_overdue_line(session, rt, a, now) for a in assignments],
            "municipality": rt.settings.municipality,
            "console_link": f"{rt.settings.base_url.rstrip('/')}/hr",
        },
        assignment_ids=[a.id for a in assignments if a.id is not None],  # for the audit; escalations are not cancelled
    )


def _overdue_line(session: Session, rt: Runtime, assignment: Assignment, now: datetime) -> dict[str, object]:
    phase = session.get(Phase, assignment.phase_id)
    unit = session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None
    leader = session.get(Person, assignment.assignee_id)
    assert phase is not None and leader is not None
    cal = rt.aarshjul.calendar(to_local(now).year)
    return {
        "unit_name": unit.name if unit else rt.settings.municipality,
        "leader_name": leader.name,
        "task_title": rt.aarshjul.phase(phase.key).title.nb,
        "deadline": assignment.due_at,
        "days_overdue": cal.working_days_between(to_local(assignment.due_at).date(), to_local(now).date()),
    }
