"""Answering a task from the emailed link: open it, save drafts, submit, revise; every change an event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from arshjul.runtime import Runtime
from config.aarshjul import PhaseConfig
from domain.forms import FORMS
from domain.models import Answer, AnswerStatus, Assignment, Cycle, OrgUnit, Person, Phase, PhaseStatus
from domain.models import AssignmentState as S
from domain.states import transition
from notifications.links import LinkError, LinkProblem
from tasks.events import record
from tasks.mail import answer_link, queue_plain


class AnswerRefused(Exception):
    """An answer that cannot be accepted; the message is for the person, in Norwegian."""


class EditConflict(AnswerRefused):
    def __init__(self, theirs: Answer) -> None:
        self.theirs = theirs
        super().__init__("Noen andre har lagret svaret mens du skrev. Se begge versjonene og lagre på nytt.")


class InvalidAnswer(AnswerRefused):
    def __init__(self, error: ValidationError) -> None:
        self.error = error
        super().__init__("Noen felt må rettes før svaret kan sendes inn.")


@dataclass
class AnswerContext:
    assignment: Assignment
    phase: Phase
    config: PhaseConfig
    year: int
    actor: Person
    owner: Person
    unit: OrgUnit | None
    latest: Answer | None
    submitted: Answer | None


def open_by_link(session: Session, rt: Runtime, token: str, now: datetime) -> AnswerContext:
    """Check a link's signature, expiry and revocation, and load what the form needs."""
    claims = rt.links.verify(token, now=now, purpose="answer")
    assignment = session.get(Assignment, claims.assignment_id)
    if assignment is None or claims.version != assignment.link_version:
        raise LinkError(LinkProblem.REVOKED, claims.assignment_id)
    if claims.person_id not in (assignment.assignee_id, assignment.owner_id):
        raise LinkError(LinkProblem.REVOKED, claims.assignment_id)
    actor = session.get(Person, claims.person_id)
    assert actor is not None
    return load_context(session, rt, assignment, actor)


def load_context(session: Session, rt: Runtime, assignment: Assignment, actor: Person) -> AnswerContext:
    phase = session.get(Phase, assignment.phase_id)
    owner = session.get(Person, assignment.owner_id)
    assert phase is not None and owner is not None
    cycle = session.get(Cycle, phase.cycle_id)
    assert cycle is not None
    answers = list(
        session.exec(select(Answer).where(Answer.assignment_id == assignment.id).order_by(col(Answer.revision)))
    )
    submitted = [a for a in answers if a.status == AnswerStatus.SUBMITTED]
    return AnswerContext(
        assignment=assignment,
        phase=phase,
        config=rt.aarshjul.phase(phase.key),
        year=cycle.year,
        actor=actor,
        owner=owner,
        unit=session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None,
        latest=answers[-1] if answers else None,
        submitted=submitted[-1] if submitted else None,
    )


def save_answer(
    session: Session,
    rt: Runtime,
    ctx: AnswerContext,
    content: dict[str, Any],
    *,
    submit: bool,
    base_revision: int,
    now: datetime,
) -> Answer:
    """Save a draft or submit; a stale base revision is a conflict, a repeated identical submit is a no-op."""
    latest = ctx.latest
    if submit and latest and latest.status == AnswerStatus.SUBMITTED and latest.content == content:
        return latest
    if (latest.revision if latest else 0) != base_revision:
        assert latest is not None
        raise EditConflict(latest)
    _check_open(ctx, now)
    if submit:
        try:
            content = FORMS[ctx.assignment.form].model_validate(content).model_dump(mode="json")
        except ValidationError as exc:
            raise InvalidAnswer(exc) from exc
    answer = Answer(
        assignment_id=ctx.assignment.id or 0,
        revision=base_revision + 1,
        status=AnswerStatus.SUBMITTED if submit else AnswerStatus.DRAFT,
        content=content,
        author_id=ctx.actor.id or 0,
        on_behalf_of_id=ctx.owner.id if ctx.actor.id != ctx.owner.id else None,
        created_at=now,
    )
    session.add(answer)
    ctx.assignment.version += 1
    session.flush()
    if submit:
        _submitted(session, rt, ctx, answer, now)
    else:
        _answer_event(session, ctx, "answer.draft_saved", answer, now)
    return answer


def _check_open(ctx: AnswerContext, now: datetime) -> None:
    if ctx.phase.status != PhaseStatus.OPEN:
        raise AnswerRefused("Denne fasen er avsluttet, og svar kan ikke lenger endres.")
    if ctx.submitted is not None and now > ctx.assignment.due_at:
        raise AnswerRefused("Fristen er ute. Svaret du sendte inn står, men kan ikke lenger endres.")


def _submitted(session: Session, rt: Runtime, ctx: AnswerContext, answer: Answer, now: datetime) -> None:
    first = ctx.submitted is None
    ctx.assignment.state = transition(ctx.assignment.state, S.ANSWERED)
    ctx.assignment.answered_at = ctx.assignment.answered_at or now
    queue_plain(
        session,
        rt,
        person=ctx.actor,
        template="receipt",
        kind="receipt",
        key=f"receipt:{answer.id}",
        now=now,
        context={
            "task_title": ctx.config.title.get(ctx.actor.language),
            "unit_name": ctx.unit.name if ctx.unit else rt.settings.municipality,
            "submitted_at": now,
            "sections": receipt_sections(answer.content),
            "link": answer_link(rt, ctx.assignment, ctx.phase),
        },
    )
    _answer_event(
        session,
        ctx,
        "answer.submitted" if first else "answer.revised",
        answer,
        now,
        on_behalf_of=answer.on_behalf_of_id,
        late=now > ctx.assignment.due_at,
    )


def _answer_event(session: Session, ctx: AnswerContext, kind: str, answer: Answer, now: datetime, **extra: Any) -> None:
    record(
        session,
        kind,
        at=now,
        cycle_year=ctx.year,
        phase_key=ctx.phase.key,
        assignment_id=ctx.assignment.id,
        unit_id=ctx.assignment.unit_id,
        person_id=ctx.actor.id,
        actor=ctx.actor.email,
        revision=answer.revision,
        **extra,
    )


def receipt_sections(content: dict[str, Any]) -> list[dict[str, Any]]:
    """A readable copy of an answer for the receipt email: one section per list, one row per field."""
    sections: list[dict[str, Any]] = []
    plain = [(key, str(value)) for key, value in content.items() if not isinstance(value, list)]
    if plain:
        sections.append({"heading": "Svar", "rows": plain})
    for key, value in content.items():
        if isinstance(value, list):
            for index, item in enumerate(value, start=1):
                rows = [(k, str(v)) for k, v in item.items()] if isinstance(item, dict) else [("", str(item))]
                sections.append({"heading": f"{key} {index}", "rows": rows})
    return sections


def latest_submitted_content(session: Session, assignment: Assignment) -> dict[str, Any]:
    answer = session.exec(
        select(Answer)
        .where(Answer.assignment_id == assignment.id, Answer.status == AnswerStatus.SUBMITTED)
        .order_by(col(Answer.revision).desc())
    ).first()
    return answer.content if answer else {}
