"""HR's actions on many tasks at once: a dry run for the preview, then the same run for real in one transaction.

Each task goes through the single-task service (`send_reminder`, `extend_deadline`, `excuse`, `delegate`) inside a
savepoint: a task the service refuses is rolled back alone and listed as skipped with the service's own reason,
so the preview and the confirmation cannot disagree about the rules. The preview's transaction is rolled back; the
confirmation's commits everything together, or nothing when anything else goes wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from domain.aarshjul.workdays import to_local
from domain.bulk import BulkKind, BulkRun
from domain.models import Assignment, AssignmentState, Cycle, OrgUnit, Person, Phase
from domain.states import ACTIVE
from tasks.answers.delegation import delegate
from tasks.cycle.assignment_actions import ActionRefused, extend_deadline, send_reminder
from tasks.cycle.excuse import excuse
from tasks.events.log import PENDING_KEY
from tasks.org.people import sector_of
from tasks.runtime import Runtime

MAX_TASKS = 5000  # a whole municipality's phase at the largest size we measure
CHUNK = 500  # ids per IN (...) when loading: well below every database's limit on bound parameters
Guard = Callable[[int], str | None]  # an extra refusal from the caller (a kommunalsjef's reach), per task id
INACTIVE = {AssignmentState.ANSWERED: "Oppgaven er allerede besvart", AssignmentState.EXCUSED: "Oppgaven er fritatt"}
NOT_DONE = {
    BulkKind.REMIND: "ingen påminnelse sendes",
    BulkKind.EXTEND: "fristen endres ikke",
    BulkKind.EXCUSE: "den fritas ikke",
    BulkKind.HAND_OVER: "den gis ikke videre",
}


@dataclass(frozen=True)
class BulkRequest:
    kind: BulkKind
    ids: tuple[int, ...]
    day: date | None = None  # the new deadline (EXTEND)
    reason: str = ""  # EXCUSE
    name: str = ""  # HAND_OVER: the substitute
    email: str = ""


@dataclass(frozen=True)
class Line:
    """One selected task: what is (or was) done to it, or why it is skipped."""

    assignment_id: int
    unit_name: str
    person_name: str
    state: str  # before the action
    done: bool
    text: str


@dataclass(frozen=True)
class Outcome:
    lines: list[Line]
    repeated: bool = False  # the same confirmation came again: shown, not done twice


class UnknownTasks(ValueError):
    """Ids that name no task the person may act on (unknown, or another sector's): the same answer for both."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids
        super().__init__(ids)


class PlanChanged(Exception):
    """A task would now be treated otherwise than the preview said (answered meanwhile): nothing was done."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        super().__init__(len(lines))


def check_scope(session: Session, ids: tuple[int, ...], sector_id: str | None) -> None:
    """Every id names a task, and for a kommunalsjef (sector_id set) a task in their own sector."""
    units: dict[int, str | None] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = session.exec(select(Assignment.id, Assignment.unit_id).where(col(Assignment.id).in_(chunk))).all()
        units.update({task_id: unit_id for task_id, unit_id in rows if task_id is not None})
    sectors: dict[str | None, str | None] = {}
    if sector_id is not None:
        for unit_id in set(units.values()):
            sector = sector_of(session, unit_id)
            sectors[unit_id] = sector.id if sector else None
    unknown = [n for n in ids if n not in units or (sector_id is not None and sectors[units[n]] != sector_id)]
    if unknown:
        raise UnknownTasks(unknown)


def preview(rt: Runtime, request: BulkRequest, *, actor: str, now: datetime, guard: Guard | None = None) -> list[Line]:
    """What the confirmation would do to each task, by running it and rolling everything back."""
    with rt.session() as session:
        _begin(session)
        try:
            return _run_all(session, rt, request, actor=actor, now=now, guard=guard)
        finally:
            session.rollback()


def confirm(
    rt: Runtime,
    request: BulkRequest,
    *,
    key: str,
    planned: frozenset[int],
    account_id: int,
    actor: str,
    now: datetime,
    guard: Guard | None = None,
) -> Outcome:
    """Do it, all in one transaction, if it still does what the preview showed (`planned`); once per key."""
    try:
        with rt.session() as session:
            if (earlier := _earlier(session, key)) is not None:
                return Outcome(earlier, repeated=True)
            _begin(session)
            run = BulkRun(key=key, kind=request.kind.value, account_id=account_id, actor=actor, created_at=now)
            session.add(run)
            session.flush()  # a second submit racing this one stops at the unique key
            lines = _run_all(session, rt, request, actor=actor, now=now, guard=guard)
            if {line.assignment_id for line in lines if line.done} != planned:
                raise PlanChanged(lines)
            run.lines = [asdict(line) for line in lines]
            return Outcome(lines)
    except IntegrityError:
        with rt.session() as session:
            earlier = _earlier(session, key)
        if earlier is None:
            raise
        return Outcome(earlier, repeated=True)


def _earlier(session: Session, key: str) -> list[Line] | None:
    run = session.exec(select(BulkRun).where(BulkRun.key == key)).first()
    return None if run is None else [Line(**line) for line in run.lines]


def _begin(session: Session) -> None:
    """Open the transaction before the first savepoint: pysqlite would otherwise commit when the first is released."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("BEGIN")


def _run_all(
    session: Session, rt: Runtime, request: BulkRequest, *, actor: str, now: datetime, guard: Guard | None
) -> list[Line]:
    loaded = _preload(session, request.ids)  # held here: the identity map keeps only what is referenced
    lines = [_one(session, rt, request, task_id, actor=actor, now=now, guard=guard) for task_id in request.ids]
    del loaded
    return sorted(lines, key=lambda line: (line.unit_name, line.person_name, line.assignment_id))


def _preload(session: Session, ids: tuple[int, ...]) -> list[object]:
    """The tasks with their people, units, phases and cycles in a few queries, not a few per task."""
    loaded: list[object] = []
    for start in range(0, len(ids), CHUNK):
        tasks = session.exec(select(Assignment).where(col(Assignment.id).in_(ids[start : start + CHUNK]))).all()
        people = {task.assignee_id for task in tasks} | {task.owner_id for task in tasks}
        units = {task.unit_id for task in tasks if task.unit_id}
        phases = session.exec(select(Phase).where(col(Phase.id).in_({task.phase_id for task in tasks}))).all()
        loaded += [*tasks, *phases, *session.exec(select(Cycle).where(col(Cycle.id).in_({p.cycle_id for p in phases})))]
        loaded += session.exec(select(Person).where(col(Person.id).in_(people))).all()
        loaded += session.exec(select(OrgUnit).where(col(OrgUnit.id).in_(units))).all()
    return loaded


def _one(
    session: Session, rt: Runtime, request: BulkRequest, task_id: int, *, actor: str, now: datetime, guard: Guard | None
) -> Line:
    assignment = session.get(Assignment, task_id)
    if assignment is None:
        raise UnknownTasks([task_id])
    person = session.get(Person, assignment.assignee_id)
    unit = session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None
    state = assignment.state
    base = (task_id, unit.name if unit else rt.settings.municipality, person.name if person else "", state.value)
    if state not in ACTIVE:  # the task page offers no action on these either
        return Line(*base, done=False, text=f"{INACTIVE[state]}: {NOT_DONE[request.kind]}.")
    if guard is not None and (problem := guard(task_id)) is not None:
        return Line(*base, done=False, text=problem)
    recorded = len(session.info.get(PENDING_KEY, []))
    try:
        with session.begin_nested():
            text = _apply(session, rt, request, assignment, actor=actor, now=now)
    except ActionRefused as refused:
        del session.info.get(PENDING_KEY, [])[recorded:]  # what the savepoint undid is not mirrored to Prefect
        return Line(*base, done=False, text=str(refused))
    return Line(*base, done=True, text=text)


def _apply(
    session: Session, rt: Runtime, request: BulkRequest, assignment: Assignment, *, actor: str, now: datetime
) -> str:
    """Call the single-task service; the sentence says what it does, for the preview and the result."""
    task_id = assignment.id or 0
    person = session.get(Person, assignment.assignee_id)
    who = f"{person.name} ({person.email})" if person else ""
    if request.kind == BulkKind.REMIND:
        send_reminder(session, rt, task_id, actor=actor, now=now)
        return f"Påminnelse sendes til {who}."
    if request.kind == BulkKind.EXTEND:
        assert request.day is not None
        before = to_local(assignment.due_at)
        extend_deadline(session, rt, task_id, request.day, actor=actor, now=now)
        after = to_local(assignment.due_at)
        return f"Fristen flyttes fra {before:%d.%m.%Y} til {after:%d.%m.%Y kl. %H.%M}; {who} får beskjed."
    if request.kind == BulkKind.EXCUSE:
        excuse(session, task_id, reason=request.reason, actor=actor, now=now)
        return f"Fritas med begrunnelsen «{' '.join(request.reason.split())}»."
    substitute = delegate(session, rt, task_id, name=request.name, email=request.email, actor=actor, now=now)
    return f"Gis fra {who} til {substitute.name} ({substitute.email}), som får sin egen lenke."
