"""The adopted plan goes to every unit leader, once per version and person, whoever recorded the adoption."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from domain.models import Event, Handling, HandlingKind, OutboxMessage, PlanVersion, RoleKind
from domain.plan.blocks import kroner
from domain.plan.content import PlanContent
from tasks.org.people import leaders
from tasks.outbox.mail import queue_plain
from tasks.runtime import Runtime


def announce_adopted_plan(rt: Runtime, session: Session, event: Event) -> None:
    """Handler of plan.adopted: the adopted version goes to every unit leader, whoever recorded the adoption."""
    version = session.exec(
        select(PlanVersion).where(
            PlanVersion.cycle_year == event.cycle_year, PlanVersion.number == event.payload["number"]
        )
    ).one()
    handlings = session.exec(
        select(Handling).where(Handling.plan_version_id == version.id).order_by(col(Handling.id))
    ).all()
    decision = next((h for h in reversed(handlings) if h.kind == HandlingKind.VEDTAK), handlings[-1])
    announce_adoption(session, rt, version, year=version.plan_year, decision=decision, now=event.at)


def announced_to(session: Session, version: PlanVersion) -> int:
    """How many unit leaders the adoption email of this version has been queued for."""
    return session.exec(
        select(func.count())
        .select_from(OutboxMessage)
        .where(col(OutboxMessage.idempotency_key).startswith(f"plan_adopted:{version.id}:"))
    ).one()


def announce_adoption(
    session: Session, rt: Runtime, version: PlanVersion, *, year: int, decision: Handling, now: datetime
) -> int:
    """Queue the adoption email to each unit leader; returns how many were newly queued (a repeat queues none)."""
    recipients = {person.id: person for person, _ in leaders(session, RoleKind.UNIT_LEADER)}
    queued = 0
    for person in recipients.values():
        queued += (
            queue_plain(
                session,
                rt,
                person=person,
                template="plan_adopted",
                kind="plan_adopted",
                key=f"plan_adopted:{version.id}:{person.id}",
                now=now,
                context={
                    "plan_title": version.title,
                    "adopted_on": str(decision.held_on),
                    "body": decision.body,
                    "case_number": decision.case_number,
                    "summary_lines": summary_lines(PlanContent.model_validate(version.content)),
                    "link": f"{rt.settings.base_url.rstrip('/')}/plan/{year}",
                },
            )
            is not None
        )
    return queued


def summary_lines(content: PlanContent) -> list[str]:
    return [f"{len(content.measures)} tiltak", f"Samlet kostnad: {kroner(content.costs.total)}"]
