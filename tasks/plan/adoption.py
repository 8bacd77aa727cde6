"""Handler of answer.submitted for the plan: HR's adoption answer records the handlings on the version handled, and
adopts it only when one of them is a vedtak by a body the årshjul names as adopting (plan.adopted announces it)."""

from __future__ import annotations

from sqlmodel import Session

from domain.models import Assignment, Event
from tasks.answers.submission import AnswerRefused, latest_submitted_content
from tasks.plan.decision import adopt
from tasks.plan.meetings import record_meeting
from tasks.plan.sources import PlanError
from tasks.plan.versions import latest_version
from tasks.runtime import Runtime


def adopt_plan_when_adoption_recorded(rt: Runtime, session: Session, event: Event) -> None:
    """HR's adoption answer records the handlings, adopts the plan on a vedtak that adopts, and sends it out.

    A handling that cannot be recorded, or handlings none of which adopts, is the person's to fix: AnswerRefused with
    a sentence, and neither the answer nor any handling is kept.
    """
    assignment = session.get(Assignment, event.assignment_id)
    if assignment is None or assignment.form != "adoption" or event.cycle_year is None:
        return
    content = latest_submitted_content(session, assignment)
    meeting = (
        rt.aarshjul.phase(event.phase_key).meeting if event.phase_key and event.phase_key in _runnable(rt) else None
    )
    if meeting is not None:
        try:  # a meeting step's handling: on the version sent to the body, adopting only on an adopting vedtak
            record_meeting(session, rt, meeting, content["handlings"], year=event.cycle_year, now=event.at,
                           actor=event.actor)  # fmt: skip
        except PlanError as refused:
            raise AnswerRefused(str(refused)) from refused
        return
    if latest_version(session, event.cycle_year) is None:
        raise AnswerRefused(_NOTHING_TO_ADOPT.format(year=event.cycle_year))
    number = content.get("version")
    try:
        adopt(
            session,
            rt,
            year=event.cycle_year,
            handlings=content["handlings"],
            now=event.at,
            actor=event.actor,
            number=int(number) if number else None,
        )
    except PlanError as refused:
        raise AnswerRefused(str(refused)) from refused


def _runnable(rt: Runtime) -> set[str | None]:
    return {phase.key for phase in rt.aarshjul.phases}


_NOTHING_TO_ADOPT = (
    "Det finnes ingen planversjon for {year} å vedta ennå. Planen må sammenstilles før vedtaket kan "
    "registreres; send inn på nytt etterpå."
)
