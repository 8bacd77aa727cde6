"""A meeting step's handling, recorded by HR after the meeting: on the version the årshjul says went to the body.

`sends: final_draft` is the final draft (or the plan adopted from it, when an earlier meeting adopted it: Sørum's AMU
takes the plan Lederforum adopted "til etterretning"), `consultation` the consultation draft, `latest` the newest
version that existed on the meeting day, `evaluation` last year's adopted plan under evaluation. Only a vedtak by an
adopting body adopts, as for every handling (`decision.handle`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from domain.aarshjul.bodies import find_body
from domain.aarshjul.steps import MeetingStep
from domain.events import EventKind
from domain.models import PlanStatus, PlanVersion
from tasks.events.log import record
from tasks.plan.decision import handle, made_on
from tasks.plan.handlings import handling_entry
from tasks.plan.queries import adopted_plan
from tasks.plan.sources import PlanError
from tasks.runtime import Runtime

SENT: dict[str, tuple[PlanStatus, ...]] = {
    "final_draft": (PlanStatus.FINAL_DRAFT, PlanStatus.ADOPTED),
    "consultation": (PlanStatus.CONSULTATION,),
    "latest": tuple(PlanStatus),
}


def record_meeting(
    session: Session,
    rt: Runtime,
    step: MeetingStep,
    handlings: list[dict[str, Any]],
    *,
    year: int,
    now: datetime,
    actor: str,
) -> PlanVersion | None:
    """Record the meeting's handlings on the version sent to it; a sentence if the body or the version is wrong."""
    entries = [handling_entry(raw) for raw in handlings]
    body = find_body(rt.aarshjul.plan_bodies, step.body)
    if body is None or not any(find_body(rt.aarshjul.plan_bodies, e.body) == body for e in entries):
        raise PlanError(f"Registrer behandlingen i {step.body}: minst én behandling må gjelde {step.body}.")
    day = max(e.held_on for e in entries)
    version = adopted_plan(session, year - 1) if step.sends == "evaluation" else sent_version(session, step, year, day)
    if version is None and step.sends == "evaluation":
        # No plan for last year in Årshjul (the first year): the meeting is kept in the log all the same.
        for entry in entries:
            record(session, EventKind.MEETING_RECORDED, at=now, cycle_year=year, actor=actor, phase_key=step.key,
                   body=entry.body, held_on=entry.held_on.isoformat(), handling_kind=entry.kind.value,
                   case_number=entry.case_number)  # fmt: skip
        return None
    if version is None:
        raise PlanError(
            f"Det fantes ingen {_what(step)} av kompetanseplanen {day:%d.%m.%Y}, da {step.body} møttes; "
            "en behandling gjelder versjonen som forelå på møtet."
        )
    handle(session, rt, version, handlings, now=now, actor=actor)
    return version


def sent_version(session: Session, step: MeetingStep, year: int, day: date) -> PlanVersion | None:
    """The newest version of the cycle year with a status the step sends, made on or before the meeting day."""
    query = (
        select(PlanVersion)
        .where(PlanVersion.cycle_year == year, col(PlanVersion.status).in_(SENT[step.sends]))
        .order_by(col(PlanVersion.number).desc())
    )
    return next((v for v in session.exec(query) if made_on(v) <= day), None)


def _what(step: MeetingStep) -> str:
    return {"final_draft": "endelig utkast", "consultation": "høringsutkast"}.get(step.sends, "versjon")
