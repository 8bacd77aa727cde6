"""Handler of answer.submitted for the plan: HR's adoption answer adopts the newest version (plan.adopted announces it)."""

from __future__ import annotations

from sqlmodel import Session

from domain.models import Assignment, Event, PlanStatus
from tasks.answers.submission import AnswerRefused, latest_submitted_content
from tasks.plan.versions import adopt, latest_version
from tasks.runtime import Runtime


def adopt_plan_when_adoption_recorded(rt: Runtime, session: Session, event: Event) -> None:
    """HR's adoption answer records the handlings, locks the plan and sends it to every unit leader.

    Nothing to adopt is the person's to fix, not a crash: AnswerRefused with a sentence, and the answer is not kept.
    """
    assignment = session.get(Assignment, event.assignment_id)
    if assignment is None or assignment.form != "adoption" or event.cycle_year is None:
        return
    handlings = latest_submitted_content(session, assignment)["handlings"]
    _check_adoptable(session, event.cycle_year)
    try:
        adopt(session, rt, year=event.cycle_year, handlings=handlings, now=event.at, actor=event.actor)
    except LookupError as missing:
        raise AnswerRefused(_NOTHING_TO_ADOPT.format(year=event.cycle_year)) from missing


_NOTHING_TO_ADOPT = (
    "Det finnes ingen planversjon for {year} å vedta ennå. Planen må sammenstilles før vedtaket kan "
    "registreres; send inn på nytt etterpå."
)


def _check_adoptable(session: Session, year: int) -> None:
    """Refuse an adoption with no plan version, or of a plan that is adopted already."""
    version = latest_version(session, year)
    if version is None:
        raise AnswerRefused(_NOTHING_TO_ADOPT.format(year=year))
    if version.status == PlanStatus.ADOPTED:
        raise AnswerRefused(
            f"Planen for {year} er allerede vedtatt (versjon {version.number}) og kan ikke vedtas på nytt."
        )
