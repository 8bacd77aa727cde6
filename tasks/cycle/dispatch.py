"""What is due at a moment: the tick's steps as Prefect tasks, each one unit of work with its own session."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from prefect import task
from sqlmodel import Session, col, select

from domain.aarshjul.workdays import to_local
from domain.models import Cycle, Phase, PhaseStatus
from tasks.answers.link_requests import handle_link_requests
from tasks.cycle.due import next_due as next_due  # where callers found it before
from tasks.cycle.notice_files import NoticeFileMissing
from tasks.cycle.phases import all_required_answered, close_phase, ensure_cycle, open_phase
from tasks.cycle.step_actions import run_due_steps
from tasks.notices.digest import queue_digests
from tasks.notices.ladder import queue_due_notices
from tasks.org.people import ensure_hr
from tasks.outbox.delivery import deliver_due
from tasks.runtime import Runtime, current_runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PhaseStep:
    key: str
    year: int
    action: str  # "open" | "close"


def due_steps(session: Session, rt: Runtime, as_of: datetime) -> list[PhaseStep]:
    """Ensure this year's cycle exists, then list the phases that must open or close by `as_of`."""
    ensure_hr(session, rt.settings)
    ensure_cycle(session, rt, to_local(as_of).year, as_of)
    rows = session.exec(
        select(Phase, Cycle)
        .join(Cycle)
        .where(col(Phase.status).in_([PhaseStatus.PENDING, PhaseStatus.OPEN]))
        .order_by(col(Cycle.year), col(Phase.position))
    ).all()
    steps = []
    for phase, cycle in rows:
        if phase.status == PhaseStatus.PENDING and phase.opens_at <= as_of:
            # A phase whose window passed before Årshjul ever ran is closed unopened: no invitations after the fact.
            steps.append(PhaseStep(phase.key, cycle.year, "close" if phase.closes_at <= as_of else "open"))
        elif phase.status == PhaseStatus.OPEN and _closes(session, rt, phase, as_of):
            steps.append(PhaseStep(phase.key, cycle.year, "close"))
    return steps


def _closes(session: Session, rt: Runtime, phase: Phase, as_of: datetime) -> bool:
    if phase.closes_at <= as_of:
        return True
    return rt.aarshjul.phase(phase.key).close_when_all_answered and all_required_answered(session, phase)


def _phase(session: Session, key: str, year: int) -> Phase:
    return session.exec(select(Phase).join(Cycle).where(Cycle.year == year, Phase.key == key)).one()


def moment_of(as_of: datetime | None) -> datetime:
    """The moment a flow acts for: its `as_of`, else the runtime clock's now."""
    return current_runtime().as_of(as_of)


@task(name="plan-tick")
def plan_tick(as_of: datetime) -> list[PhaseStep]:
    """Create the year's cycle if needed and list the phases due to open or close."""
    rt = current_runtime()
    with rt.session() as session:
        return due_steps(session, rt, as_of)


@task(name="open-phase")
def open_phase_task(key: str, year: int, as_of: datetime) -> int:
    """Open a phase: create its assignments and queue the invitations (no-op if already open)."""
    rt = current_runtime()
    with rt.session() as session:
        phase = _phase(session, key, year)
        if phase.status != PhaseStatus.PENDING or phase.opens_at > as_of or phase.closes_at <= as_of:
            return 0
        return len(open_phase(session, rt, phase, year, as_of))


@task(name="close-phase")
def close_phase_task(key: str, year: int, as_of: datetime) -> bool:
    """Close a phase whose closing moment has come, or whose every required task is answered."""
    rt = current_runtime()
    with rt.session() as session:
        phase = _phase(session, key, year)
        if phase.status == PhaseStatus.CLOSED or not _closes(session, rt, phase, as_of):
            return False
        close_phase(session, rt, phase, year, as_of, reason="alle har svart" if phase.closes_at > as_of else "frist")
        return True


@task(name="queue-notices")
def queue_notices_task(as_of: datetime) -> dict[str, Any]:
    """Queue every email due at the moment: step emails, reminders, escalations, new links asked for, digests."""
    rt = current_runtime()
    # Each kind runs in a unit of work of its own, but all in one Prefect task: a task of its own costs every
    # dispatcher run its orchestration (some 25 ms, 140 times in a 150-unit year), for steps due a few times a year
    # and digests due once a week.
    steps, steps_failed = 0, ""
    try:
        with rt.session() as session:
            steps = run_due_steps(session, rt, as_of)
    except NoticeFileMissing as exc:  # a sentence for the operator, no traceback; the moment waits for the file
        log.error("%s (the other email is still queued)", exc)
        steps_failed = str(exc)
    except Exception as exc:  # a step that cannot be done must not hold back every reminder and digest
        log.exception("årshjul steps as of %s failed; the other email is still queued", as_of)
        steps_failed = str(exc)
    with rt.session() as session:
        counts: dict[str, Any] = asdict(queue_due_notices(session, rt, to_local(as_of).year, as_of))
        # The web only records a request for a new link (the same work whoever asks); it is answered here too.
        counts["new_links"] = handle_link_requests(session, rt, now=as_of)
    with rt.session() as session:
        digests = asdict(queue_digests(session, rt, as_of))
    return {"steps": steps, "steps_failed": steps_failed, "digests": digests, **counts}


@task(name="deliver-outbox")
def deliver_outbox_task(as_of: datetime) -> dict[str, int]:
    """Send pending email over SMTP; retry transient failures with backoff, dead-letter permanent ones."""
    rt = current_runtime()
    return asdict(deliver_due(rt.engine, rt.settings.smtp, as_of=as_of, report_to=rt.settings))
