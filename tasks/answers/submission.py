"""Answering a task from the emailed link: open it, save drafts, submit, revise; every change an event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from domain.events import EventKind
from domain.form_checks import Problem, problems
from domain.form_labels import form_label
from domain.forms import FORMS
from domain.models import Answer, AnswerStatus, Assignment, PhaseStatus
from domain.models import AssignmentState as S
from domain.states import transition
from tasks.answers.context import AnswerContext, load_context, open_by_link
from tasks.answers.receipt import queue_receipt
from tasks.answers.rules import closed_problem, comment_target_problem
from tasks.events.log import record
from tasks.outbox.mail import answer_link
from tasks.runtime import Runtime

__all__ = [  # the context lives in tasks.answers.context; callers import it from here too
    "AnswerContext",
    "AnswerRefused",
    "EditConflict",
    "IncompleteAnswer",
    "InvalidAnswer",
    "latest_submitted_content",
    "load_context",
    "normalised",
    "open_by_link",
    "save_answer",
]


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


class IncompleteAnswer(AnswerRefused):
    """An answer whose fields do not add up (an empty evaluation, 'ikke gjennomført' with participants)."""

    def __init__(self, found: list[Problem]) -> None:
        self.problems = found
        super().__init__(" ".join(_sentence(p) for p in found))


def _sentence(problem: Problem) -> str:
    """'Tiltak 2: Skriv hvorfor …', in bokmål, for a caller without a page to show the message beside the field."""
    text = (form_label(problem.key, "nb") or problem.key).format(**problem.params)
    if len(problem.loc) == 3 and isinstance(problem.loc[1], int):
        row = form_label(f"row.{problem.loc[0]}", "nb") or "Rad {n}"
        return f"{row.format(n=problem.loc[1] + 1)}: {text}"
    return text


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
    """Save a draft or submit; a stale base revision is a conflict, a repeated identical submit is a no-op.

    A submit is validated and normalised here, whoever calls, so a double submit is recognised as one. A reaction
    may refuse the submission (AnswerRefused) after rows were written: the caller must then roll back.
    """
    if submit:
        content = normalised(ctx.assignment.form, content)
    latest = ctx.latest
    if submit and latest and latest.status == AnswerStatus.SUBMITTED and latest.content == content:
        return latest
    if latest is None and base_revision != 0:  # a forged or stale form: there is nothing to build on
        raise AnswerRefused("Skjemaet bygger på en versjon av svaret som ikke finnes. Last inn siden på nytt.")
    if latest is not None and latest.revision != base_revision:
        raise EditConflict(latest)
    _check_open(ctx, now)
    if ctx.assignment.form == "consultation" and (problem := comment_target_problem(session, ctx.year, content)):
        raise AnswerRefused(problem)
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
    if submit:  # before the flush, so the task's row is written once (version, state and answered_at together)
        ctx.assignment.state = transition(ctx.assignment.state, S.ANSWERED)
        ctx.assignment.answered_at = ctx.assignment.answered_at or now
    session.flush()
    if submit:
        _submitted(session, rt, ctx, answer, now)
    else:
        _answer_event(session, ctx, EventKind.ANSWER_DRAFT_SAVED, answer, now)
    return answer


def normalised(form: str, content: dict[str, Any]) -> dict[str, Any]:
    """The content as its form's model stores it (stripped, defaults filled in), or InvalidAnswer."""
    try:
        model = FORMS[form].model_validate(content)
    except ValidationError as exc:
        raise InvalidAnswer(exc) from exc
    if found := problems(model):
        raise IncompleteAnswer(found)
    return model.model_dump(mode="json")


def _check_open(ctx: AnswerContext, now: datetime) -> None:
    if ctx.phase.status != PhaseStatus.OPEN:
        raise AnswerRefused("Denne fasen er avsluttet, og svar kan ikke lenger endres.")
    if problem := closed_problem(ctx.phase, now):  # even while the phase row is still open
        raise AnswerRefused(problem)
    if ctx.submitted is not None and now > ctx.assignment.due_at:
        raise AnswerRefused("Fristen er ute. Svaret du sendte inn står, men kan ikke lenger endres.")


def _submitted(session: Session, rt: Runtime, ctx: AnswerContext, answer: Answer, now: datetime) -> None:
    first = ctx.submitted is None
    queue_receipt(
        session,
        rt,
        person=ctx.actor,
        answer=answer,
        task_title=ctx.config.title.get(ctx.actor.language),
        unit_name=ctx.unit.name if ctx.unit else rt.settings.municipality,
        link=answer_link(rt, ctx.assignment, ctx.phase, person_id=ctx.actor.id),
        now=now,
        form=ctx.assignment.form,
    )
    _answer_event(
        session,
        ctx,
        EventKind.ANSWER_SUBMITTED if first else EventKind.ANSWER_REVISED,
        answer,
        now,
        on_behalf_of=answer.on_behalf_of_id,
        late=now > ctx.assignment.due_at,
    )


def _answer_event(
    session: Session, ctx: AnswerContext, kind: EventKind, answer: Answer, now: datetime, **extra: Any
) -> None:
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


def latest_submitted_content(session: Session, assignment: Assignment) -> dict[str, Any]:
    answer = session.exec(
        select(Answer)
        .where(Answer.assignment_id == assignment.id, Answer.status == AnswerStatus.SUBMITTED)
        .order_by(col(Answer.revision).desc())
    ).first()
    return answer.content if answer else {}
