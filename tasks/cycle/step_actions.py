"""Doing the steps that are not tasks when their moment comes: notices, papers before meetings, sector reviews.

Each moment is done once per year: a `step.done` event names the step, the action and the moment it was for, and the
emails carry idempotency keys, so running the dispatcher twice for one moment sends nothing twice. A moment that
passed more than a week before Årshjul ran is recorded as skipped, without email (as a phase that closed unopened).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from domain.aarshjul.parts import AudienceEntry
from domain.aarshjul.step_schedule import StepAction, StepMoment, step_moments
from domain.aarshjul.steps import MeetingStep, NoticeStep, Step
from domain.aarshjul.workdays import to_local
from domain.events import EventKind
from domain.models import Event, OrgUnit, Person, RoleKind
from tasks.cycle import step_texts
from tasks.cycle.notice_files import notice_attachments
from tasks.events.log import record
from tasks.org.audiences import audience_people
from tasks.org.people import hr_people, leaders
from tasks.outbox.mail import queue_plain
from tasks.runtime import Runtime

STALE = timedelta(days=7)
LANGUAGES = ("nb", "nn", "en")


def done_moments(session: Session, year: int) -> set[tuple[str, str, str]]:
    events = session.exec(select(Event).where(Event.kind == EventKind.STEP_DONE, Event.cycle_year == year))
    return {(e.phase_key or "", str(e.payload.get("action")), str(e.payload.get("scheduled_for"))) for e in events}


def pending_moments(session: Session, rt: Runtime, year: int) -> list[StepMoment]:
    """The year's step moments not done yet; no query at all for an årshjul without such steps (the default)."""
    moments = step_moments(rt.aarshjul, year)
    if not moments:
        return []
    done = done_moments(session, year)
    return [m for m in moments if (m.step_key, m.action.value, m.at.isoformat()) not in done]


def run_due_steps(session: Session, rt: Runtime, as_of: datetime) -> int:
    """Do every notice, papers reminder and sector-review moment that has come by `as_of`; returns emails queued."""
    year = to_local(as_of).year
    steps = {step.key: step for _, step in rt.aarshjul.steps()}
    queued = 0
    for moment in pending_moments(session, rt, year):
        if moment.at > as_of:
            break
        skipped = as_of - moment.at > STALE
        sent = 0 if skipped else _do(session, rt, steps[moment.step_key], moment, year, as_of)
        queued += sent
        record(
            session,
            EventKind.STEP_DONE,
            at=as_of,
            cycle_year=year,
            phase_key=moment.step_key,
            action=moment.action.value,
            scheduled_for=moment.at.isoformat(),
            recipients=sent,
            skipped=skipped,
        )
    return queued


def next_step_at(session: Session, rt: Runtime, after: datetime) -> datetime | None:
    """The next moment of a step still to do (drives the simulated clock)."""
    year = to_local(after).year
    for moment in pending_moments(session, rt, year):
        if moment.at > after:
            return moment.at
    return None


def _do(session: Session, rt: Runtime, step: Step, moment: StepMoment, year: int, now: datetime) -> int:
    if isinstance(step, NoticeStep):
        return _notice(session, rt, step, moment, year, now)
    if isinstance(step, MeetingStep):
        return _papers(session, rt, step, moment, year, now)
    return _review(session, rt, moment, year, now)


def _people(session: Session, rt: Runtime, audience: list[AudienceEntry]) -> list[Person]:
    found = [p for entry in audience for p, _ in audience_people(session, entry, rt.aarshjul.plan_bodies)]
    return list({p.id: p for p in found}.values())


def _send(
    session: Session,
    rt: Runtime,
    person: Person,
    key: str,
    now: datetime,
    texts: tuple[str, str],
    link: str | None,
    files: list[tuple[int, str]] | None = None,
) -> int:
    subject, text = texts
    if link and link.startswith("/"):
        link = rt.settings.base_url.rstrip("/") + link
    context = {"subject": subject, "text": text, "link": link, "link_label": None,
               "attachments": [name for _, name in files or []]}  # fmt: skip
    queued = queue_plain(session, rt, person=person, template="step_notice", kind="notice", key=key, now=now,
                         context=context, attachments=[i for i, _ in files or []])  # fmt: skip
    return 1 if queued is not None else 0


def _language(person: Person) -> str:
    return person.language if person.language in LANGUAGES else "nb"


def _notice(session: Session, rt: Runtime, step: NoticeStep, moment: StepMoment, year: int, now: datetime) -> int:
    assert step.title is not None  # a notice is refused without one
    sent = 0
    people = _people(session, rt, step.audience)
    # Read and rendered once for everyone (and not at all without recipients); each message names the stored files.
    files = notice_attachments(session, rt, step, year, moment.day) if people else []
    for person in people:
        lang = _language(person)
        texts = (step.title.get(lang), step.text.get(lang))
        sent += _send(session, rt, person, f"step:{year}:{step.key}:{person.id}", now, texts, step.link, files)
    return sent


def _papers(session: Session, rt: Runtime, step: MeetingStep, moment: StepMoment, year: int, now: datetime) -> int:
    assert moment.papers_by is not None
    people = list({p.id: p for p in [*hr_people(session), *_people(session, rt, step.prepared_by)]}.values())
    sent = 0
    for person in people:
        texts = step_texts.papers(step, moment.day, moment.papers_by, _language(person))
        key = f"step:{year}:{step.key}:papers:{person.id}"
        sent += _send(session, rt, person, key, now, texts, f"/hr/plan?ar={year}")
    return sent


def _review(session: Session, rt: Runtime, moment: StepMoment, year: int, now: datetime) -> int:
    done = _prioritised(session, year)
    sent = 0
    chiefs = [(p, r.unit_id) for p, r in leaders(session, RoleKind.SECTOR_LEADER) if r.unit_id]
    if moment.action == StepAction.REVIEW_CLOSE:
        names = {unit: _sector_name(session, unit) for _, unit in chiefs}
        for person in hr_people(session):
            texts = step_texts.review_closed(
                sorted(n for u, n in names.items() if u in done),
                sorted(n for u, n in names.items() if u not in done),
                _language(person),
                rt.aarshjul.terms,
            )
            sent += _send(session, rt, person, f"step:{year}:{moment.step_key}:closed:{person.id}", now, texts, None)
        return sent
    reminder = moment.action == StepAction.REVIEW_REMIND
    for person, unit in chiefs:
        if reminder and unit in done:
            continue
        language, terms = _language(person), rt.aarshjul.terms
        texts = step_texts.review(_sector_name(session, unit), moment.day, language, reminder=reminder, terms=terms)
        key = f"step:{year}:{moment.step_key}:{moment.action.value}:{moment.at:%Y%m%d}:{person.id}"
        sent += _send(session, rt, person, key, now, texts, "/hr/sektor")
    return sent


def _prioritised(session: Session, year: int) -> set[str]:
    """The sectors whose kommunalsjef has prioritised this year's input."""
    query = select(Event.unit_id).where(Event.kind == EventKind.PLAN_SECTOR_PRIORITISED, Event.cycle_year == year)
    return {str(u) for u in session.exec(query) if u}


def _sector_name(session: Session, unit_id: str | None) -> str:
    unit = session.get(OrgUnit, unit_id) if unit_id else None
    return unit.name if unit else str(unit_id)
